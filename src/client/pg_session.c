/* pg_session.c - a libpq connection against one deadline (see pg_session.h). */
#include "client/pg_session.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "client/client.h"
#include "client/resolve.h"
#include "util/clock.h"
#include "util/message.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

void pg_session_init(struct pg_session *s, const char *password, int64_t timeout_ms)
{
	memset(s, 0, sizeof(*s));
	s->deadline_ms = clock_monotonic_ms() + timeout_ms;
	s->password = password;
	client_format_seconds(s->timeout_text, sizeof(s->timeout_text), timeout_ms);
}

/* Turns a libpq message into one short line for the operator. libpq writes
 * 'connection to server at "db" (10.0.0.5), port 5432 failed: FATAL:
 * password authentication failed for user "app"' and, when it tried several
 * addresses, one such line per address (plus hint lines starting with a
 * tab). The last attempt's line is the one that matters; the host and port
 * are already in the check's target, and "FATAL:" adds nothing. */
void pg_session_reason(const struct pg_session *s, const char *message, char *err, size_t errlen)
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
	client_mask_secret(err, errlen, s->password);
}

/* Explains why waiting for the socket ended (client_wait_fd's result). */
static void pg_session_describe_wait(const struct pg_session *s, int ready, const char *phase,
                                     char *err, size_t errlen)
{
	if (ready < 0)
		snprintf(err, errlen, "poll: %s", strerror(errno));
	else
		snprintf(err, errlen, "timed out after %s %s", s->timeout_text, phase);
}

/* client_wait_fd against the deadline, looking at the cancel flag every
 * PG_SESSION_CANCEL_MS. 1 ready; else -1 with the reason in err (the
 * timeout, poll's error, "cancelled"). */
static int pg_session_wait(const struct pg_session *s, short events, const char *phase, char *err,
                           size_t errlen)
{
	for (;;) {
		if (s->cancel && atomic_load(s->cancel)) {
			snprintf(err, errlen, "cancelled %s", phase);
			return -1;
		}
		int64_t until = s->deadline_ms;
		if (s->cancel && until - clock_monotonic_ms() > PG_SESSION_CANCEL_MS)
			until = clock_monotonic_ms() + PG_SESSION_CANCEL_MS;
		int ready = client_wait_fd(PQsocket(s->conn), events, until);
		if (ready > 0)
			return 1;
		if (ready < 0 || until == s->deadline_ms) {
			pg_session_describe_wait(s, ready, phase, err, errlen);
			return -1;
		}
	}
}

/* The most addresses of one host name handed to libpq. */
#define PG_SESSION_MAX_ADDRESSES 8

/* The connection parameters, with u's host name resolved. */
struct pg_session_params {
	const char *keywords[PGURL_MAX_PARAMS + 2];
	const char *values[PGURL_MAX_PARAMS + 2];
	char hostaddr[PG_SESSION_MAX_ADDRESSES * (INET6_ADDRSTRLEN + 1)];
	char *hosts; /* malloc'ed: the host once per address */
};

/* libpq resolves a host name with a blocking getaddrinfo() that no deadline
 * bounds (see client_resolve), so the name is resolved here, within the
 * deadline, and libpq gets the addresses as hostaddr, with host repeated
 * once for each: host still names the server for authentication, TLS and
 * the passfile. A socket directory, a list of hosts or an explicit hostaddr
 * is left to libpq. Returns 0, or -1 with the reason in err. */
static int pg_session_resolve(const struct pg_session *s, const struct pgurl *u,
                              struct pg_session_params *p, char *err, size_t errlen)
{
	size_t n = 0;
	bool resolve =
	    u->host[0] && u->host[0] != '/' && u->host[0] != '@' && !strchr(u->host, ',');
	for (size_t i = 0; u->keywords[i]; i++)
		if (strcmp(u->keywords[i], "hostaddr") == 0)
			resolve = false;
	p->hosts = NULL;
	if (resolve) {
		char why[256];
		int count =
		    client_resolve(u->host, AF_UNSPEC, PG_SESSION_MAX_ADDRESSES, s->deadline_ms,
		                   p->hostaddr, sizeof(p->hostaddr), why, sizeof(why));
		char text[512];
		if (count == CLIENT_RESOLVE_TIMEOUT) {
			snprintf(text, sizeof(text), "timed out after %s resolving %s",
			         s->timeout_text, u->host);
			pg_session_reason(s, text, err, errlen);
			return -1;
		}
		if (count < 0) {
			/* libpq's own words for it */
			snprintf(text, sizeof(text),
			         "could not translate host name \"%s\" to address: %s", u->host,
			         why);
			pg_session_reason(s, text, err, errlen);
			return -1;
		}
		size_t host_len = strlen(u->host);
		p->hosts = malloc((host_len + 1) * (size_t)count);
		if (!p->hosts) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		for (int i = 0; i < count; i++) {
			memcpy(p->hosts + i * (host_len + 1), u->host, host_len);
			p->hosts[i * (host_len + 1) + host_len] = i + 1 < count ? ',' : '\0';
		}
	}
	for (size_t i = 0; u->keywords[i]; i++) {
		p->keywords[n] = u->keywords[i];
		p->values[n++] =
		    p->hosts && strcmp(u->keywords[i], "host") == 0 ? p->hosts : u->values[i];
	}
	if (p->hosts) {
		p->keywords[n] = "hostaddr";
		p->values[n++] = p->hostaddr;
	}
	p->keywords[n] = p->values[n] = NULL;
	return 0;
}

/* libpq's own notices (a server WARNING, such as pg_cancel_backend's on a pid
 * that is no backend) would go to stderr, which is the dashboard's screen:
 * they go to the message sink, sanitised, one line. */
static void pg_session_notice(void *arg, const char *message)
{
	(void)arg;
	char clean[MESSAGE_LINE_MAX];
	sanitize_text(clean, sizeof(clean), message);
	size_t n = strlen(clean);
	while (n > 0 && clean[n - 1] == ' ')
		clean[--n] = '\0';
	message_emit("PostgreSQL: %s", clean);
}

/* Connects within the deadline. Returns 0, or -1 with the reason in err.
 * s->conn is set whenever libpq allocated one, to be PQfinish'ed. */
int pg_session_connect(struct pg_session *s, const struct pgurl *u, char *err, size_t errlen)
{
	struct pg_session_params params;
	if (pg_session_resolve(s, u, &params, err, errlen) != 0)
		return -1;
	s->conn = PQconnectStartParams(params.keywords, params.values, 0);
	free(params.hosts);
	if (!s->conn) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	PQsetNoticeProcessor(s->conn, pg_session_notice, NULL);
	/* As libpq's documentation says: start as if PQconnectPoll had asked
	 * to write, then wait for whatever it asks next. */
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	for (;;) {
		if (PQstatus(s->conn) == CONNECTION_BAD || st == PGRES_POLLING_FAILED) {
			pg_session_reason(s, PQerrorMessage(s->conn), err, errlen);
			return -1;
		}
		if (st == PGRES_POLLING_OK)
			break;
		/* The socket changes as libpq moves on to the next address. */
		int fd = PQsocket(s->conn);
		if (fd < 0) {
			pg_session_reason(s, PQerrorMessage(s->conn), err, errlen);
			return -1;
		}
		int ready = client_wait_fd(fd, st == PGRES_POLLING_READING ? POLLIN : POLLOUT,
		                           s->deadline_ms);
		if (ready <= 0) {
			pg_session_describe_wait(s, ready, "connecting", err, errlen);
			return -1;
		}
		st = PQconnectPoll(s->conn);
	}
	if (PQsetnonblocking(s->conn, 1) != 0) {
		pg_session_reason(s, PQerrorMessage(s->conn), err, errlen);
		return -1;
	}
	return 0;
}

/* Sends sql and reads every result within the deadline. Without params
 * (nparams 0) sql may hold several statements (PQsendQuery); with them it is
 * one statement, the values sent apart from the text (PQsendQueryParams).
 * *rows receives the last result that returned rows (the caller PQclear's
 * it; NULL when none). Returns 0, or -1 with the reason in err: the first
 * error result's message, a connection error, or a timeout; sqlstate (may be
 * NULL) then holds the server's SQLSTATE, or "" when the failure was not the
 * server's. */
int pg_session_query(struct pg_session *s, const char *sql, int nparams, const char *const *params,
                     PGresult **rows, char sqlstate[6], char *err, size_t errlen)
{
	PGconn *conn = s->conn;
	int rc = 0;
	*rows = NULL;
	if (sqlstate)
		sqlstate[0] = '\0';
	if (s->broken) {
		/* A reply we gave up on is still due: libpq would refuse. */
		snprintf(err, errlen, "not read: an earlier query used up the %s timeout",
		         s->timeout_text);
		return -1;
	}

	int sent = nparams > 0 ? PQsendQueryParams(conn, sql, nparams, NULL, params, NULL, NULL, 0)
	                       : PQsendQuery(conn, sql);
	if (!sent) {
		pg_session_reason(s, PQerrorMessage(conn), err, errlen);
		s->broken = true;
		return -1;
	}
	/* Non-blocking: the query may not all be sent yet. */
	for (;;) {
		int flushed = PQflush(conn);
		if (flushed == 0)
			break;
		if (flushed < 0) {
			pg_session_reason(s, PQerrorMessage(conn), err, errlen);
			s->broken = true;
			return -1;
		}
		if (pg_session_wait(s, POLLIN | POLLOUT, "sending a query", err, errlen) < 0) {
			s->broken = true;
			return -1;
		}
		if (!PQconsumeInput(conn)) {
			pg_session_reason(s, PQerrorMessage(conn), err, errlen);
			s->broken = true;
			return -1;
		}
	}
	/* Read until PQgetResult returns NULL, as libpq requires before the
	 * next query, keeping the first error if any. */
	for (;;) {
		while (PQisBusy(conn)) {
			if (pg_session_wait(s, POLLIN, "waiting for a reply", err, errlen) < 0) {
				s->broken = true;
				PQclear(*rows);
				*rows = NULL;
				return -1;
			}
			if (!PQconsumeInput(conn)) {
				pg_session_reason(s, PQerrorMessage(conn), err, errlen);
				s->broken = true;
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
			pg_session_reason(s, PQresultErrorMessage(res), err, errlen);
			const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
			if (sqlstate && state)
				snprintf(sqlstate, 6, "%.5s", state);
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

void pg_session_close(struct pg_session *s)
{
	if (s->conn)
		PQfinish(s->conn);
	s->conn = NULL;
}

const char **pg_result_values(const PGresult *res, int columns, const char *what, char *err,
                              size_t errlen)
{
	if (!res || PQnfields(res) != columns) {
		snprintf(err, errlen, "%s returned %d columns, not %d", what,
		         res ? PQnfields(res) : 0, columns);
		return NULL;
	}
	int rows = PQntuples(res);
	const char **values =
	    xcalloc((size_t)(rows > 0 ? rows : 1) * (size_t)columns, sizeof(*values));
	for (int r = 0; r < rows; r++)
		for (int c = 0; c < columns; c++)
			values[(size_t)r * (size_t)columns + (size_t)c] =
			    PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c);
	return values;
}

char *pg_session_quote(struct pg_session *s, const char *name, char *err, size_t errlen)
{
	char *quoted = PQescapeIdentifier(s->conn, name, strlen(name));
	if (!quoted)
		pg_session_reason(s, PQerrorMessage(s->conn), err, errlen);
	return quoted;
}
