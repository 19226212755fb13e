/* redis_session.c - a hiredis connection against one deadline (see
 * redis_session.h). */
#include "client/redis_session.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <time.h>

#include "model/snapshot.h"
#include "client/client.h"
#include "client/resolve.h"
#include "client/tls.h"
#include "util/clock.h"
#include "util/sanitize.h"

/* A step's reason, with room left for the step's prefix ("AUTH failed: "). */
#define REASON_SIZE (SNAPSHOT_TEXT - 48)

/* Copies text from the server or hiredis into err: one line, no controls,
 * no password. */
static void redis_session_reason(const struct redis_session *s, char *err, size_t errlen,
                                 const char *prefix, const char *text)
{
	char clean[SNAPSHOT_TEXT];
	sanitize_text(clean, sizeof(clean), text);
	snprintf(err, errlen, "%s%s", prefix, clean);
	client_mask_secret(err, errlen, s->password);
}

/* Explains why waiting for the socket ended (client_wait_fd's result). */
static void redis_session_describe_wait(struct redis_session *s, int ready, char *err,
                                        size_t errlen)
{
	if (ready < 0) {
		snprintf(err, errlen, "poll: %s", strerror(errno));
		return;
	}
	s->timed_out = true;
	snprintf(err, errlen, "Redis did not answer within %s", s->timeout_text);
}

void redis_session_step_error(const struct redis_session *s, const char *step, const char *reason,
                              char *err, size_t errlen)
{
	if (s->timed_out)
		snprintf(err, errlen, "%s", reason);
	else
		snprintf(err, errlen, "%s failed: %s", step, reason);
}

/* Sends one command and waits for its reply, within the deadline. Returns
 * the reply (the caller frees it with freeReplyObject), or NULL with the
 * reason in err: an error reply's text, hiredis's errstr, or a timeout. */
redisReply *redis_session_call(struct redis_session *s, int argc, const char **argv, char *err,
                               size_t errlen)
{
	return redis_session_call_len(s, argc, argv, NULL, err, errlen);
}

/* Over TLS: the command formatted by hiredis, written through s->tls, the
 * reply read from it into hiredis's reader. Returns the reply or NULL. */
static void *redis_session_call_tls(struct redis_session *s, int argc, const char **argv,
                                    const size_t *argvlen, char *err, size_t errlen)
{
	char *cmd = NULL;
	int len = redisFormatCommandArgv(&cmd, argc, argv, argvlen);
	if (len < 0) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	char why[REASON_SIZE];
	int rc = tls_write_all(s->tls, cmd, (size_t)len, s->deadline_ms, why, sizeof(why));
	redisFreeCommand(cmd);
	void *reply = NULL;
	while (rc == 0) {
		if (redisReaderGetReply(s->ctx->reader, &reply) != REDIS_OK) {
			redis_session_reason(s, err, errlen, "", s->ctx->reader->errstr);
			return NULL;
		}
		if (reply)
			return reply;
		char buf[16 * 1024];
		ssize_t n =
		    tls_read_some(s->tls, buf, sizeof(buf), s->deadline_ms, why, sizeof(why));
		if (n == 0) {
			snprintf(why, sizeof(why), "the server closed the connection");
			rc = TLS_FAILED;
		} else if (n < 0) {
			rc = (int)n;
		} else if (redisReaderFeed(s->ctx->reader, buf, (size_t)n) != REDIS_OK) {
			redis_session_reason(s, err, errlen, "", s->ctx->reader->errstr);
			return NULL;
		}
	}
	if (rc == TLS_TIMED_OUT)
		redis_session_describe_wait(s, 0, err, errlen);
	else
		redis_session_reason(s, err, errlen, "", why);
	return NULL;
}

/* Over plain TCP: hiredis writes and reads, between waits for the socket. */
static void *redis_session_call_plain(struct redis_session *s, int argc, const char **argv,
                                      const size_t *argvlen, char *err, size_t errlen)
{
	redisContext *c = s->ctx;
	void *reply = NULL;
	int done = 0;

	if (redisAppendCommandArgv(c, argc, argv, argvlen) != REDIS_OK) {
		redis_session_reason(s, err, errlen, "", c->errstr);
		return NULL;
	}
	while (!done) {
		if (redisBufferWrite(c, &done) != REDIS_OK) {
			redis_session_reason(s, err, errlen, "", c->errstr);
			return NULL;
		}
		if (done)
			break;
		int ready = client_wait_fd(c->fd, POLLOUT, s->deadline_ms);
		if (ready <= 0) {
			redis_session_describe_wait(s, ready, err, errlen);
			return NULL;
		}
	}
	for (;;) {
		if (redisGetReply(c, &reply) != REDIS_OK) {
			redis_session_reason(s, err, errlen, "", c->errstr);
			return NULL;
		}
		if (reply)
			break;
		int ready = client_wait_fd(c->fd, POLLIN, s->deadline_ms);
		if (ready <= 0) {
			redis_session_describe_wait(s, ready, err, errlen);
			return NULL;
		}
		if (redisBufferRead(c) != REDIS_OK) {
			redis_session_reason(s, err, errlen, "", c->errstr);
			return NULL;
		}
	}
	return reply;
}

redisReply *redis_session_call_len(struct redis_session *s, int argc, const char **argv,
                                   const size_t *argvlen, char *err, size_t errlen)
{
	redisReply *r = s->tls ? redis_session_call_tls(s, argc, argv, argvlen, err, errlen)
	                       : redis_session_call_plain(s, argc, argv, argvlen, err, errlen);
	if (r == NULL)
		return NULL;
	if (r->type == REDIS_REPLY_ERROR) {
		redis_session_reason(s, err, errlen, "", r->str ? r->str : "error reply");
		freeReplyObject(r);
		return NULL;
	}
	return r;
}

/* Opens the connection without blocking and waits for
 * it to be established. Returns 0, or -1 with the reason in err. */
static int redis_session_connect(struct redis_session *s, const struct redisurl *u, char *err,
                                 size_t errlen)
{
	/* hiredis resolves a host name with a blocking getaddrinfo() that no
	 * deadline bounds (see client_resolve): resolve it here, as hiredis
	 * would (IPv4 first, else IPv6), and hand hiredis the address. */
	char addr[INET6_ADDRSTRLEN + 1] = "";
	if (!u->socket[0]) {
		char why[128];
		int n = client_resolve(u->host, AF_INET, 1, s->deadline_ms, addr, sizeof(addr), why,
		                       sizeof(why));
		if (n == CLIENT_RESOLVE_FAILED)
			n = client_resolve(u->host, AF_INET6, 1, s->deadline_ms, addr, sizeof(addr),
			                   why, sizeof(why));
		if (n == CLIENT_RESOLVE_TIMEOUT) {
			snprintf(err, errlen, "timed out after %s resolving %s", s->timeout_text,
			         u->host);
			return -1;
		}
		if (n < 0) {
			char text[512];
			snprintf(text, sizeof(text), "could not resolve host %s: %s", u->host, why);
			redis_session_reason(s, err, errlen, "", text);
			return -1;
		}
	}
	s->ctx = u->socket[0] ? redisConnectUnixNonBlock(u->socket)
	                      : redisConnectNonBlock(addr, u->port);
	if (!s->ctx) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (s->ctx->err) {
		redis_session_reason(s, err, errlen, "", s->ctx->errstr);
		return -1;
	}
	int ready = client_wait_fd(s->ctx->fd, POLLOUT, s->deadline_ms);
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

/* TLS on the connected socket: a certificate that does not verify fails the
 * session; nothing is sent in plain text. */
static int redis_session_start_tls(struct redis_session *s, const struct redisurl *u,
                                   const struct config_redis *r, char *err, size_t errlen)
{
	struct tls_options o = {.verify = true};
	if (r) {
		o.ca_file = r->tls_ca;
		o.cert_file = r->tls_cert;
		o.key_file = r->tls_key;
		o.verify = r->tls_verify;
	}
	char why[REASON_SIZE];
	int rc = tls_open(&s->tls, s->ctx->fd, u->host, &o, s->deadline_ms, why, sizeof(why));
	if (rc == TLS_TIMED_OUT) {
		snprintf(err, errlen, "timed out after %s in the TLS handshake", s->timeout_text);
		return -1;
	}
	if (rc < 0) {
		redis_session_reason(s, err, errlen, "", why);
		return -1;
	}
	s->tls_unverified = !o.verify;
	return 0;
}

int redis_session_open(struct redis_session *s, const struct redisurl *u,
                       const struct config_redis *tls, int64_t timeout_ms, char *err, size_t errlen)
{
	redisReply *r;
	char reason[REASON_SIZE];

	memset(s, 0, sizeof(*s));
	s->deadline_ms = clock_monotonic_ms() + timeout_ms;
	s->password = u->password;
	client_format_seconds(s->timeout_text, sizeof(s->timeout_text), timeout_ms);
	sigpipe_block(&s->saved_mask, &s->sigpipe_was_pending);
	s->sigpipe_blocked = true;

	if (redis_session_connect(s, u, err, errlen) < 0)
		return -1;
	if (u->tls && redis_session_start_tls(s, u, tls, err, errlen) < 0)
		return -1;
	if (u->password[0]) {
		/* "AUTH user pass" is Redis 6's ACL form; "AUTH pass" works on
		 * every version and logs in as the default user. */
		const char *with_user[] = {"AUTH", u->username, u->password};
		const char *without_user[] = {"AUTH", u->password};
		r = u->username[0] ? redis_session_call(s, 3, with_user, reason, sizeof(reason))
		                   : redis_session_call(s, 2, without_user, reason, sizeof(reason));
		if (!r) {
			redis_session_step_error(s, "AUTH", reason, err, errlen);
			return -1;
		}
		freeReplyObject(r);
	}
	if (u->db != 0) {
		char db[16];
		snprintf(db, sizeof(db), "%d", u->db);
		const char *select[] = {"SELECT", db};
		if (!(r = redis_session_call(s, 2, select, reason, sizeof(reason)))) {
			char step[32];
			snprintf(step, sizeof(step), "SELECT %d", u->db);
			redis_session_step_error(s, step, reason, err, errlen);
			return -1;
		}
		freeReplyObject(r);
	}

	return 0;
}

void redis_session_close(struct redis_session *s)
{
	tls_close(s->tls); /* before the socket it runs on is closed */
	s->tls = NULL;
	if (s->ctx)
		redisFree(s->ctx);
	s->ctx = NULL;
	if (s->sigpipe_blocked)
		sigpipe_restore(&s->saved_mask, s->sigpipe_was_pending);
	s->sigpipe_blocked = false;
}
