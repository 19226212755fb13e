/* probe_health.c - the app's health endpoint: GET health_url, healthy on 2xx
 * (see probe.h). The seed's health route called itself; opsdeck is the
 * outside observer instead. */
#include "probe/probe.h"

#include <stdio.h>
#include <stdlib.h>

#include "model/redact.h"
#include "client/http_client.h"
#include "util/clock.h"
#include "util/sanitize.h"
#include "util/parallel.h"
#include "util/text.h"
#include "util/xalloc.h"

/* Enough of the body to explain a failure ({"status":"error","db":"down"});
 * the rest is not read. */
#define HEALTH_BODY_CAP 4096

/* One URL into out: the check, the status and the head of the body. */
static void probe_health_one(const char *url, int64_t timeout_ms, struct http_status *out)
{
	struct http_response resp;
	char reason[SNAPSHOT_TEXT];

	check_set_target(&out->check, url);
	if (http_get(url, (long)timeout_ms, HEALTH_BODY_CAP, &resp, reason, sizeof(reason)) < 0) {
		check_set_error(&out->check, CHECK_UNHEALTHY, "%s", reason);
		goto done;
	}
	out->check.latency_ms = resp.latency_ms;
	out->status_code = resp.status_code;
	/* The body is the app's text, shown to the operator: one line, no
	 * controls, no secrets it might echo. */
	sanitize_bytes(out->body, sizeof(out->body), strbuf_str(&resp.body), resp.body.len);
	redact_text(out->body, sizeof(out->body));
	out->body_truncated = resp.body_truncated || resp.body.len >= sizeof(out->body);

	if (resp.status_code >= 200 && resp.status_code <= 299) {
		out->check.state = CHECK_OK;
	} else if (resp.status_code >= 300 && resp.status_code <= 399) {
		/* Redirects are not followed (see http_client.h): a health URL
		 * that redirects, to a login page say, is misconfigured. */
		check_set_error(&out->check, CHECK_UNHEALTHY, "HTTP %ld (redirect, not followed)",
		                resp.status_code);
	} else {
		check_set_error(&out->check, CHECK_UNHEALTHY, "HTTP %ld", resp.status_code);
	}
done:
	out->check.checked_at_ms = clock_wall_ms();
	strbuf_free(&resp.body);
}

/* One instance's probe, on its own thread. */
struct health_task {
	const char *url;
	int64_t timeout_ms;
	struct http_status result;
};

static void *health_task_run(void *arg)
{
	struct health_task *t = arg;
	probe_check_begin(&t->result.check);
	probe_health_one(t->url, t->timeout_ms, &t->result);
	return NULL;
}

/* Several instances at once, so a hung one costs one timeout; out takes
 * the first that answered (or the first) and each one's answer. */
static void probe_health_instances(char **urls, int n, int64_t timeout_ms, struct http_status *out)
{
	struct health_task *tasks = xcalloc((size_t)n, sizeof(*tasks));
	for (int i = 0; i < n; i++) {
		tasks[i].url = urls[i];
		tasks[i].timeout_ms = timeout_ms;
	}
	parallel_each(tasks, (size_t)n, sizeof(tasks[0]), health_task_run);
	int chosen = -1;
	out->instance_count = n;
	out->instances_up = 0;
	for (int i = 0; i < n; i++) {
		const struct http_status *r = &tasks[i].result;
		struct app_instance *inst = &out->instances[i];
		text_copy(inst->url, r->check.target, sizeof(inst->url));
		inst->state = r->check.state;
		inst->status_code = r->status_code;
		inst->latency_ms = r->check.state == CHECK_OK ? r->check.latency_ms : -1;
		text_copy(inst->error, r->check.error, sizeof(inst->error));
		if (r->check.state == CHECK_OK) {
			out->instances_up++;
			if (chosen < 0)
				chosen = i;
		}
	}
	const struct http_status *shown = &tasks[chosen >= 0 ? chosen : 0].result;
	out->check = shown->check;
	out->status_code = shown->status_code;
	text_copy(out->body, shown->body, sizeof(out->body));
	out->body_truncated = shown->body_truncated;
	text_printf(out->check.target, sizeof(out->check.target), "%d instances (%s, ...)", n,
	            shown->check.target);
	if (chosen < 0)
		check_set_error(&out->check, CHECK_UNHEALTHY, "no instance answers: %s",
		                shown->check.error);
	free(tasks);
}

void probe_health(const struct config *cfg, struct http_status *out)
{
	const char *url = cfg->app.health_url;

	probe_check_begin(&out->check);
	out->status_code = 0;
	/* body is an array, never NULL: cppcheck 2.10 ties it to the test of url
	 * below. */
	/* cppcheck-suppress nullPointerRedundantCheck */
	out->body[0] = '\0';
	out->body_truncated = false;
	out->instance_count = 0;
	out->instances_up = 0;

	if (!url || !url[0]) {
		check_set_error(&out->check, CHECK_NOT_CONFIGURED, "health_url is not set");
		out->check.checked_at_ms = clock_wall_ms();
		return;
	}
	char *urls[APP_INSTANCES_MAX];
	int n = text_split_words(url, ", ", urls, APP_INSTANCES_MAX);
	if (n > APP_INSTANCES_MAX)
		n = APP_INSTANCES_MAX; /* the configuration refuses more */
	if (n <= 1)
		probe_health_one(n == 1 ? urls[0] : url, cfg->app.timeout_ms, out);
	else
		probe_health_instances(urls, n, cfg->app.timeout_ms, out);
	for (int i = 0; i < n; i++)
		free(urls[i]);
}
