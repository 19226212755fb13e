/* probe_pg.c - PostgreSQL: connect, SELECT 1 (the latency), then one
 * aggregate query over pg_stat_activity (see probe.h, pg_parse.h).
 *
 * libpq's own connect_timeout counts whole seconds per host and does not
 * cover queries, so the probe drives the asynchronous API itself
 * (PQconnectStartParams/PQconnectPoll, PQsendQuery/PQconsumeInput) with
 * poll() against one deadline, app.timeout after the start. Host names are
 * still resolved with a blocking getaddrinfo() inside libpq; for a database
 * on loopback or named in /etc/hosts that is immediate.
 *
 * latency_ms is the SELECT 1 round trip on the established connection: the
 * time the server takes to answer, which is what slows the app. Connecting
 * (TCP, TLS, authentication) is not included; it is bounded by the same
 * deadline, and a slow one shows as a timeout.
 */
#include "probe/probe.h"

#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/pgurl.h"
#include "config/redact.h"
#include "probe/pg_parse.h"
#include "util/clock.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

/* What a probe run needs to build its messages. */
struct pg_session {
	PGconn *conn;
	int64_t deadline_ms;
	const char *password;  /* masked in every message */
	char timeout_text[32]; /* "3.0 s" */
};

/* Turns a libpq message into one short line for the operator. libpq writes
 * 'connection to server at "db" (10.0.0.5), port 5432 failed: FATAL:
 * password authentication failed for user "app"' and, when it tried several
 * addresses, one such line per address (plus hint lines starting with a
 * tab). The last attempt's line is the one that matters; the host and port
 * are already in the check's target, and "FATAL:" adds nothing. */
static void pg_reason(const struct pg_session *s, const char *message, char *err, size_t errlen)
{
	char line[512];
	const char *chosen = message ? message : "";
	for (const char *p = chosen; p && *p;) {
		if (strncmp(p, "connection to server", 20) == 0)
			chosen = p;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	size_t n = strcspn(chosen, "\n");
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, chosen, n);
	line[n] = '\0';

	const char *text = line;
	if (strncmp(text, "connection to server", 20) == 0) {
		const char *failed = strstr(text, " failed: ");
		if (failed)
			text = failed + strlen(" failed: ");
	}
	static const char *const severities[] = {"FATAL:  ", "ERROR:  ", "FATAL: ", "ERROR: "};
	for (size_t i = 0; i < sizeof(severities) / sizeof(severities[0]); i++)
		if (strncmp(text, severities[i], strlen(severities[i])) == 0) {
			text += strlen(severities[i]);
			break;
		}
	if (!*text)
		text = "unknown libpq error";
	sanitize_text(err, errlen, text);
	probe_mask_secret(err, errlen, s->password);
}

/* Explains why waiting for the socket ended (probe_wait_fd's result). */
static void describe_wait(const struct pg_session *s, int ready, const char *phase, char *err,
                          size_t errlen)
{
	if (ready < 0)
		snprintf(err, errlen, "poll: %s", strerror(errno));
	else
		snprintf(err, errlen, "timed out after %s %s", s->timeout_text, phase);
}

/* Connects within the deadline. Returns 0, or -1 with the reason in err.
 * s->conn is set whenever libpq allocated one, to be PQfinish'ed. */
static int pg_connect(struct pg_session *s, const struct pgurl *u, char *err, size_t errlen)
{
	s->conn = PQconnectStartParams(u->keywords, u->values, 0);
	if (!s->conn) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* As libpq's documentation says: start as if PQconnectPoll had asked
	 * to write, then wait for whatever it asks next. */
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	for (;;) {
		if (PQstatus(s->conn) == CONNECTION_BAD || st == PGRES_POLLING_FAILED) {
			pg_reason(s, PQerrorMessage(s->conn), err, errlen);
			return -1;
		}
		if (st == PGRES_POLLING_OK)
			break;
		/* The socket changes as libpq moves on to the next address. */
		int fd = PQsocket(s->conn);
		if (fd < 0) {
			pg_reason(s, PQerrorMessage(s->conn), err, errlen);
			return -1;
		}
		int ready = probe_wait_fd(fd, st == PGRES_POLLING_READING ? POLLIN : POLLOUT,
		                          s->deadline_ms);
		if (ready <= 0) {
			describe_wait(s, ready, "connecting", err, errlen);
			return -1;
		}
		st = PQconnectPoll(s->conn);
	}
	if (PQsetnonblocking(s->conn, 1) != 0) {
		pg_reason(s, PQerrorMessage(s->conn), err, errlen);
		return -1;
	}
	return 0;
}

/* Sends sql (one or more statements) and reads every result within the
 * deadline. *rows receives the last result that returned rows (the caller
 * PQclear's it; NULL when none). Returns 0, or -1 with the reason in err:
 * the first error result's message, a connection error, or a timeout. */
static int pg_query(struct pg_session *s, const char *sql, PGresult **rows, char *err,
                    size_t errlen)
{
	PGconn *conn = s->conn;
	int rc = 0;
	*rows = NULL;

	if (!PQsendQuery(conn, sql)) {
		pg_reason(s, PQerrorMessage(conn), err, errlen);
		return -1;
	}
	/* Non-blocking: the query may not all be sent yet. */
	for (;;) {
		int flushed = PQflush(conn);
		if (flushed == 0)
			break;
		if (flushed < 0) {
			pg_reason(s, PQerrorMessage(conn), err, errlen);
			return -1;
		}
		int ready = probe_wait_fd(PQsocket(conn), POLLIN | POLLOUT, s->deadline_ms);
		if (ready <= 0) {
			describe_wait(s, ready, "sending a query", err, errlen);
			return -1;
		}
		if (!PQconsumeInput(conn)) {
			pg_reason(s, PQerrorMessage(conn), err, errlen);
			return -1;
		}
	}
	/* Read until PQgetResult returns NULL, as libpq requires before the
	 * next query, keeping the first error if any. */
	for (;;) {
		while (PQisBusy(conn)) {
			int ready = probe_wait_fd(PQsocket(conn), POLLIN, s->deadline_ms);
			if (ready <= 0) {
				describe_wait(s, ready, "waiting for a reply", err, errlen);
				PQclear(*rows);
				*rows = NULL;
				return -1;
			}
			if (!PQconsumeInput(conn)) {
				pg_reason(s, PQerrorMessage(conn), err, errlen);
				PQclear(*rows);
				*rows = NULL;
				return -1;
			}
		}
		PGresult *res = PQgetResult(conn);
		if (!res)
			break;
		ExecStatusType status = PQresultStatus(res);
		if (status == PGRES_TUPLES_OK) {
			PQclear(*rows);
			*rows = res;
			continue;
		}
		if (status != PGRES_COMMAND_OK && rc == 0) {
			pg_reason(s, PQresultErrorMessage(res), err, errlen);
			rc = -1;
		}
		PQclear(res);
	}
	if (rc < 0) {
		PQclear(*rows);
		*rows = NULL;
	}
	return rc;
}

/* SELECT 1 (timed) and the activity query on an open connection. Returns 0,
 * or -1 with the reason in err. */
static int pg_exchange(struct pg_session *s, int64_t timeout_ms, struct pg_status *out, char *err,
                       size_t errlen)
{
	int rc = -1;
	PGresult *rows = NULL;
	char *sql = NULL;

	int64_t start_us = clock_monotonic_us();
	if (pg_query(s, "SELECT 1", &rows, err, errlen) < 0)
		goto done;
	out->check.latency_ms = (double)(clock_monotonic_us() - start_us) / 1000.0;
	if (!rows || PQntuples(rows) != 1) {
		snprintf(err, errlen, "SELECT 1 returned no row");
		goto done;
	}
	PQclear(rows);
	rows = NULL;

	/* The server keeps working on a query after we give up on it; a
	 * statement_timeout (in the same round trip, and not as a startup
	 * option, which poolers such as PgBouncer refuse) makes it stop too. */
	/* 0 would mean "no limit" to PostgreSQL. */
	sql = xasprintf("SET statement_timeout = %" PRId64 "; %s", timeout_ms > 0 ? timeout_ms : 1,
	                PG_ACTIVITY_SQL);
	if (pg_query(s, sql, &rows, err, errlen) < 0)
		goto done;
	if (!rows || PQntuples(rows) != 1 || PQnfields(rows) != PG_COL_COUNT) {
		snprintf(err, errlen, "pg_stat_activity query returned %d rows of %d columns",
		         rows ? PQntuples(rows) : 0, rows ? PQnfields(rows) : 0);
		goto done;
	}
	const char *values[PG_COL_COUNT];
	for (int i = 0; i < PG_COL_COUNT; i++)
		values[i] = PQgetisnull(rows, 0, i) ? NULL : PQgetvalue(rows, 0, i);
	if (pg_activity_parse(values, out, err, errlen) < 0)
		goto done;
	rc = 0;
done:
	PQclear(rows);
	free(sql);
	return rc;
}

void probe_pg(const struct config *cfg, struct pg_status *out)
{
	const char *url = cfg->database.url ? cfg->database.url : "";
	struct pgurl u;
	struct pg_session s = {.conn = NULL};
	char err[SNAPSHOT_TEXT];
	bool parsed = false;

	memset(out, 0, sizeof(*out));
	probe_check_begin(&out->check);

	if (!url[0]) {
		const char *why = cfg->database.url_unset_reason;
		if (why && why[0])
			check_set_error(&out->check, CHECK_NOT_CONFIGURED, "%s", why);
		else
			check_set_error(&out->check, CHECK_NOT_CONFIGURED,
			                "database url is not set");
		goto done;
	}
	url_redact(out->check.target, sizeof(out->check.target), url);
	if (pgurl_parse(url, (long)cfg->app.timeout_ms, &u, err, sizeof(err)) < 0) {
		check_set_error(&out->check, CHECK_UNHEALTHY, "%s", err);
		goto done;
	}
	parsed = true;
	snprintf(out->check.target, sizeof(out->check.target), "%s", u.redacted);

	s.deadline_ms = clock_monotonic_ms() + cfg->app.timeout_ms;
	s.password = u.password;
	probe_format_seconds(s.timeout_text, sizeof(s.timeout_text), cfg->app.timeout_ms);

	if (pg_connect(&s, &u, err, sizeof(err)) < 0 ||
	    pg_exchange(&s, cfg->app.timeout_ms, out, err, sizeof(err)) < 0) {
		check_set_error(&out->check, CHECK_UNHEALTHY, "%s", err);
		goto done;
	}
	out->check.state = CHECK_OK;
done:
	/* PQfinish also for a connection that failed: libpq allocated it. No
	 * PQcancel after a timeout: statement_timeout ends the query, and a
	 * cancel is one more network call that could hang. */
	if (s.conn)
		PQfinish(s.conn);
	if (parsed)
		pgurl_free(&u);
	out->check.checked_at_ms = clock_wall_ms();
}
