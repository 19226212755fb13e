/* redis_session.h - one Redis connection driven against a deadline, shared
 * by the probe (probe_redis.c) and the recovery actions (job/action_redis.c).
 *
 * hiredis's blocking calls bound each read or write by a socket timeout, not
 * the whole exchange: a server that trickles a byte now and then could hold
 * a caller for ever. So the context is non-blocking and every wait is a
 * poll() against one deadline (deadline_ms, CLOCK_MONOTONIC), which a caller
 * may move on between steps. Name resolution, which hiredis 0.14 would do
 * with a blocking getaddrinfo() inside redisConnectNonBlock(), is done
 * beforehand within the same deadline (client_resolve in resolve.h).
 *
 * While a session is open, SIGPIPE is blocked on the calling thread (hiredis
 * writes with write(2) and a closed connection must not kill opsdeck), so
 * open and close it on the same thread. Messages are one sanitised line with
 * the password masked.
 *
 * rediss:// (TLS): hiredis 0.14 speaks plain TCP only, so hiredis connects
 * the socket, formats the commands and parses the replies, and the bytes
 * between go through client/tls.h on the same socket, against the same
 * deadline. There is never a fallback to plain text: a TLS failure is the
 * session's failure ("certificate verify failed: ...").
 */
#ifndef OPSDECK_CLIENT_REDIS_SESSION_H
#define OPSDECK_CLIENT_REDIS_SESSION_H

#include <hiredis/hiredis.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "config/redisurl.h"

struct tls_conn;

struct redis_session {
	redisContext *ctx;    /* over TLS: its reader only; the bytes go by tls */
	struct tls_conn *tls; /* rediss://, else NULL */
	bool tls_unverified;  /* rediss:// with [redis] tls_verify = false */
	int64_t deadline_ms;
	const char *password;  /* borrowed; masked in every message */
	char timeout_text[32]; /* "3.0 s" */
	bool timed_out;        /* a call ended at the deadline */
	sigset_t saved_mask;   /* SIGPIPE handling, see above */
	bool sigpipe_was_pending;
	bool sigpipe_blocked;
};

/* Connects to u (borrowed; must outlive the session), over TLS for rediss://
 * with tls's [redis] tls_* keys (borrowed; NULL: the defaults, verified
 * against the system's store), then AUTH (ACL user or password only) and
 * SELECT of u->db, all within timeout_ms from now.
 * Returns 0, or -1 with the reason in err ("AUTH failed: ...", "SELECT 2
 * failed: ...", "timed out after 3.0 s connecting", "Redis did not answer
 * within 3.0 s"). Either way the caller ends with redis_session_close(). */
int redis_session_open(struct redis_session *s, const struct redisurl *u,
                       const struct config_redis *tls, int64_t timeout_ms, char *err,
                       size_t errlen);

/* Sends one command and waits for its reply, within the deadline. Returns
 * the reply (the caller frees it with freeReplyObject), or NULL with the
 * reason in err: an error reply's text, hiredis's errstr, or "Redis did not
 * answer within 3.0 s" (and s->timed_out set) when the deadline passed,
 * whatever the command. */
redisReply *redis_session_call(struct redis_session *s, int argc, const char **argv, char *err,
                               size_t errlen);
/* The same with explicit argument lengths (binary-safe keys); argvlen NULL
 * means strlen of each. */
redisReply *redis_session_call_len(struct redis_session *s, int argc, const char **argv,
                                   const size_t *argvlen, char *err, size_t errlen);

/* The reason a step failed, into err: "STEP failed: REASON", or REASON
 * alone when the step timed out (s->timed_out), since a server that does not
 * answer says nothing about the step it was sent (a hung Redis is not an
 * AUTH problem). */
void redis_session_step_error(const struct redis_session *s, const char *step, const char *reason,
                              char *err, size_t errlen);

/* Frees the connection and restores the signal mask; safe after a failed
 * open and twice. */
void redis_session_close(struct redis_session *s);

#endif
