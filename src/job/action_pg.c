/* action_pg.c - the PostgreSQL actions: reconnect-db (terminate the app's
 * sessions idle in transaction longer than idle_in_tx, so its pool
 * reconnects), cancel-query and terminate-query (one pid).
 *
 * Only the app's own sessions are ever touched: same database and same user
 * as the configured URL, client backends only, never opsdeck's own session
 * (pg_backend_pid()), never a superuser's or a replication role's. The
 * filter is part of the statement that signals, not only of the listing, so
 * a session that changed in between is left alone. Each statement gets
 * app.timeout (pg_session.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/pgurl.h"
#include "job/action_impl.h"
#include "client/pg_session.h"
#include "probe/slow_queries.h"
#include "util/clock.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/text.h"

/* Sessions shown by a listing. */
#define SHOW_SESSIONS 50

/* pid, user, application_name, age of the state in ms, query head, state. */
#define SESSION_COLUMNS                                                                            \
	"a.pid, a.usename, coalesce(a.application_name, ''), "                                     \
	"(extract(epoch from (now() - coalesce(a.state_change, now()))) * 1000)::bigint, "         \
	"left(regexp_replace(coalesce(a.query, ''), '\\s+', ' ', 'g'), 80), coalesce(a.state, '')"
#define APP_SESSIONS                                                                               \
	" FROM pg_stat_activity a JOIN pg_roles r ON r.oid = a.usesysid"                           \
	" WHERE a.pid <> pg_backend_pid() AND a.datname = current_database()"                      \
	" AND a.usename = current_user AND a.backend_type = 'client backend'"                      \
	" AND NOT r.rolsuper AND NOT r.rolreplication"                                             \
	" AND a.application_name NOT IN ('opsdeck', 'opsdeck-backup')"
#define IDLE_IN_TX                                                                                 \
	" AND a.state IN ('idle in transaction', 'idle in transaction (aborted)')"                 \
	" AND a.state_change < now() - $1::bigint * interval '1 millisecond'"

static const char LIST_IDLE_SQL[] = SLOW_QUERIES_MARKER
    " SELECT " SESSION_COLUMNS APP_SESSIONS IDLE_IN_TX " ORDER BY a.state_change";
static const char TERMINATE_IDLE_SQL[] =
    SLOW_QUERIES_MARKER " SELECT a.pid, pg_terminate_backend(a.pid)" APP_SESSIONS IDLE_IN_TX
                        " AND a.pid = ANY($2::int[])";
static const char LIST_PID_SQL[] =
    SLOW_QUERIES_MARKER " SELECT " SESSION_COLUMNS APP_SESSIONS " AND a.pid = $1::int";
/* The busy sessions with their role in a lock: "waiting" when it waits on
 * another, else "blocker" when another waits on it (the head of the queue:
 * a waiter queued first blocks the ones behind it, but ending it frees
 * nothing); blockers first. */
#define SESSION_ROLE                                                                               \
	"CASE WHEN cardinality(pg_blocking_pids(a.pid)) > 0 THEN 'waiting'"                        \
	" WHEN EXISTS (SELECT 1 FROM pg_stat_activity w"                                           \
	" WHERE a.pid = ANY(pg_blocking_pids(w.pid))) THEN 'blocker' ELSE '' END"
static const char LIST_BUSY_SQL[] = SLOW_QUERIES_MARKER
    " SELECT * FROM (SELECT " SESSION_COLUMNS ", " SESSION_ROLE " AS role,"
    " a.state AS busy_state, a.state_change AS changed" APP_SESSIONS " AND a.state <> 'idle') s"
    " ORDER BY s.role <> 'blocker', s.role <> 'waiting',"
    " s.busy_state <> 'active', s.changed LIMIT 50";
static const char CANCEL_PID_SQL[] = SLOW_QUERIES_MARKER
    " SELECT a.pid, pg_cancel_backend(a.pid)" APP_SESSIONS " AND a.pid = $1::int";
static const char TERMINATE_PID_SQL[] = SLOW_QUERIES_MARKER
    " SELECT a.pid, pg_terminate_backend(a.pid)" APP_SESSIONS " AND a.pid = $1::int";

int action_db_open(struct action_run *run, struct action_db *c, char *err, size_t errlen)
{
	const struct config *cfg = run->cfg;
	char why[512];
	PGresult *rows = NULL;
	memset(c, 0, sizeof(*c));
	c->timeout_ms = cfg->app.timeout_ms;
	if (pgurl_parse(cfg->database.url, (long)c->timeout_ms, &c->url, err, errlen) < 0)
		return -1;
	c->parsed = true;
	pg_session_init(&c->session, c->url.password, c->timeout_ms);
	if (pg_session_connect(&c->session, &c->url, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "database %s: %s", c->url.redacted, why);
		return -1;
	}
	char sql[128];
	snprintf(sql, sizeof(sql), SLOW_QUERIES_MARKER " SET statement_timeout = %" PRId64,
	         c->timeout_ms > 0 ? c->timeout_ms : 1);
	if (pg_session_query(&c->session, sql, 0, NULL, &rows, NULL, err, errlen) < 0)
		return -1;
	PQclear(rows);
	return 0;
}

void action_db_close(struct action_db *c)
{
	pg_session_close(&c->session);
	if (c->parsed)
		pgurl_free(&c->url);
}

int action_db_query(struct action_db *c, const char *sql, int nparams, const char *const *params,
                    PGresult **rows, char *err, size_t errlen)
{
	c->session.deadline_ms = clock_monotonic_ms() + c->timeout_ms;
	if (pg_session_query(&c->session, sql, nparams, params, rows, NULL, err, errlen) < 0)
		return -1;
	if (!*rows) {
		snprintf(err, errlen, "the query returned no rows");
		return -1;
	}
	return 0;
}

/* Says one line per session of a listing (SESSION_COLUMNS) and, when pids is
 * not NULL, collects "{pid,pid,...}". */
static void db_say_sessions(struct action_run *run, const PGresult *rows, struct strbuf *pids)
{
	int n = PQntuples(rows);
	if (n > 0)
		action_say(run, "  %-8s %-12s %-16s %-8s %s", "pid", "user", "application", "age",
		           "query");
	for (int i = 0; i < n; i++) {
		int64_t age_ms = 0;
		char age[32];
		(void)text_parse_int64(PQgetvalue(rows, i, 3), &age_ms);
		text_format_duration(age, sizeof(age), age_ms);
		if (i < SHOW_SESSIONS)
			action_say(run, "  %-8s %-12s %-16s %-8s %s (%s)", PQgetvalue(rows, i, 0),
			           PQgetvalue(rows, i, 1), PQgetvalue(rows, i, 2), age,
			           PQgetvalue(rows, i, 4), PQgetvalue(rows, i, 5));
		if (pids) {
			strbuf_puts(pids, i ? "," : "{");
			strbuf_puts(pids, PQgetvalue(rows, i, 0));
		}
	}
	if (n > SHOW_SESSIONS)
		action_say(run, "  ... and %d more", n - SHOW_SESSIONS);
	if (pids)
		strbuf_puts(pids, n ? "}" : "{}");
}

/* Lists the stale sessions; *rows is the listing. */
static int reconnect_list(struct action_run *run, struct action_db *c, char param[32],
                          PGresult **rows, char *err, size_t errlen)
{
	char dur[32];
	snprintf(param, 32, "%" PRId64, run->cfg->thresholds.idle_in_tx_ms);
	text_format_duration(dur, sizeof(dur), run->cfg->thresholds.idle_in_tx_ms);
	const char *params[1] = {param};
	if (action_db_query(c, LIST_IDLE_SQL, 1, params, rows, err, errlen) < 0)
		return -1;
	action_say(run, "%d session%s of user %s in database %s idle in transaction longer than %s",
	           PQntuples(*rows), PQntuples(*rows) == 1 ? "" : "s", c->url.user, c->url.dbname,
	           dur);
	return 0;
}

int reconnect_db_dry_run(struct action_run *run, char *err, size_t errlen)
{
	struct action_db c;
	PGresult *rows = NULL;
	char param[32];
	int rc = -1;
	if (action_db_open(run, &c, err, errlen) < 0 ||
	    reconnect_list(run, &c, param, &rows, err, errlen) < 0)
		goto done;
	db_say_sessions(run, rows, NULL);
	action_say(run, "would terminate %s (pg_terminate_backend); the app's pool reconnects",
	           PQntuples(rows) ? "these sessions" : "nothing");
	snprintf(run->summary, sizeof(run->summary), "would terminate %d %s", PQntuples(rows),
	         text_plural(PQntuples(rows), "session", "sessions"));
	run->done = (uint64_t)PQntuples(rows);
	rc = 0;
done:
	PQclear(rows);
	action_db_close(&c);
	return rc;
}

int reconnect_db_run(struct action_run *run, char *err, size_t errlen)
{
	struct action_db c;
	PGresult *rows = NULL, *done_rows = NULL;
	struct strbuf pids;
	char param[32];
	int rc = -1;
	strbuf_init(&pids, 0);
	if (action_db_open(run, &c, err, errlen) < 0 ||
	    reconnect_list(run, &c, param, &rows, err, errlen) < 0)
		goto done;
	db_say_sessions(run, rows, &pids);
	if (PQntuples(rows) == 0) {
		snprintf(run->summary, sizeof(run->summary), "no stale session to terminate");
		action_say(run, "%s", run->summary);
		rc = 0;
		goto done;
	}
	if (action_cancelled(run))
		goto done;
	const char *params[2] = {param, strbuf_str(&pids)};
	if (action_db_query(&c, TERMINATE_IDLE_SQL, 2, params, &done_rows, err, errlen) < 0)
		goto done;
	int ended = 0;
	struct strbuf ended_pids;
	strbuf_init(&ended_pids, 160);
	for (int i = 0; i < PQntuples(done_rows); i++) {
		bool ok = strcmp(PQgetvalue(done_rows, i, 1), "t") == 0;
		if (ok)
			strbuf_printf(&ended_pids, "%s%s", ended ? ", " : " (pid ",
			              PQgetvalue(done_rows, i, 0));
		ended += ok;
		action_say(run, "  pid %s: %s", PQgetvalue(done_rows, i, 0),
		           ok ? "terminated" : "not terminated");
	}
	/* the audit outcome says which sessions ended */
	snprintf(run->summary, sizeof(run->summary), "terminated %d of %d stale session%s%s%s",
	         ended, PQntuples(rows), PQntuples(rows) == 1 ? "" : "s", strbuf_str(&ended_pids),
	         ended ? ")" : "");
	strbuf_free(&ended_pids);
	run->done = (uint64_t)ended;
	action_say(run, "%s", run->summary);
	rc = 0;
done:
	strbuf_free(&pids);
	PQclear(rows);
	PQclear(done_rows);
	action_db_close(&c);
	return rc;
}

/* Lists the one session of run->pid; ACTION_RUN_REFUSED when it is not
 * the app's (nothing is done to it), -1 when the query fails. */
static int pid_list(struct action_run *run, struct action_db *c, char param[16], PGresult **rows,
                    char *err, size_t errlen)
{
	snprintf(param, 16, "%d", run->pid);
	const char *params[1] = {param};
	if (action_db_query(c, LIST_PID_SQL, 1, params, rows, err, errlen) < 0)
		return -1;
	if (PQntuples(*rows) != 1) {
		snprintf(
		    err, errlen,
		    "pid %d is not a session of user %s in database %s (or it is opsdeck's own, "
		    "a superuser's or a replication session)",
		    run->pid, c->url.user, c->url.dbname);
		return ACTION_RUN_REFUSED;
	}
	db_say_sessions(run, *rows, NULL);
	return 0;
}

/* cancel-query and terminate-query (`id`): lists the session of run->pid
 * and refuses one the action cannot affect (a query to cancel in a session
 * that runs none), then, for a dry run (sql NULL), says "would <verb> pid
 * N"; otherwise runs sql on it and says "<done_text> pid N", or fails with
 * "could not <verb> pid N". done_text is not used by a dry run. */
static int pid_action(struct action_run *run, enum action_id id, const char *sql, const char *verb,
                      const char *done_text, char *err, size_t errlen)
{
	const struct action *a = &ACTIONS[id];
	struct action_db c;
	PGresult *rows = NULL, *done_rows = NULL;
	char param[16];
	int rc = -1;
	if (action_db_open(run, &c, err, errlen) < 0)
		goto done;
	rc = pid_list(run, &c, param, &rows, err, errlen);
	if (rc < 0)
		goto done;
	if (!action_affects_session(a, PQgetvalue(rows, 0, 5))) {
		char state[32];
		sanitize_text(state, sizeof(state), PQgetvalue(rows, 0, 5));
		snprintf(err, errlen, "pid %d is %s and runs no query: %s would do nothing%s%s%s",
		         run->pid, state, a->name, a->fallback ? "; " : "",
		         a->fallback ? a->fallback : "", a->fallback ? " ends the session" : "");
		rc = ACTION_RUN_REFUSED;
		goto done;
	}
	if (!sql) {
		action_say(run, "would %s pid %d", verb, run->pid);
		snprintf(run->summary, sizeof(run->summary), "would %s pid %d", verb, run->pid);
		goto done;
	}
	rc = -1;
	const char *params[1] = {param};
	if (action_db_query(&c, sql, 1, params, &done_rows, err, errlen) < 0)
		goto done;
	if (PQntuples(done_rows) != 1 || strcmp(PQgetvalue(done_rows, 0, 1), "t") != 0) {
		snprintf(err, errlen, "could not %s pid %d (it may have ended)", verb, run->pid);
		goto done;
	}
	snprintf(run->summary, sizeof(run->summary), "%s pid %d", done_text, run->pid);
	action_say(run, "%s", run->summary);
	run->done = 1;
	rc = 0;
done:
	PQclear(rows);
	PQclear(done_rows);
	action_db_close(&c);
	return rc;
}

int cancel_query_dry_run(struct action_run *run, char *err, size_t errlen)
{
	return pid_action(run, ACTION_CANCEL_QUERY, NULL, "cancel the running query of", "", err,
	                  errlen);
}

int cancel_query_run(struct action_run *run, char *err, size_t errlen)
{
	return pid_action(run, ACTION_CANCEL_QUERY, CANCEL_PID_SQL, "cancel the query of",
	                  "cancelled the query of", err, errlen);
}

int terminate_query_dry_run(struct action_run *run, char *err, size_t errlen)
{
	return pid_action(run, ACTION_TERMINATE_QUERY, NULL, "terminate the session of", "", err,
	                  errlen);
}

int terminate_query_run(struct action_run *run, char *err, size_t errlen)
{
	return pid_action(run, ACTION_TERMINATE_QUERY, TERMINATE_PID_SQL, "terminate",
	                  "terminated the session of", err, errlen);
}

int action_list_sessions(const struct config *cfg, struct action_session *out, int max, char *err,
                         size_t errlen)
{
	struct action_run run = {.cfg = cfg};
	struct action_db c;
	PGresult *rows = NULL;
	int n = -1;
	if (action_db_open(&run, &c, err, errlen) < 0 ||
	    action_db_query(&c, LIST_BUSY_SQL, 0, NULL, &rows, err, errlen) < 0)
		goto done;
	n = 0;
	for (int i = 0; i < PQntuples(rows) && n < max; i++, n++) {
		struct action_session *s = &out[n];
		int64_t value = 0;
		(void)text_parse_int64(PQgetvalue(rows, i, 0), &value);
		s->pid = (int)value;
		sanitize_text(s->user, sizeof(s->user), PQgetvalue(rows, i, 1));
		sanitize_text(s->application, sizeof(s->application), PQgetvalue(rows, i, 2));
		(void)text_parse_int64(PQgetvalue(rows, i, 3), &s->age_ms);
		sanitize_text(s->query, sizeof(s->query), PQgetvalue(rows, i, 4));
		sanitize_text(s->state, sizeof(s->state), PQgetvalue(rows, i, 5));
		sanitize_text(s->role, sizeof(s->role), PQgetvalue(rows, i, 6));
	}
done:
	PQclear(rows);
	action_db_close(&c);
	return n;
}
