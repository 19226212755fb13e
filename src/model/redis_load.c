/* redis_load.c - the small derivations on a redis_load (see redis_load.h). */
#include "model/redis_load.h"

#include <string.h>

void redis_load_init(struct redis_load *l)
{
	memset(l, 0, sizeof(*l));
	l->slowlog_newest_id = -1;
	l->aof_last_write_ok = true;
	l->master_last_io_s = -1;
	l->master_link_down_since_s = -1;
}

int redis_load_recent_slow(const struct redis_load *l, const struct redis_load *previous,
                           int64_t now_s, int64_t *total)
{
	bool by_id = previous && previous->slowlog_access == REDIS_ACCESS_OK &&
	             previous->slowlog_newest_id >= 0 &&
	             previous->slowlog_newest_id <= l->slowlog_newest_id;
	int n = 0;
	while (n < l->slowlog_count) {
		const struct redis_slow_entry *e = &l->slowlog[n];
		if (by_id ? e->id <= previous->slowlog_newest_id
		          : e->started_s < now_s - REDIS_LOAD_RECENT_S)
			break;
		n++;
	}
	/* Ids rise by one per entry, so the count survives entries not kept. */
	*total = by_id ? l->slowlog_newest_id - previous->slowlog_newest_id : n;
	return n;
}

int64_t redis_load_replica_behind(const struct redis_load *l, const struct redis_replica *r)
{
	return l->master_repl_offset > r->offset ? l->master_repl_offset - r->offset : 0;
}

const char *redis_access_name(enum redis_access a)
{
	switch (a) {
	case REDIS_ACCESS_OK:
		return "ok";
	case REDIS_ACCESS_DENIED:
		return "denied";
	case REDIS_ACCESS_FAILED:
		return "failed";
	case REDIS_ACCESS_UNKNOWN:
		break;
	}
	return "unknown";
}

const char *redis_latency_monitor_name(enum redis_latency_monitor m)
{
	switch (m) {
	case REDIS_LATENCY_ON:
		return "on";
	case REDIS_LATENCY_OFF:
		return "off";
	case REDIS_LATENCY_UNKNOWN:
		break;
	}
	return "unknown";
}
