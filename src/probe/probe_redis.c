/* probe_redis.c - Redis: connect, AUTH, SELECT, PING (the latency), INFO
 * (the figures) with hiredis (see probe.h).
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
#include "probe/redis_info.h"
#include "client/redis_session.h"
#include "util/clock.h"

/* A step's reason, with room left for the step's prefix ("AUTH failed: ")
 * in the SNAPSHOT_TEXT-sized message it ends up in. */
#define REASON_SIZE (SNAPSHOT_TEXT - 48)

/* PING and INFO on an open (authenticated, selected) connection. Returns 0, or -1 with the reason
 * in err. */
static int redis_exchange(struct redis_session *s, const struct redisurl *u,
                          struct redis_status *out, char *err, size_t errlen)
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
	if (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS)
		fields = redis_info_parse(r->str, r->len, out);
	freeReplyObject(r);
	if (fields == 0) {
		snprintf(err, errlen, "INFO returned nothing opsdeck understands");
		return -1;
	}
	return 0;
}

void probe_redis(const struct config *cfg, struct redis_status *out)
{
	const char *url = cfg->redis.url ? cfg->redis.url : "";
	struct redisurl u;
	struct redis_session s = {.ctx = NULL};
	char err[SNAPSHOT_TEXT];
	bool parsed = false;

	memset(out, 0, sizeof(*out));
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

	if (redis_session_open(&s, &u, cfg->app.timeout_ms, err, sizeof(err)) < 0 ||
	    redis_exchange(&s, &u, out, err, sizeof(err)) < 0) {
		check_set_error(&out->check, CHECK_UNHEALTHY, "%s", err);
		goto done;
	}
	out->check.state = CHECK_OK;
done:
	redis_session_close(&s);
	if (parsed)
		redisurl_free(&u);
	out->check.checked_at_ms = clock_wall_ms();
}
