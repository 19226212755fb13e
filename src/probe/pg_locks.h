/* pg_locks.h - the one query for blocking chains and "running now", and the
 * parser of its rows into a lock_status (model/locks.h). Pure.
 *
 * The query reads pg_stat_activity once (pg_blocking_pids() only for the
 * sessions that wait on a lock, pg_locks.waitstart on PostgreSQL 14 and
 * later) and returns three kinds of rows, every value as text:
 *   'S' one summary row: opsdeck's own pid, the configured role, whether it
 *       is a superuser and sees every session, how many sessions it cannot
 *       see, this database's pg_stat_database.deadlocks;
 *   'L' the sessions involved in locks (waiting or waited on), blockers
 *       first, at most LOCKS_MAX_SESSIONS + 1 (one more says "truncated");
 *   'R' the LOCKS_MAX_RUNNING longest active queries.
 * opsdeck's own session is left out of 'L' and 'R'.
 */
#ifndef OPSDECK_PROBE_PG_LOCKS_H
#define OPSDECK_PROBE_PG_LOCKS_H

#include <stddef.h>

#include "model/locks.h"

enum pg_locks_column {
	PG_LOCKS_COL_KIND,
	PG_LOCKS_COL_PID,
	PG_LOCKS_COL_APP,
	PG_LOCKS_COL_USER,
	PG_LOCKS_COL_CLIENT,
	PG_LOCKS_COL_STATE,
	PG_LOCKS_COL_BACKEND_TYPE,
	PG_LOCKS_COL_BACKEND_START_US,
	PG_LOCKS_COL_XACT_AGE_S,
	PG_LOCKS_COL_QUERY_AGE_S,
	PG_LOCKS_COL_WAIT_AGE_S,
	PG_LOCKS_COL_WAIT_EVENT_TYPE,
	PG_LOCKS_COL_WAIT_EVENT,
	PG_LOCKS_COL_QUERY,
	PG_LOCKS_COL_SUPERUSER,
	PG_LOCKS_COL_BLOCKED_BY,
	PG_LOCKS_COL_COUNT
};

/* The query for a server of that version (server_version_num); a static
 * string. */
const char *pg_locks_sql(int server_version_num);

/* Fills out (locks_init first, then locks_build) from `rows` rows of
 * PG_LOCKS_COL_COUNT values each (row-major, NULL for SQL NULL). Returns 0,
 * or -1 with a reason in err when a value is malformed. Text is sanitised
 * and cut; query texts are redacted. */
int pg_locks_parse(const char *const *values, int rows, struct lock_status *out, char *err,
                   size_t errlen);

#endif
