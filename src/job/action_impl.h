/* action_impl.h - the functions behind ACTION_OPS (actions.c);
 * private to src/job/. Each follows the contract of struct action_ops'
 * dry_run/run: 0, or -1 with the reason in err; lines through action_say().
 */
#ifndef OPSDECK_JOB_ACTION_IMPL_H
#define OPSDECK_JOB_ACTION_IMPL_H

#include <stddef.h>

#include "client/pg_session.h"
#include "config/pgurl.h"
#include "job/actions.h"

/* A connection of a PostgreSQL action (action_pg.c): the configured URL,
 * statement_timeout = app.timeout, each query bounded by app.timeout. */
struct action_db {
	struct pgurl url;
	bool parsed;
	struct pg_session session;
	int64_t timeout_ms;
};

/* Opens it; 0, or -1 with the reason in err (close it anyway). */
int action_db_open(struct action_run *run, struct action_db *c, char *err, size_t errlen);
void action_db_close(struct action_db *c);
/* Runs sql; 0 with *rows set (PQclear it), or -1 with the reason in err. */
int action_db_query(struct action_db *c, const char *sql, int nparams, const char *const *params,
                    PGresult **rows, char *err, size_t errlen);

/* action_redis.c */
int clear_cache_dry_run(struct action_run *run, char *err, size_t errlen);
int clear_cache_run(struct action_run *run, char *err, size_t errlen);

/* action_app.c */
int restart_app_dry_run(struct action_run *run, char *err, size_t errlen);
int restart_app_run(struct action_run *run, char *err, size_t errlen);

/* action_pg.c */
int reconnect_db_dry_run(struct action_run *run, char *err, size_t errlen);
int reconnect_db_run(struct action_run *run, char *err, size_t errlen);
int cancel_query_dry_run(struct action_run *run, char *err, size_t errlen);
int cancel_query_run(struct action_run *run, char *err, size_t errlen);
int terminate_query_dry_run(struct action_run *run, char *err, size_t errlen);
int terminate_query_run(struct action_run *run, char *err, size_t errlen);

/* action_blocker.c */
int terminate_blocker_dry_run(struct action_run *run, char *err, size_t errlen);
int terminate_blocker_run(struct action_run *run, char *err, size_t errlen);

#endif
