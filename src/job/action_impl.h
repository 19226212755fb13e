/* action_impl.h - the functions behind ACTION_OPS (actions.c);
 * private to src/job/. Each follows the contract of struct action_ops'
 * dry_run/run: 0, or -1 with the reason in err; lines through action_say().
 */
#ifndef OPSDECK_JOB_ACTION_IMPL_H
#define OPSDECK_JOB_ACTION_IMPL_H

#include <stddef.h>

#include "job/actions.h"

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

#endif
