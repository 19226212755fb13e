/* probe_health.c - the app's health endpoint: GET health_url, healthy on 2xx
 * (see probe.h). The seed's health route called itself; opsdeck is the
 * outside observer instead. */
#include "probe/probe.h"

#include <stdio.h>

#include "model/redact.h"
#include "client/http_client.h"
#include "util/clock.h"
#include "util/sanitize.h"

/* Enough of the body to explain a failure ({"status":"error","db":"down"});
 * the rest is not read. */
#define HEALTH_BODY_CAP 4096

void probe_health(const struct config *cfg, struct http_status *out)
{
	const char *url = cfg->app.health_url;
	struct http_response resp;
	char reason[SNAPSHOT_TEXT];

	probe_check_begin(&out->check);
	out->status_code = 0;
	/* body is an array, never NULL: cppcheck 2.10 ties it to the test of url
	 * below. */
	/* cppcheck-suppress nullPointerRedundantCheck */
	out->body[0] = '\0';
	out->body_truncated = false;

	if (!url || !url[0]) {
		check_set_error(&out->check, CHECK_NOT_CONFIGURED, "health_url is not set");
		out->check.checked_at_ms = clock_wall_ms();
		return;
	}
	check_set_target(&out->check, url);

	if (http_get(url, (long)cfg->app.timeout_ms, HEALTH_BODY_CAP, &resp, reason,
	             sizeof(reason)) < 0) {
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
