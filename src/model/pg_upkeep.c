/* pg_upkeep.c - figures derived from two polls of pg_upkeep_status (see
 * pg_upkeep.h). */
#include "model/pg_upkeep.h"

#include <string.h>

void pg_upkeep_reset(struct pg_upkeep_status *u)
{
	memset(u, 0, sizeof(*u));
	u->check.state = CHECK_PENDING;
	u->check.latency_ms = -1;
	u->replay_lag_s = -1;
	u->replay_pending_bytes = -1;
	u->cache_hit_ratio = -1;
	u->xid_age = -1;
	u->freeze_max_age = -1;
	u->temp_bytes = -1;
}

double pg_upkeep_xid_ratio(const struct pg_upkeep_status *u)
{
	return u->xid_age < 0 ? -1 : (double)u->xid_age / PG_XID_WRAPAROUND;
}

/* Both polls read and the counters of the same server life. */
static bool pg_upkeep_comparable(const struct pg_upkeep_status *now,
                                 const struct pg_upkeep_status *previous)
{
	return previous && now->check.state == CHECK_OK && previous->check.state == CHECK_OK &&
	       strcmp(now->check.target, previous->check.target) == 0;
}

int64_t pg_upkeep_temp_delta(const struct pg_upkeep_status *now,
                             const struct pg_upkeep_status *previous)
{
	if (!pg_upkeep_comparable(now, previous) || now->temp_bytes < 0 ||
	    previous->temp_bytes < 0 || now->temp_bytes < previous->temp_bytes)
		return -1;
	return now->temp_bytes - previous->temp_bytes;
}

double pg_upkeep_hit_ratio(const struct pg_upkeep_status *now,
                           const struct pg_upkeep_status *previous, int64_t *blocks)
{
	int64_t hit = now->blocks_hit, read = now->blocks_read;
	if (pg_upkeep_comparable(now, previous) && hit >= previous->blocks_hit &&
	    read >= previous->blocks_read &&
	    hit + read > previous->blocks_hit + previous->blocks_read) {
		hit -= previous->blocks_hit;
		read -= previous->blocks_read;
	}
	if (blocks)
		*blocks = hit + read;
	if (hit < 0 || read < 0 || hit + read <= 0)
		return -1;
	return (double)hit / (double)(hit + read);
}
