/* pg_session.h - one PostgreSQL connection driven against a deadline, shared
 * by the probe (probe_pg.c) and the recovery actions (job/action_pg.c).
 *
 * libpq's own connect_timeout counts whole seconds per host and does not
 * cover queries, so the session drives the asynchronous API itself
 * (PQconnectStartParams/PQconnectPoll, PQsendQuery/PQconsumeInput) with
 * poll() against one deadline (deadline_ms, CLOCK_MONOTONIC): every query of
 * the session, not each one, fits in it; a caller may move the deadline on
 * between steps. A caller may also give a cancel flag (another thread
 * sets it): a query then ends within PG_SESSION_CANCEL_MS of it being set,
 * with "cancelled", and the session is broken (the server goes on until
 * the connection is closed or the backend ended). Every message is one
 * sanitised line with the password masked. A session is used by one thread
 * at a time.
 */
#ifndef OPSDECK_CLIENT_PG_SESSION_H
#define OPSDECK_CLIENT_PG_SESSION_H

#include <libpq-fe.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/pgurl.h"

/* How often a wait looks at the cancel flag. */
#define PG_SESSION_CANCEL_MS 100

/* What a session needs to build its messages. */
struct pg_session {
	PGconn *conn;
	int64_t deadline_ms;
	const char *password;     /* masked in every message */
	char timeout_text[32];    /* "3.0 s" */
	bool broken;              /* a query timed out, was cancelled or the connection
	                             failed: nothing more can be sent on it */
	const atomic_int *cancel; /* may be NULL; non-zero ends the wait of a query */
};

/* Clears s and sets its deadline timeout_ms from now; password (borrowed,
 * may be "") is masked in every message. */
void pg_session_init(struct pg_session *s, const char *password, int64_t timeout_ms);

/* Connects within the deadline. Returns 0, or -1 with the reason in err.
 * s->conn is set whenever libpq allocated one: pg_session_close() it. */
int pg_session_connect(struct pg_session *s, const struct pgurl *u, char *err, size_t errlen);

/* Sends sql and reads every result within the deadline. Without params
 * (nparams 0) sql may hold several statements (PQsendQuery); with them it is
 * one statement, the values sent apart from the text (PQsendQueryParams).
 * *rows receives the last result that returned rows (the caller PQclear's
 * it; NULL when none). Returns 0, or -1 with the reason in err: the first
 * error result's message, a connection error, a timeout, or "cancelled"
 * (the cancel flag); sqlstate (may be
 * NULL) then holds the server's SQLSTATE, or "" when the failure was not the
 * server's. After a timeout or connection error the session is `broken`. */
int pg_session_query(struct pg_session *s, const char *sql, int nparams, const char *const *params,
                     PGresult **rows, char sqlstate[6], char *err, size_t errlen);

/* Turns a libpq message into one short line for the operator (the last
 * attempt's line, without "connection to server ... failed:" and "FATAL:"),
 * sanitised, the password masked. */
void pg_session_reason(const struct pg_session *s, const char *message, char *err, size_t errlen);

/* The cells of a result as libpq has them (text, or NULL for SQL NULL),
 * row-major, as the pure parsers take them: values[row * columns + column].
 * Returns an allocated array (the caller frees it; the strings stay
 * PQclear's), or NULL with "WHAT returned N columns, not M" in err when
 * the result has another number of columns (or is NULL). */
const char **pg_result_values(const PGresult *res, int columns, const char *what, char *err,
                              size_t errlen);

/* name as a quoted identifier (PQescapeIdentifier), to be PQfreemem'd, or
 * NULL with the reason in err. */
char *pg_session_quote(struct pg_session *s, const char *name, char *err, size_t errlen);

/* PQfinish (also for a connection that failed to open); NULL conn is a no-op. */
void pg_session_close(struct pg_session *s);

#endif
