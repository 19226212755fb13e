/* request_window_tool.c - the dashboard's incremental request-log path
 * against the one-shot query, for tests/integration/request_metrics.sh. Not
 * installed.
 *
 *   request_window_tool CONFIG [COMMAND]
 *
 * Polls with a request_window (as the dashboard's database worker does),
 * runs COMMAND (sh -c; e.g. a psql that inserts rows), polls again with the
 * same window (reading only the last minutes), then probes once without a
 * window (the query status and check send). Prints one line per result,
 *   "first|incremental|one-shot requests=N errors=N avg=X p95=X p99=X",
 * then "since=MS" (what the second poll asked from), and "same" when the
 * incremental and the one-shot figures agree (the counts, error rate, p95
 * and p99 exactly, the average to 1e-9, the buckets' sums) or "differ:
 * WHAT" and exit status 1. Exit status 2 on a usage or set-up error.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "probe/probe.h"
#include "probe/request_window.h"

static int poll_once(const struct config *cfg, struct request_window *w, const char *label,
                     struct request_metrics *m)
{
	struct pg_status pg;
	const struct pg_probe_parts parts = {.requests = m, .window = w};
	probe_pg(cfg, &pg, &parts);
	if (m->check.state != CHECK_OK) {
		fprintf(stderr, "request_window_tool: %s: %s / %s\n", label, pg.check.error,
		        m->check.error);
		return -1;
	}
	printf("%s requests=%lld errors=%lld avg=%.17g p95=%.17g p99=%.17g\n", label,
	       (long long)m->requests, (long long)m->errors, m->avg_ms, m->p95_ms, m->p99_ms);
	return 0;
}

static void bucket_sums(const struct request_metrics *m, long long *requests, long long *errors)
{
	*requests = *errors = 0;
	for (int k = 0; k < m->bucket_count; k++) {
		*requests += m->buckets[k].requests;
		*errors += m->buckets[k].errors;
	}
}

int main(int argc, char **argv)
{
	struct config cfg;
	char err[512];
	static struct request_metrics first, inc, one;
	struct request_window w;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: request_window_tool CONFIG [COMMAND]\n");
		return 2;
	}
	if (config_load_file(&cfg, argv[1], err, sizeof(err)) < 0) {
		fprintf(stderr, "request_window_tool: %s\n", err);
		return 2;
	}
	if (probe_global_init() < 0) {
		fprintf(stderr, "request_window_tool: cannot initialise the probes\n");
		return 2;
	}
	request_window_init(&w);
	int rc = 2;
	if (poll_once(&cfg, &w, "first", &first) < 0)
		goto done;
	if (argc == 3 && system(argv[2]) != 0) {
		fprintf(stderr, "request_window_tool: the command failed\n");
		goto done;
	}
	long long since = (long long)request_window_since(&w);
	if (poll_once(&cfg, &w, "incremental", &inc) < 0 ||
	    poll_once(&cfg, NULL, "one-shot", &one) < 0)
		goto done;
	printf("since=%lld\n", since);

	long long ir, ie, orq, oe;
	bucket_sums(&inc, &ir, &ie);
	bucket_sums(&one, &orq, &oe);
	const char *differ = NULL;
	if (inc.requests != one.requests || inc.errors != one.errors)
		differ = "counts";
	else if (inc.error_rate != one.error_rate)
		differ = "error rate";
	else if (fabs(inc.avg_ms - one.avg_ms) > 1e-9)
		differ = "average";
	else if (inc.p95_ms != one.p95_ms || inc.p99_ms != one.p99_ms)
		differ = "percentiles";
	else if (inc.bucket_count != one.bucket_count || inc.bucket_width_ms != one.bucket_width_ms)
		differ = "bucket plan";
	else if (ir != orq || ie != oe || ir != inc.requests || ie != inc.errors)
		differ = "bucket sums";
	if (differ) {
		printf("differ: %s\n", differ);
		rc = 1;
	} else {
		printf("same\n");
		rc = 0;
	}
done:
	request_window_free(&w);
	probe_global_cleanup();
	config_free(&cfg);
	return rc;
}
