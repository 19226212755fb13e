/* history_tool.c - bench/history_cost's writer and reader: a synthetic
 * history at a fixed interval, written through the store (history/store.h)
 * as `opsdeck record` writes it, then read back as a report would.
 *
 *   tests/history_tool DIR RECORDS INTERVAL_MS [now]
 *
 * The records start at a fixed time, or with `now` end now (a history a
 * dashboard opened now reads). Each record has the figures, checks and
 * issues of a busy stack: 48 figures (latencies and ratios as doubles,
 * eight of them under the names the dashboard graphs, that wander, counters that
 * rise, gauges that move a little), 14 checks, an issue open one poll in
 * ten. Prints key=value lines: bytes, bytes_per_record, append_cpu_us (CPU
 * per record, user + system), prune_ms, read_all_ms, series_ms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "history/store.h"
#include "util/clock.h"
#include "util/text.h"

static int64_t cpu_us(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 + ru.ru_utime.tv_usec +
	       ru.ru_stime.tv_usec;
}

/* A deterministic wander in [0, 1). */
static double noise(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(*state >> 11) / 9007199254740992.0;
}

static void synthetic(struct history_record *r, int64_t n, int64_t at_ms, uint64_t *rng)
{
	static const char *const checks[] = {
	    "database",  "redis",       "health", "requests",    "slow_queries",
	    "pg_upkeep", "connections", "locks",  "pgbouncer",   "redis_load",
	    "storage",   "version",     "backup", "backup_drill"};
	history_record_init(r);
	r->at_ms = at_ms;
	r->monotonic_ms = n * 2000;
	r->duration_ms = 30 + (int64_t)(noise(rng) * 40);
	text_copy(r->version, "2.4.1", sizeof(r->version));
	text_copy(r->commit, "9f2c1ab", sizeof(r->commit));
	static const char *const graphed[] = {"database.latency_ms", "redis.latency_ms",
	                                      "health.latency_ms",   "version.latency_ms",
	                                      "storage.latency_ms",  "requests.per_minute",
	                                      "requests.error_rate", "requests.p95_ms"};
	char name[64];
	for (int i = 0; i < 12; i++) { /* latencies and ratios: doubles */
		if (i < (int)(sizeof(graphed) / sizeof(graphed[0])))
			text_copy(name, graphed[i], sizeof(name));
		else
			snprintf(name, sizeof(name), "synthetic.ratio_%d", i);
		history_record_add_figure(r, name, 0.5 + noise(rng) * 20);
	}
	for (int i = 0; i < 16; i++) { /* gauges: small whole numbers */
		snprintf(name, sizeof(name), "synthetic.gauge_%d", i);
		history_record_add_figure(r, name, (double)(int64_t)(noise(rng) * 60));
	}
	for (int i = 0; i < 12; i++) { /* counters: large, rising */
		snprintf(name, sizeof(name), "synthetic.counter_%d", i);
		history_record_add_figure(r, name, (double)(1000000000LL + n * (i + 3) * 17));
	}
	for (int i = 0; i < 8; i++) { /* bytes */
		snprintf(name, sizeof(name), "synthetic.bytes_%d", i);
		history_record_add_figure(r, name, (double)(int64_t)(3e9 + noise(rng) * 1e8));
	}
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		history_record_add_check(r, checks[i], CHECK_OK);
	if (n % 10 == 0) {
		struct history_issue *i = &r->issues[r->issue_count++];
		text_copy(i->id, "slow_queries", sizeof(i->id));
		text_copy(i->type, "slow_queries", sizeof(i->type));
		i->severity = SEVERITY_MEDIUM;
		text_printf(i->message, sizeof(i->message),
		            "2 queries averaged over 1000 ms in the last 2s; slowest %lld ms",
		            (long long)(1000 + n % 500));
	}
}

static int count_record(const struct history_record *r, void *ctx)
{
	(void)r;
	(*(int64_t *)ctx)++;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 4 && !(argc == 5 && strcmp(argv[4], "now") == 0)) {
		fprintf(stderr, "usage: history_tool DIR RECORDS INTERVAL_MS [now]\n");
		return 2;
	}
	const char *dir = argv[1];
	int64_t records = atoll(argv[2]), interval = atoll(argv[3]);
	struct history_store *s = NULL;
	char warning[512], err[512];
	if (history_store_open(&s, dir, HISTORY_OPEN_WRITE, warning, sizeof(warning), err,
	                       sizeof(err)) < 0) {
		fprintf(stderr, "history_tool: %s\n", err);
		return 1;
	}
	struct history_record *r = malloc(sizeof(*r));
	uint64_t rng = 42;
	int64_t start_ms = argc == 5 ? clock_wall_ms() - records * interval : 1800000000000LL;
	int64_t cpu = 0;
	for (int64_t n = 1; n <= records; n++) {
		synthetic(r, n, start_ms + n * interval, &rng);
		int64_t before = cpu_us();
		if (history_store_append(s, r, NULL, 0) < 0) {
			fprintf(stderr, "history_tool: %s\n", history_store_error(s));
			return 1;
		}
		cpu += cpu_us() - before;
	}
	struct history_prune_result pruned;
	int64_t t0 = clock_monotonic_ms();
	history_store_prune(s, 0, 0, 0, &pruned); /* checkpoint: the file as it stays */
	int64_t prune_ms = clock_monotonic_ms() - t0;
	history_store_close(s);

	char warn2[512];
	if (history_store_open(&s, dir, HISTORY_OPEN_READ, warn2, sizeof(warn2), err, sizeof(err)) <
	    0) {
		fprintf(stderr, "history_tool: %s\n", err);
		return 1;
	}
	int64_t seen = 0;
	t0 = clock_monotonic_ms();
	history_store_records(s, 0, INT64_MAX, count_record, &seen);
	int64_t read_ms = clock_monotonic_ms() - t0;
	struct history_point *points = NULL;
	t0 = clock_monotonic_ms();
	int64_t n_points = history_store_series(s, "requests.p95_ms", 0, INT64_MAX, &points);
	int64_t series_ms = clock_monotonic_ms() - t0;
	free(points);
	history_store_close(s);

	printf("records=%lld\nread_records=%lld\nseries_points=%lld\n", (long long)records,
	       (long long)seen, (long long)n_points);
	printf("bytes=%lld\nbytes_per_record=%.1f\n", (long long)pruned.size_after,
	       (double)pruned.size_after / (double)records);
	printf("append_cpu_us=%.1f\nprune_ms=%lld\nread_all_ms=%lld\nseries_ms=%lld\n",
	       (double)cpu / (double)records, (long long)prune_ms, (long long)read_ms,
	       (long long)series_ms);
	free(r);
	return 0;
}
