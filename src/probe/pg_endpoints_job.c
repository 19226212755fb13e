/* pg_endpoints_job.c - the endpoint breakdown query, on the probe's session
 * or beside it (see pg_endpoints_job.h). */
#include "probe/pg_endpoints_job.h"

#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/pg_session.h"
#include "config/pgurl.h"
#include "model/check_common.h"
#include "probe/probe.h"
#include "probe/request_endpoints.h"
#include "probe/slow_queries.h"
#include "util/xalloc.h"

void pg_endpoints_query(struct pg_session *s, const struct config *cfg,
                        const struct request_log_names *names, int64_t window_ms, const char *table,
                        struct endpoint_breakdown *b)
{
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
	if (!(path = pg_session_quote(s, column, err, sizeof(err))) ||
	    !(sql = request_endpoints_sql(names, path))) {
		request_endpoints_describe_error("", err[0] ? err : "cannot build the query", table,
		                                 b);
		goto done;
	}
	request_endpoints_params(window_ms, params);
	const char *query_params[REQUEST_ENDPOINTS_PARAM_COUNT] = {params[0], params[1]};
	if (pg_session_query(s, sql, REQUEST_ENDPOINTS_PARAM_COUNT, query_params, &rows, sqlstate,
	                     err, sizeof(err)) < 0) {
		request_endpoints_describe_error(sqlstate, err, table, b);
		goto done;
	}
	if (!(values = pg_result_values(rows, REQUEST_ENDPOINT_COL_COUNT, "the endpoint query", err,
	                                sizeof(err))) ||
	    request_endpoints_parse(values, PQntuples(rows), b, err, sizeof(err)) < 0)
		request_endpoints_describe_error("", err, table, b);
done:
	free(values);
	PQclear(rows);
	free(sql);
	PQfreemem(path);
}

/* The thread: connect, bound the statement on the server as the probe's
 * own session does, then the query. */
static void *pg_endpoints_job_main(void *arg)
{
	struct pg_endpoints_job *job = arg;
	const struct config *cfg = job->cfg;
	struct check_common c;
	struct pgurl u;
	struct pg_session s = {.conn = NULL};
	bool parsed = false;
	char err[SNAPSHOT_TEXT] = "";
	PGresult *rows = NULL;

	memset(&c, 0, sizeof(c));
	if (probe_pg_open(cfg, &c, &u, &parsed, &s) < 0) {
		request_endpoints_describe_error("", c.error, job->table, &job->result);
		goto done;
	}
	char *set = xasprintf(SLOW_QUERIES_MARKER " SET statement_timeout = %" PRId64,
	                      cfg->app.timeout_ms > 0 ? cfg->app.timeout_ms : 1);
	int rc = pg_session_query(&s, set, 0, NULL, &rows, NULL, err, sizeof(err));
	free(set);
	PQclear(rows);
	if (rc < 0) {
		request_endpoints_describe_error("", err, job->table, &job->result);
		goto done;
	}
	pg_endpoints_query(&s, cfg, job->names, job->window_ms, job->table, &job->result);
done:
	pg_session_close(&s);
	if (parsed)
		pgurl_free(&u);
	return NULL;
}

int pg_endpoints_job_start(struct pg_endpoints_job *job, const struct config *cfg,
                           const struct request_log_names *names, int64_t window_ms,
                           const char *table)
{
	const char *column = cfg->database.request_path_column;
	if (!column || !column[0])
		return -1;
	memset(job, 0, sizeof(*job));
	job->cfg = cfg;
	job->names = names;
	job->window_ms = window_ms;
	job->table = table;
	endpoints_reset(&job->result, column);
	return pthread_create(&job->thread, NULL, pg_endpoints_job_main, job) == 0 ? 0 : -1;
}

void pg_endpoints_job_join(struct pg_endpoints_job *job, struct endpoint_breakdown *b)
{
	pthread_join(job->thread, NULL);
	if (b)
		*b = job->result;
}
