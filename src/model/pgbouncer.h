/* pgbouncer.h - PgBouncer's pools as its admin console showed them (SHOW
 * POOLS, SHOW STATS): per pool (database/user) the clients active and
 * waiting for a server connection, the server connections in use and idle,
 * and how long the oldest client has waited. Plain data, filled by
 * probe/pgbouncer.c, read by check/pgbouncer.c and diag/rules_pools.c. Names
 * are sanitised and redacted; the list is capped (the pools with the most
 * waiting clients first) and says how many pools there were in all.
 */
#ifndef OPSDECK_MODEL_PGBOUNCER_H
#define OPSDECK_MODEL_PGBOUNCER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/check_common.h"

#define PGBOUNCER_POOLS    8  /* pools kept, the most waiting clients first */
#define PGBOUNCER_NAME_LEN 64 /* a database or user name, sanitised and cut */

struct pgbouncer_pool {
	char database[PGBOUNCER_NAME_LEN];
	char user[PGBOUNCER_NAME_LEN];
	char mode[16];       /* pool_mode: "session", "transaction", "statement"; "" unknown */
	int cl_active;       /* clients paired with a server connection */
	int cl_waiting;      /* clients waiting for one */
	int sv_active;       /* server connections paired with a client */
	int sv_idle;         /* server connections ready for a client */
	int sv_used;         /* server connections idle for longer than server_check_delay */
	int64_t maxwait_us;  /* the oldest waiting client's wait (maxwait s + maxwait_us) */
	int64_t avg_wait_us; /* SHOW STATS avg_wait_time of the pool's database; -1 unknown */
};

struct pgbouncer_status {
	struct check_common check; /* NOT_CONFIGURED without pgbouncer_admin_url */
	int pool_total;            /* pools PgBouncer has (its admin console not counted) */
	int pool_count;            /* kept in pools[] */
	struct pgbouncer_pool pools[PGBOUNCER_POOLS];
	/* Over every pool, also those not kept. */
	int cl_active;
	int cl_waiting;
	int sv_active;
	int sv_idle;
	int64_t maxwait_us; /* the longest maxwait of any pool */
};

/* Clears s to "nothing read": no pools, check pending. */
void pgbouncer_reset(struct pgbouncer_status *s);

/* "database/user" into dst: the pool's name in messages and labels. */
void pgbouncer_pool_name(const struct pgbouncer_pool *p, char *dst, size_t size);

/* True when pool a goes before pool b in pools[]: more waiting clients,
 * then the longer maxwait, then more active clients, then the name. */
bool pgbouncer_pool_before(const struct pgbouncer_pool *a, const struct pgbouncer_pool *b);

#endif
