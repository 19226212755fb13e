/* probe_redis.c - Redis: connect, AUTH, SELECT, PING (the latency), INFO
 * (the figures) with hiredis (see probe.h).
 *
 * hiredis's blocking calls bound each read or write by a socket timeout, not
 * the whole exchange: a server that trickles a byte now and then could hold
 * the probe for ever. So the context is non-blocking and every wait is a
 * poll() against one deadline for the whole probe. The exception is name
 * resolution, which hiredis 0.14 does with a blocking getaddrinfo() inside
 * redisConnectNonBlock(); with Redis on 127.0.0.1 or a socket, as usual, that
 * costs nothing, and /etc/hosts or a local resolver answers at once.
 */
#include "probe/probe.h"

#include <errno.h>
#include <hiredis/hiredis.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "config/redact.h"
#include "config/redisurl.h"
#include "probe/redis_info.h"
#include "util/clock.h"
#include "util/sanitize.h"

/* A step's reason, with room left for the step's prefix ("AUTH failed: ")
 * in the SNAPSHOT_TEXT-sized message it ends up in. */
#define REASON_SIZE (SNAPSHOT_TEXT - 48)

/* What a probe run needs to build its messages. */
struct redis_session {
	redisContext *ctx;
	int64_t deadline_ms;
	const char *password;  /* masked in every message */
	char timeout_text[32]; /* "3.0 s" */
};

/* Copies text from the server or hiredis into err: one line, no controls,
 * no password. */
static void set_reason(const struct redis_session *s, char *err, size_t errlen, const char *prefix,
                       const char *text)
{
	char clean[SNAPSHOT_TEXT];
	sanitize_text(clean, sizeof(clean), text);
	snprintf(err, errlen, "%s%s", prefix, clean);
	probe_mask_secret(err, errlen, s->password);
}

/* Explains why waiting for the socket ended (probe_wait_fd's result). */
static void describe_wait(const struct redis_session *s, int ready, const char *command, char *err,
                          size_t errlen)
{
	if (ready < 0)
		snprintf(err, errlen, "poll: %s", strerror(errno));
	else
		snprintf(err, errlen, "timed out after %s waiting for a reply to %s",
		         s->timeout_text, command);
}

/* Sends one command and waits for its reply, within the deadline. Returns
 * the reply (the caller frees it with freeReplyObject), or NULL with the
 * reason in err: an error reply's text, hiredis's errstr, or a timeout. */
static redisReply *redis_call(struct redis_session *s, int argc, const char **argv, char *err,
                              size_t errlen)
{
	redisContext *c = s->ctx;
	void *reply = NULL;
	int done = 0;

	if (redisAppendCommandArgv(c, argc, argv, NULL) != REDIS_OK) {
		set_reason(s, err, errlen, "", c->errstr);
		return NULL;
	}
	while (!done) {
		if (redisBufferWrite(c, &done) != REDIS_OK) {
			set_reason(s, err, errlen, "", c->errstr);
			return NULL;
		}
		if (done)
			break;
		int ready = probe_wait_fd(c->fd, POLLOUT, s->deadline_ms);
		if (ready <= 0) {
			describe_wait(s, ready, argv[0], err, errlen);
			return NULL;
		}
	}
	for (;;) {
		if (redisGetReply(c, &reply) != REDIS_OK) {
			set_reason(s, err, errlen, "", c->errstr);
			return NULL;
		}
		if (reply)
			break;
		int ready = probe_wait_fd(c->fd, POLLIN, s->deadline_ms);
		if (ready <= 0) {
			describe_wait(s, ready, argv[0], err, errlen);
			return NULL;
		}
		if (redisBufferRead(c) != REDIS_OK) {
			set_reason(s, err, errlen, "", c->errstr);
			return NULL;
		}
	}
	redisReply *r = reply;
	if (r->type == REDIS_REPLY_ERROR) {
		set_reason(s, err, errlen, "", r->str ? r->str : "error reply");
		freeReplyObject(r);
		return NULL;
	}
	return r;
}

/* Opens the connection without blocking (bar DNS, see above) and waits for
 * it to be established. Returns 0, or -1 with the reason in err. */
static int redis_open(struct redis_session *s, const struct redisurl *u, char *err, size_t errlen)
{
	s->ctx = u->socket[0] ? redisConnectUnixNonBlock(u->socket)
	                      : redisConnectNonBlock(u->host, u->port);
	if (!s->ctx) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (s->ctx->err) {
		set_reason(s, err, errlen, "", s->ctx->errstr);
		return -1;
	}
	int ready = probe_wait_fd(s->ctx->fd, POLLOUT, s->deadline_ms);
	if (ready == 0) {
		snprintf(err, errlen, "timed out after %s connecting", s->timeout_text);
		return -1;
	}
	if (ready < 0) {
		snprintf(err, errlen, "poll: %s", strerror(errno));
		return -1;
	}
	int so_error = 0;
	socklen_t len = sizeof(so_error);
	if (getsockopt(s->ctx->fd, SOL_SOCKET, SO_ERROR, &so_error, &len) < 0)
		so_error = errno;
	if (so_error) {
		snprintf(err, errlen, "%s", strerror(so_error));
		return -1;
	}
	return 0;
}

/* AUTH (ACL user or password only), SELECT, PING and INFO on an open
 * connection. Returns 0, or -1 with the reason in err. */
static int redis_exchange(struct redis_session *s, const struct redisurl *u,
                          struct redis_status *out, char *err, size_t errlen)
{
	redisReply *r;
	char reason[REASON_SIZE];

	if (u->password[0]) {
		/* "AUTH user pass" is Redis 6's ACL form; "AUTH pass" works on
		 * every version and logs in as the default user. */
		const char *with_user[] = {"AUTH", u->username, u->password};
		const char *without_user[] = {"AUTH", u->password};
		r = u->username[0] ? redis_call(s, 3, with_user, reason, sizeof(reason))
		                   : redis_call(s, 2, without_user, reason, sizeof(reason));
		if (!r) {
			snprintf(err, errlen, "AUTH failed: %s", reason);
			return -1;
		}
		freeReplyObject(r);
	}
	if (u->db != 0) {
		char db[16];
		snprintf(db, sizeof(db), "%d", u->db);
		const char *select[] = {"SELECT", db};
		if (!(r = redis_call(s, 2, select, reason, sizeof(reason)))) {
			snprintf(err, errlen, "SELECT %d failed: %s", u->db, reason);
			return -1;
		}
		freeReplyObject(r);
	}

	const char *ping[] = {"PING"};
	int64_t start_us = clock_monotonic_us();
	if (!(r = redis_call(s, 1, ping, reason, sizeof(reason)))) {
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
	if (!(r = redis_call(s, 1, info, reason, sizeof(reason)))) {
		snprintf(err, errlen, "INFO failed: %s", reason);
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

/* hiredis writes with write(2): if the server has closed the connection,
 * that raises SIGPIPE, whose default action kills opsdeck. Rather than
 * change the process's disposition, block it on this thread for the
 * duration and discard one that arrived meanwhile (libpq does the same). */
static void sigpipe_block(sigset_t *saved, bool *was_pending)
{
	sigset_t pipe_only, pending;
	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_only, saved);
	sigpending(&pending);
	*was_pending = sigismember(&pending, SIGPIPE) == 1;
}

static void sigpipe_restore(const sigset_t *saved, bool was_pending)
{
	sigset_t pipe_only, pending;
	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	if (!was_pending && sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1) {
		const struct timespec zero = {0, 0};
		while (sigtimedwait(&pipe_only, NULL, &zero) < 0 && errno == EINTR)
			;
	}
	pthread_sigmask(SIG_SETMASK, saved, NULL);
}

void probe_redis(const struct config *cfg, struct redis_status *out)
{
	const char *url = cfg->redis.url ? cfg->redis.url : "";
	struct redisurl u;
	struct redis_session s = {.ctx = NULL};
	char err[SNAPSHOT_TEXT];
	sigset_t saved_mask;
	bool sigpipe_was_pending = false;
	bool parsed = false, blocked = false;

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
	url_redact(out->check.target, sizeof(out->check.target), url);
	if (redisurl_parse(url, &u, err, sizeof(err)) < 0) {
		check_set_error(&out->check, CHECK_UNHEALTHY, "%s", err);
		goto done;
	}
	parsed = true;
	snprintf(out->check.target, sizeof(out->check.target), "%s", u.redacted);

	s.deadline_ms = clock_monotonic_ms() + cfg->app.timeout_ms;
	s.password = u.password;
	probe_format_seconds(s.timeout_text, sizeof(s.timeout_text), cfg->app.timeout_ms);

	sigpipe_block(&saved_mask, &sigpipe_was_pending);
	blocked = true;
	if (redis_open(&s, &u, err, sizeof(err)) < 0 ||
	    redis_exchange(&s, &u, out, err, sizeof(err)) < 0) {
		check_set_error(&out->check, CHECK_UNHEALTHY, "%s", err);
		goto done;
	}
	out->check.state = CHECK_OK;
done:
	if (s.ctx)
		redisFree(s.ctx);
	if (blocked)
		sigpipe_restore(&saved_mask, sigpipe_was_pending);
	if (parsed)
		redisurl_free(&u);
	out->check.checked_at_ms = clock_wall_ms();
}
