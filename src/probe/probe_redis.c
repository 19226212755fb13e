/* probe_redis.c - Redis: connect, AUTH, SELECT, PING (the latency), INFO
 * (the figures), then SLOWLOG GET and LATENCY LATEST (the load, which never
 * fails the check) with hiredis (see probe.h).
 *
 * The connection, AUTH and SELECT are a redis_session (redis_session.h):
 * non-blocking hiredis with every wait a poll() against one deadline for the
 * whole probe.
 */
#include "probe/probe.h"

#include <hiredis/hiredis.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "config/redisurl.h"
#include "model/redact.h"
#include "probe/redis_info.h"
#include "probe/redis_slowlog.h"
#include "client/redis_session.h"
#include "client/tls.h"
#include "util/text.h"
#include "util/clock.h"

/* A step's reason, with room left for the step's prefix ("AUTH failed: ")
 * in the SNAPSHOT_TEXT-sized message it ends up in. */
#define REASON_SIZE (SNAPSHOT_TEXT - 48)

/* PING and INFO on an open (authenticated, selected) connection. Returns 0, or -1 with the reason
 * in err. */
static int redis_exchange(struct redis_session *s, const struct redisurl *u,
                          struct redis_status *out, struct redis_load *load, char *err,
                          size_t errlen)
{
	redisReply *r;
	char reason[REASON_SIZE];

	const char *ping[] = {"PING"};
	int64_t start_us = clock_monotonic_us();
	if (!(r = redis_session_call(s, 1, ping, reason, sizeof(reason)))) {
		/* The commonest mistake: a server with requirepass or ACLs and a
		 * URL without a password. Say which side is missing what. */
		if (strncmp(reason, "NOAUTH", 6) == 0 && !u->password[0])
			snprintf(err, errlen, "%s (the Redis URL has no password)", reason);
		else
			snprintf(err, errlen, "%s", reason);
		return -1;
	}
	out->check.latency_ms = (double)(clock_monotonic_us() - start_us) / 1000.0;
	freeReplyObject(r);

	const char *info[] = {"INFO"};
	if (!(r = redis_session_call(s, 1, info, reason, sizeof(reason)))) {
		redis_session_step_error(s, "INFO", reason, err, errlen);
		return -1;
	}
	int fields = 0;
	if (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS) {
		fields = redis_info_parse(r->str, r->len, out);
		if (load)
			(void)redis_info_parse_load(r->str, r->len, load);
	}
	freeReplyObject(r);
	if (fields == 0) {
		snprintf(err, errlen, "INFO returned nothing opsdeck understands");
		return -1;
	}
	return 0;
}

/* Sends one read-only command for the load figures. Returns the reply, or
 * NULL with *access set (DENIED for an ACL refusal, which is expected of an
 * application's user, FAILED otherwise) and the reason in load->access_error. */
static redisReply *load_call(struct redis_session *s, int argc, const char **argv,
                             enum redis_access *access, struct redis_load *load)
{
	char reason[128];
	redisReply *r = redis_session_call(s, argc, argv, reason, sizeof(reason));
	if (r) {
		*access = REDIS_ACCESS_OK;
		return r;
	}
	*access = strncmp(reason, "NOPERM", 6) == 0 ? REDIS_ACCESS_DENIED : REDIS_ACCESS_FAILED;
	if (!load->access_error[0])
		snprintf(load->access_error, sizeof(load->access_error), "%s: %s", argv[0], reason);
	return NULL;
}

/* SLOWLOG GET, LATENCY LATEST and whether the latency monitor is on. None
 * of them fails the check: a user without the permission is reported as
 * such (load->*_access). */
static void redis_load_exchange(struct redis_session *s, struct redis_load *load)
{
	enum redis_access access;
	redisReply *r;

	const char *slowlog[] = {"SLOWLOG", "GET", "16"};
	if ((r = load_call(s, 3, slowlog, &load->slowlog_access, load))) {
		if (redis_slowlog_parse(r, load) < 0)
			load->slowlog_access = REDIS_ACCESS_FAILED;
		freeReplyObject(r);
	}
	if (s->timed_out)
		return;
	const char *latency[] = {"LATENCY", "LATEST"};
	if ((r = load_call(s, 2, latency, &load->latency_access, load))) {
		if (redis_latency_parse(r, load) < 0)
			load->latency_access = REDIS_ACCESS_FAILED;
		freeReplyObject(r);
	}
	if (s->timed_out)
		return;
	const char *threshold[] = {"CONFIG", "GET", "latency-monitor-threshold"};
	if ((r = load_call(s, 3, threshold, &access, load))) {
		if (r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
		    r->element[1]->type == REDIS_REPLY_STRING)
			load->latency_monitor = strcmp(r->element[1]->str, "0") == 0
			                            ? REDIS_LATENCY_OFF
			                            : REDIS_LATENCY_ON;
		freeReplyObject(r);
	}
	if (load->latency_count > 0)
		load->latency_monitor = REDIS_LATENCY_ON; /* it recorded events */
	redact_text(load->access_error, sizeof(load->access_error));
}

void probe_redis(const struct config *cfg, struct redis_status *out, struct redis_load *load)
{
	const char *url = cfg->redis.url ? cfg->redis.url : "";
	struct redisurl u;
	struct redis_session s = {.ctx = NULL};
	char err[SNAPSHOT_TEXT];
	bool parsed = false;

	memset(out, 0, sizeof(*out));
	if (load)
		redis_load_init(load);
	probe_check_begin(&out->check);
	out->hit_rate = -1;

	if (!url[0]) {
		const char *why = cfg->redis.url_unset_reason;
		if (why && why[0])
			check_set_error(&out->check, CHECK_NOT_CONFIGURED, "%s", why);
		else
			check_set_error(&out->check, CHECK_NOT_CONFIGURED, "redis url is not set");
		goto done;
	}
	check_set_target(&out->check, url);
	if (redisurl_parse(url, &u, err, sizeof(err)) < 0) {
		check_set_error(&out->check, CHECK_UNHEALTHY, "%s", err);
		goto done;
	}
	parsed = true;
	check_set_target(&out->check, u.redacted);

	if (redis_session_open(&s, &u, &cfg->redis, cfg->app.timeout_ms, err, sizeof(err)) < 0 ||
	    redis_exchange(&s, &u, out, load, err, sizeof(err)) < 0) {
		check_set_error(&out->check, CHECK_UNHEALTHY, "%s", err);
		goto done;
	}
	out->check.state = CHECK_OK;
	if (s.tls) {
		char tls[64];
		text_printf(out->tls, sizeof(out->tls), "%s%s",
		            tls_describe(s.tls, tls, sizeof(tls)),
		            s.tls_unverified ? ", certificate not verified" : "");
	}
	if (load)
		redis_load_exchange(&s, load);
done:
	redis_session_close(&s);
	if (parsed)
		redisurl_free(&u);
	out->check.checked_at_ms = clock_wall_ms();
}
