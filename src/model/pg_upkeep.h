/* pg_upkeep.h - PostgreSQL replication and upkeep as one poll saw them:
 * standbys and replication slots (on a primary), replay lag (on a standby),
 * transaction ID age, cache hit ratio, temporary bytes and the tables with
 * the most dead tuples. Plain data, filled by probe/pg_upkeep.c, read by
 * check/pg_upkeep.c and diag/rules_replication.c, rules_upkeep.c. Every
 * string is sanitised; lists are capped (the top N) and say how many there
 * were in all.
 */
#ifndef OPSDECK_MODEL_PG_UPKEEP_H
#define OPSDECK_MODEL_PG_UPKEEP_H

#include <stdbool.h>
#include <stdint.h>

#include "model/check_common.h"

#define PG_UPKEEP_STANDBYS 8 /* standbys kept, the most lagging first */
#define PG_UPKEEP_SLOTS    8 /* slots kept, the most WAL retained first */
#define PG_UPKEEP_TABLES   5 /* tables kept, the most dead tuples first */

/* Transaction IDs wrap around at 2^31: PostgreSQL stops taking writes a
 * few million before. */
#define PG_XID_WRAPAROUND 2147483648.0

/* One row of pg_stat_replication. Lags are -1 when the server has none
 * (NULL: an idle standby, or a role without pg_read_all_stats). */
struct pg_standby {
	char name[64];   /* application_name, sanitised */
	char client[64]; /* client address, "" for a local socket */
	char state[16];  /* "streaming", "catchup", ... */
	char sync_state[16];
	double write_lag_s;
	double flush_lag_s;
	double replay_lag_s;
	int64_t replay_behind_bytes; /* WAL sent but not replayed yet; -1 unknown */
};

/* One replication slot: WAL it keeps from being recycled. */
struct pg_slot {
	char name[64];
	char type[16]; /* "physical", "logical" */
	bool active;
	int64_t retained_bytes; /* from restart_lsn to the current WAL position; -1 unknown */
};

/* One table of pg_stat_user_tables. */
struct pg_table_dead {
	char name[128]; /* schema.table, sanitised */
	int64_t live_tuples;
	int64_t dead_tuples;
	double dead_ratio; /* dead / (live + dead); 0 for an empty table */
};

struct pg_upkeep_status {
	struct check_common check; /* OK when the query was read */
	bool in_recovery;          /* pg_is_in_recovery(): this server is a standby */
	/* On a primary. */
	int standby_total; /* rows of pg_stat_replication */
	int standby_count; /* kept in standbys[] */
	struct pg_standby standbys[PG_UPKEEP_STANDBYS];
	int slot_total;
	int slot_count;
	struct pg_slot slots[PG_UPKEEP_SLOTS];
	/* On a standby: -1 when not a standby or unknown. replay_lag_s is 0
	 * while everything received is replayed (an idle primary sends nothing,
	 * which is no lag). */
	double replay_lag_s;
	int64_t replay_pending_bytes; /* received but not replayed */
	bool replay_paused;           /* pg_is_wal_replay_paused() */
	/* Upkeep. */
	int64_t xid_age;        /* max(age(datfrozenxid)) over the databases */
	char xid_database[64];  /* the database that has it */
	int64_t freeze_max_age; /* autovacuum_freeze_max_age */
	int64_t blocks_hit;     /* this database, since the statistics reset */
	int64_t blocks_read;
	double cache_hit_ratio; /* hit / (hit + read); -1 with no block access */
	int64_t temp_bytes;     /* written to temporary files since the reset */
	int table_count;
	struct pg_table_dead tables[PG_UPKEEP_TABLES];
};

/* The oldest transaction ID age as a share of the wraparound horizon. */
double pg_upkeep_xid_ratio(const struct pg_upkeep_status *u);

/* Temporary bytes written between two polls of the same server; -1 when
 * either was not read or the counter went back (a statistics reset). */
int64_t pg_upkeep_temp_delta(const struct pg_upkeep_status *now,
                             const struct pg_upkeep_status *previous);

/* The cache hit ratio between two polls, or the cumulative one without an
 * earlier poll (or after a reset, or with no block access between them); -1
 * with no block access at all. blocks (may be NULL) receives how many block
 * accesses the ratio is over. */
double pg_upkeep_hit_ratio(const struct pg_upkeep_status *now,
                           const struct pg_upkeep_status *previous, int64_t *blocks);

/* Clears u: check pending, every figure unknown. */
void pg_upkeep_reset(struct pg_upkeep_status *u);

#endif
