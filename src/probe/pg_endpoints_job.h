/* pg_endpoints_job.h - the endpoint breakdown of the request log
 * (request_endpoints.h) sent to PostgreSQL: on the database probe's own
 * session (the dashboard's periodic refresh), or on a connection of its
 * own beside the metrics query (a one-shot poll: status, check, diagnose),
 * so that the poll reads the window twice at the same time rather than
 * one scan after the other. For probe_pg.c only.
 */
#ifndef OPSDECK_PROBE_PG_ENDPOINTS_JOB_H
#define OPSDECK_PROBE_PG_ENDPOINTS_JOB_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "model/endpoints.h"
#include "probe/request_log.h"

struct pg_session;

/* The breakdown over the last window_ms on s into b (reset by the caller):
 * OK with its rows, NOT_AVAILABLE when no path column is set or the table
 * has none, FAILED with why. names are quoted; table is the name shown. */
void pg_endpoints_query(struct pg_session *s, const struct config *cfg,
                        const struct request_log_names *names, int64_t window_ms, const char *table,
                        struct endpoint_breakdown *b);

struct pg_endpoints_job {
	const struct config *cfg;              /* borrowed */
	const struct request_log_names *names; /* borrowed, until joined */
	int64_t window_ms;
	const char *table; /* borrowed, until joined */
	struct endpoint_breakdown result;
	pthread_t thread;
};

/* Starts the query in a thread on a connection of its own to [database]
 * url (within app.timeout, like every probe session). 0 when it runs (the
 * caller must pg_endpoints_job_join it), -1 when it was not started (no
 * path column set, no thread): the caller then uses pg_endpoints_query. */
int pg_endpoints_job_start(struct pg_endpoints_job *job, const struct config *cfg,
                           const struct request_log_names *names, int64_t window_ms,
                           const char *table);

/* Waits for the job (bounded by app.timeout) and copies its result into
 * b, or throws it away when b is NULL. */
void pg_endpoints_job_join(struct pg_endpoints_job *job, struct endpoint_breakdown *b);

#endif
