/* probe_pg.c - PostgreSQL: connect, SELECT 1 (the latency), one aggregate
 * query over pg_stat_activity (see probe.h, pg_parse.h), then, on the same
 * connection, the request-log metrics (request_log.h) and the slow
 * statements from pg_stat_statements (slow_queries.h).
 *
 * The connection is a pg_session (pg_session.h): libpq's asynchronous API
 * driven with poll() against one deadline, app.timeout after the start: every
 * query of the probe, not each one, fits in it, host name lookup included
 * (pg_session resolves the name itself, see client_resolve in resolve.h).
 *
 * latency_ms is the SELECT 1 round trip on the established connection: the
 * time the server takes to answer, which is what slows the app. Connecting
 * (TCP, TLS, authentication) is not included; it is bounded by the same
 * deadline, and a slow one shows as a timeout. The request-log and
 * slow-query checks report their own query's round trip.
 *
 * Every statement starts with SLOW_QUERIES_MARKER, so opsdeck's own queries
 * can be told apart in pg_stat_statements and are not listed as the app's.
 * Identifiers are quoted with PQescapeIdentifier and values sent as
 * parameters (PQsendQueryParams): no configuration text is pasted into SQL.
 */
#include "probe/probe.h"

#include <inttypes.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/pgurl.h"
#include "probe/pg_connections.h"
#include "probe/pg_locks.h"
#include "probe/pg_parse.h"
#include "client/pg_session.h"
#include "probe/request_endpoints.h"
#include "probe/request_log.h"
#include "probe/request_window.h"
#include "probe/slow_queries.h"
#include "util/clock.h"
#include "util/cpu.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

/* SELECT 1 (timed) and the activity query on an open connection. Returns 0,
 * or -1 with the reason in err. */
static int pg_exchange(struct pg_session *s, int64_t timeout_ms, bool read_only,
                       struct pg_status *out, char *err, size_t errlen)
{
	int rc = -1;
	PGresult *rows = NULL;
	char *sql = NULL;

	int64_t start_us = clock_monotonic_us();
	if (pg_session_query(s, SLOW_QUERIES_MARKER " SELECT 1", 0, NULL, &rows, NULL, err,
	                     errlen) < 0)
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
	/* 0 would mean "no limit" to PostgreSQL. A statement we stop waiting
	 * for still ends on the server at most timeout_ms after it began. */
	/* In read-only mode ([recovery] read_only, --read-only) the session
	 * cannot write either: a second guard besides refusing the actions. */
	sql = xasprintf(SLOW_QUERIES_MARKER " SET statement_timeout = %" PRId64
	                                    "; %s" SLOW_QUERIES_MARKER " %s",
	                timeout_ms > 0 ? timeout_ms : 1,
	                read_only ? SLOW_QUERIES_MARKER " SET default_transaction_read_only = on; "
	                          : "",
	                PG_ACTIVITY_SQL);
	if (pg_session_query(s, sql, 0, NULL, &rows, NULL, err, errlen) < 0)
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

/* Sets the request-log check from a failed query (see pg_query). */
static void request_query_failed(struct request_metrics *m, const char *sqlstate, const char *why,
                                 const struct request_log_names *names)
{
	char line[SNAPSHOT_TEXT];
	request_log_describe_error(sqlstate, why, names, line, sizeof(line));
	check_set_error(&m->check, CHECK_UNHEALTHY, "%s", line);
}

/* The incremental path: the window query for the minutes since the
 * previous poll, applied to w, then the figures from w. On any failure w is
 * reset, so the next poll reads the whole window again. */
static void pg_request_window(struct pg_session *s, const struct config *cfg,
                              const struct request_log_names *names,
                              const struct request_log_plan *plan, struct request_window *w,
                              struct request_metrics *m)
{
	char err[SNAPSHOT_TEXT] = "", sqlstate[6] = "";
	char params[REQUEST_LOG_WINDOW_PARAM_COUNT][REQUEST_LOG_PARAM_SIZE];
	PGresult *rows = NULL;
	const char **values = NULL;
	char *sql = NULL;

	request_window_prepare(w, cfg->database.request_log, plan->window_ms);
	if (!(sql = request_log_window_sql(names))) {
		check_set_error(&m->check, CHECK_UNHEALTHY, "request log: cannot build the query");
		goto failed;
	}
	int64_t since_ms = request_window_since(w);
	request_log_window_params(plan->window_ms, since_ms, params);
	const char *window_params[REQUEST_LOG_WINDOW_PARAM_COUNT] = {params[0], params[1]};
	int64_t start_us = clock_monotonic_us();
	if (pg_session_query(s, sql, REQUEST_LOG_WINDOW_PARAM_COUNT, window_params, &rows, sqlstate,
	                     err, sizeof(err)) < 0) {
		request_query_failed(m, sqlstate, err, names);
		goto failed;
	}
	m->check.latency_ms = (double)(clock_monotonic_us() - start_us) / 1000.0;
	if (!(values = pg_result_values(rows, REQUEST_WINDOW_COL_COUNT, "the window query", err,
	                                sizeof(err))) ||
	    request_window_apply(w, plan->window_ms, since_ms, values, PQntuples(rows), err,
	                         sizeof(err)) < 0) {
		check_set_error(&m->check, CHECK_UNHEALTHY, "request log: %s", err);
		goto failed;
	}
	request_window_metrics(w, plan, m);
	goto done;
failed:
	request_window_reset(w);
done:
	free(values);
	PQclear(rows);
	free(sql);
}

/* The breakdown by path (request_endpoints.h) over the window the metrics
 * just read, on the same session: the window's pages are then in the
 * buffer cache. With no traffic there is nothing to break down; a table
 * without the column leaves it "not available". Never changes m->check. */
static void pg_request_endpoints(struct pg_session *s, const struct config *cfg,
                                 const struct request_log_names *names,
                                 const struct request_log_plan *plan, struct request_metrics *m)
{
	struct endpoint_breakdown *b = &m->endpoints;
	char err[SNAPSHOT_TEXT] = "", sqlstate[6] = "";
	char params[REQUEST_ENDPOINTS_PARAM_COUNT][REQUEST_LOG_PARAM_SIZE];
	const char *column = cfg->database.request_path_column;
	char *path = NULL, *sql = NULL;
	PGresult *rows = NULL;
	const char **values = NULL;

	if (!column || !column[0]) {
		b->state = ENDPOINTS_NOT_AVAILABLE;
		snprintf(b->why, sizeof(b->why), "breakdown not available: no path column set");
		return;
	}
	if (m->requests == 0) {
		b->state = ENDPOINTS_OK;
		return;
	}
	if (!(path = pg_session_quote(s, column, err, sizeof(err))) ||
	    !(sql = request_endpoints_sql(names, path))) {
		request_endpoints_describe_error("", err[0] ? err : "cannot build the query",
		                                 m->table, b);
		goto done;
	}
	request_endpoints_params(plan->window_ms, params);
	const char *query_params[REQUEST_ENDPOINTS_PARAM_COUNT] = {params[0], params[1]};
	if (pg_session_query(s, sql, REQUEST_ENDPOINTS_PARAM_COUNT, query_params, &rows, sqlstate,
	                     err, sizeof(err)) < 0) {
		request_endpoints_describe_error(sqlstate, err, m->table, b);
		goto done;
	}
	if (!(values = pg_result_values(rows, REQUEST_ENDPOINT_COL_COUNT, "the endpoint query", err,
	                                sizeof(err))) ||
	    request_endpoints_parse(values, PQntuples(rows), b, err, sizeof(err)) < 0)
		request_endpoints_describe_error("", err, m->table, b);
done:
	free(values);
	PQclear(rows);
	free(sql);
	PQfreemem(path);
}

/* The dashboard's breakdown: read again every REQUEST_ENDPOINTS_REFRESH_MS
 * of server time, else the one kept in w. */
static void pg_request_endpoints_kept(struct pg_session *s, const struct config *cfg,
                                      const struct request_log_names *names,
                                      const struct request_log_plan *plan, struct request_window *w,
                                      struct request_metrics *m)
{
	if (w->endpoints_at_ms > 0 && w->now_ms >= w->endpoints_at_ms &&
	    w->now_ms - w->endpoints_at_ms < REQUEST_ENDPOINTS_REFRESH_MS &&
	    strcmp(w->endpoints.column, m->endpoints.column) == 0) {
		m->endpoints = w->endpoints;
		return;
	}
	pg_request_endpoints(s, cfg, names, plan, m);
	w->endpoints = m->endpoints;
	w->endpoints_at_ms = w->now_ms;
}

/* The one metrics query over the whole window into m. true when m holds
 * its figures; false with m->check saying why. */
static bool pg_request_metrics_query(struct pg_session *s, const struct request_log_names *names,
                                     const struct request_log_plan *plan, struct request_metrics *m)
{
	char err[SNAPSHOT_TEXT] = "", sqlstate[6] = "";
	char params[REQUEST_LOG_PARAM_COUNT][REQUEST_LOG_PARAM_SIZE];
	PGresult *rows = NULL;
	const char **values = NULL;
	bool read = false;
	char *sql = request_log_sql(names);

	if (!sql) {
		check_set_error(&m->check, CHECK_UNHEALTHY, "request log: cannot build the query");
		return false;
	}
	request_log_params(plan, params);
	const char *metrics_params[REQUEST_LOG_PARAM_COUNT] = {params[0], params[1], params[2]};
	int64_t start_us = clock_monotonic_us();
	if (pg_session_query(s, sql, REQUEST_LOG_PARAM_COUNT, metrics_params, &rows, sqlstate, err,
	                     sizeof(err)) < 0) {
		request_query_failed(m, sqlstate, err, names);
		goto done;
	}
	m->check.latency_ms = (double)(clock_monotonic_us() - start_us) / 1000.0;
	if (!(values = pg_result_values(rows, REQUEST_COL_COUNT, "the metrics query", err,
	                                sizeof(err))) ||
	    request_log_parse(values, PQntuples(rows), plan, m, err, sizeof(err)) < 0)
		check_set_error(&m->check, CHECK_UNHEALTHY, "request log: %s", err);
	else
		read = true;
done:
	free(values);
	PQclear(rows);
	free(sql);
	return read;
}

/* The request-log metrics: the index check (which also finds a missing
 * table), then the one metrics query, or with a window the incremental
 * one. Fills m; never fails the database check. */
static void pg_request_metrics(struct pg_session *s, const struct config *cfg,
                               struct request_metrics *m, struct request_window *window)
{
	char err[SNAPSHOT_TEXT] = "", sqlstate[6] = "";
	char *table = NULL, *timestamp = NULL, *duration = NULL, *status = NULL;
	struct request_log_plan plan;
	PGresult *rows = NULL;
	const char **values = NULL;

	request_log_plan(cfg->database.window_ms, &plan);
	if (!(table = pg_session_quote(s, cfg->database.request_log, err, sizeof(err))) ||
	    !(timestamp = pg_session_quote(s, REQUEST_LOG_TIMESTAMP_COLUMN, err, sizeof(err))) ||
	    !(duration = pg_session_quote(s, REQUEST_LOG_DURATION_COLUMN, err, sizeof(err))) ||
	    !(status = pg_session_quote(s, REQUEST_LOG_STATUS_COLUMN, err, sizeof(err)))) {
		check_set_error(&m->check, CHECK_UNHEALTHY, "request log: %s", err);
		goto done;
	}
	const struct request_log_names names = {table, timestamp, duration, status};

	const char *index_params[2] = {table, REQUEST_LOG_TIMESTAMP_COLUMN};
	if (pg_session_query(s, REQUEST_LOG_INDEX_SQL, 2, index_params, &rows, sqlstate, err,
	                     sizeof(err)) < 0) {
		request_query_failed(m, sqlstate, err, &names);
		goto done;
	}
	int may_scan = -1;
	if (PQntuples(rows) != 1)
		snprintf(err, sizeof(err), "the index check returned %d rows", PQntuples(rows));
	else if ((values = pg_result_values(rows, REQUEST_INDEX_COL_COUNT, "the index check", err,
	                                    sizeof(err))))
		may_scan = request_log_parse_index(values, &names, m, err, sizeof(err));
	if (may_scan < 0)
		check_set_error(&m->check, CHECK_UNHEALTHY, "request log: %s", err);
	if (may_scan <= 0) {
		if (window)
			request_window_reset(window);
		goto done; /* a reason is in m->check */
	}
	free(values);
	values = NULL;
	PQclear(rows);
	rows = NULL;

	if (window) {
		pg_request_window(s, cfg, &names, &plan, window, m);
		if (m->check.state == CHECK_OK)
			pg_request_endpoints_kept(s, cfg, &names, &plan, window, m);
		goto done;
	}
	if (pg_request_metrics_query(s, &names, &plan, m))
		pg_request_endpoints(s, cfg, &names, &plan, m);
done:
	free(values);
	PQclear(rows);
	PQfreemem(table);
	PQfreemem(timestamp);
	PQfreemem(duration);
	PQfreemem(status);
}

/* Sets the slow-query check from a malformed reply. */
static void slow_reply_malformed(struct slow_query_status *sq, const char *why)
{
	sq->problem = SLOW_QUERY_FAILED;
	sq->count = 0;
	check_set_error(&sq->check, CHECK_UNHEALTHY, "pg_stat_statements: %s", why);
}

/* The slow statements: the catalog query (installed? which columns?), then
 * the list. Fills sq; never fails the database check. */
static void pg_slow_queries(struct pg_session *s, struct slow_query_status *sq,
                            struct slow_queries_baseline *baseline)
{
	char err[SNAPSHOT_TEXT] = "", sqlstate[6] = "";
	struct slow_queries_catalog cat;
	char params[SLOW_QUERIES_PARAM_COUNT][SLOW_QUERIES_PARAM_SIZE];
	PGresult *rows = NULL;
	const char **values = NULL;
	char *schema = NULL, *mean = NULL, *total = NULL, *sql = NULL;

	if (pg_session_query(s, SLOW_QUERIES_CATALOG_SQL, 0, NULL, &rows, sqlstate, err,
	                     sizeof(err)) < 0) {
		slow_queries_describe_error(sqlstate, err, sq);
		goto done;
	}
	if (!(values = pg_result_values(rows, SLOW_CATALOG_COL_COUNT, "the catalog query", err,
	                                sizeof(err))) ||
	    slow_queries_parse_catalog(values, PQntuples(rows), &cat, err, sizeof(err)) < 0) {
		slow_reply_malformed(sq, err);
		goto done;
	}
	if (!cat.installed) {
		slow_queries_not_installed(&cat, sq);
		goto done;
	}
	free(values);
	values = NULL;
	PQclear(rows);
	rows = NULL;

	if (!(schema = pg_session_quote(s, cat.schema, err, sizeof(err))) ||
	    !(mean = pg_session_quote(s, cat.mean_column, err, sizeof(err))) ||
	    !(total = pg_session_quote(s, cat.total_column, err, sizeof(err))) ||
	    !(sql = slow_queries_sql(schema, mean, total))) {
		slow_reply_malformed(sq, err[0] ? err : "cannot build the query");
		goto done;
	}
	slow_queries_params(sq->threshold_ms, params);
	const char *list_params[SLOW_QUERIES_PARAM_COUNT] = {params[0], params[1], params[2]};
	int64_t start_us = clock_monotonic_us();
	if (pg_session_query(s, sql, SLOW_QUERIES_PARAM_COUNT, list_params, &rows, sqlstate, err,
	                     sizeof(err)) < 0) {
		slow_queries_describe_error(sqlstate, err, sq);
		goto done;
	}
	sq->check.latency_ms = (double)(clock_monotonic_us() - start_us) / 1000.0;
	if (!(values = pg_result_values(rows, SLOW_COL_COUNT, "the slow-query list", err,
	                                sizeof(err))) ||
	    slow_queries_parse(values, PQntuples(rows), &cat, baseline, clock_monotonic_ms(), sq,
	                       err, sizeof(err)) < 0)
		slow_reply_malformed(sq, err);
done:
	free(values);
	PQclear(rows);
	free(sql);
	PQfreemem(schema);
	PQfreemem(mean);
	PQfreemem(total);
}

/* The connection groups: one query (pg_connections.h), the URL's user as
 * its parameter. Fills c; never fails the database check. */
static void pg_connection_groups(struct pg_session *s, const char *user, struct pg_connections *c)
{
	char err[SNAPSHOT_TEXT] = "";
	PGresult *rows = NULL;
	const char **values = NULL;
	char *sql = xasprintf(SLOW_QUERIES_MARKER " %s", PG_CONNECTIONS_SQL);
	const char *params[1] = {user};
	int64_t start_us = clock_monotonic_us();
	if (pg_session_query(s, sql, 1, params, &rows, NULL, err, sizeof(err)) < 0) {
		check_set_error(&c->check, CHECK_UNHEALTHY, "connections: %s", err);
		goto done;
	}
	c->check.latency_ms = (double)(clock_monotonic_us() - start_us) / 1000.0;
	if (!(values = pg_result_values(rows, PG_CONNECTIONS_COL_COUNT, "the connections query",
	                                err, sizeof(err))) ||
	    pg_connections_parse(values, PQntuples(rows), c, err, sizeof(err)) < 0) {
		check_set_error(&c->check, CHECK_UNHEALTHY, "connections: %s", err);
		goto done;
	}
	c->check.state = CHECK_OK;
done:
	free(values);
	PQclear(rows);
	free(sql);
}

/* The blocking chains and running queries: one query (pg_locks.h). Fills
 * locks; a failure is its error, never the database check's. */
static void pg_locks_read(struct pg_session *s, int server_version_num, struct lock_status *locks)
{
	char err[SNAPSHOT_TEXT] = "";
	PGresult *rows = NULL;
	const char **values = NULL;

	if (pg_session_query(s, pg_locks_sql(server_version_num), 0, NULL, &rows, NULL, err,
	                     sizeof(err)) < 0 ||
	    !(values = pg_result_values(rows, PG_LOCKS_COL_COUNT, "the locks query", err,
	                                sizeof(err))) ||
	    pg_locks_parse(values, PQntuples(rows), locks, err, sizeof(err)) < 0) {
		locks_init(locks);
		sanitize_text(locks->error, sizeof(locks->error), err);
	}
	free(values);
	PQclear(rows);
}

/* Sets a part that depends on the database connection when it was not
 * read: "not configured" as the database is, else unhealthy with the
 * database check's reason. */
static void pg_part_skipped(struct check_common *c, const struct check_common *database)
{
	if (database->state == CHECK_NOT_CONFIGURED)
		check_set_error(c, CHECK_NOT_CONFIGURED, "%s", database->error);
	else
		check_set_error(c, CHECK_UNHEALTHY, "not read: %s",
		                database->error[0] ? database->error : "no database connection");
}

/* Resets the parts before the probe fills them. */
static void pg_parts_reset(const struct config *cfg, const struct pg_probe_parts *p)
{
	if (p->requests) {
		struct request_log_plan plan;
		request_log_plan(cfg->database.window_ms, &plan);
		request_log_reset(p->requests,
		                  cfg->database.request_log ? cfg->database.request_log : "", &plan,
		                  clock_wall_ms());
		endpoints_reset(&p->requests->endpoints, cfg->database.request_path_column);
	}
	if (p->slow_queries)
		slow_queries_reset(p->slow_queries, cfg->database.slow_query_ms);
	if (p->locks)
		locks_init(p->locks);
	if (p->connections) {
		struct pg_connections *c = p->connections;
		memset(c, 0, sizeof(*c));
		probe_check_begin(&c->check);
		c->connection_limit = -1;
		c->instances = cfg->app.instances > 0 ? cfg->app.instances : 1;
		c->default_limit = pool_default_limit(cpu_physical_cores());
	}
	if (p->upkeep)
		pg_upkeep_reset(p->upkeep);
}

/* After the probe: a part the connection did not get to says why, from the
 * database check's own reason; every part gets its target and time. */
static void pg_part_finish(struct check_common *c, const char *target,
                           const struct check_common *database)
{
	if (target)
		snprintf(c->target, sizeof(c->target), "%s", target);
	if (c->state == CHECK_PENDING)
		pg_part_skipped(c, database);
	c->checked_at_ms = database->checked_at_ms;
}

void probe_pg(const struct config *cfg, struct pg_status *out, const struct pg_probe_parts *parts)
{
	static const struct pg_probe_parts none;
	const struct pg_probe_parts *p = parts ? parts : &none;
	struct pgurl u;
	struct pg_session s = {.conn = NULL};
	char err[SNAPSHOT_TEXT];
	bool parsed = false;

	memset(out, 0, sizeof(*out));
	probe_check_begin(&out->check);
	pg_parts_reset(cfg, p);

	int opened = probe_pg_open(cfg, &out->check, &u, &parsed, &s);
	if (parsed && p->connections) {
		p->connections->connection_limit = u.connection_limit;
		p->connections->pgbouncer = u.pgbouncer != 0;
	}
	if (opened < 0)
		goto done;
	if (pg_exchange(&s, cfg->app.timeout_ms, cfg->recovery.read_only, out, err, sizeof(err)) <
	    0) {
		check_set_error(&out->check, CHECK_UNHEALTHY, "%s", err);
		goto done;
	}
	out->check.state = CHECK_OK;
	if (p->locks)
		pg_locks_read(&s, out->server_version_num, p->locks);
	if (p->requests)
		pg_request_metrics(&s, cfg, p->requests, p->window);
	if (p->slow_queries)
		pg_slow_queries(&s, p->slow_queries, p->slow_baseline);
	if (p->connections)
		pg_connection_groups(&s, u.user, p->connections);
	if (p->upkeep)
		pg_upkeep_read(&s, p->upkeep);
done:
	/* PQfinish also for a connection that failed: libpq allocated it. No
	 * PQcancel after a timeout: statement_timeout ends the query, and a
	 * cancel is one more network call that could hang. */
	pg_session_close(&s);
	if (parsed)
		pgurl_free(&u);
	out->check.checked_at_ms = clock_wall_ms();
	if (p->requests)
		pg_part_finish(&p->requests->check, p->requests->table, &out->check);
	if (p->slow_queries)
		pg_part_finish(&p->slow_queries->check, "pg_stat_statements", &out->check);
	if (p->connections)
		pg_part_finish(&p->connections->check, "pg_stat_activity", &out->check);
	if (p->upkeep)
		pg_part_finish(&p->upkeep->check, out->check.target, &out->check);
}
