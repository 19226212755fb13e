/* redis_load.h - Redis under load: slow commands, latency events,
 * persistence, pressure counters and replication. Plain data, no I/O.
 *
 * The Redis probe fills it from SLOWLOG GET, LATENCY LATEST and INFO
 * (probe/redis_load.c parses them). A slow-log entry keeps the command name
 * and its first key only: the other arguments can hold secrets (a SET of a
 * token, an EVAL script, an AUTH password) and never leave the probe. Every
 * string is sanitised and redacted, so a renderer prints it as is. All
 * members are fixed-size: memcpy copies a redis_load.
 */
#ifndef OPSDECK_MODEL_REDIS_LOAD_H
#define OPSDECK_MODEL_REDIS_LOAD_H

#include <stdbool.h>
#include <stdint.h>

#define REDIS_LOAD_SLOWLOG_MAX  16 /* entries read per poll (SLOWLOG GET 16) */
#define REDIS_LOAD_LATENCY_MAX  8  /* LATENCY LATEST events kept */
#define REDIS_LOAD_REPLICAS_MAX 4  /* replicas kept (slave0..slave3) */
#define REDIS_LOAD_NAME_TEXT    32
#define REDIS_LOAD_KEY_TEXT     64

/* Without a previous poll, a slow-log entry or latency event is "recent"
 * when it is at most this old at the poll. */
#define REDIS_LOAD_RECENT_S 300

struct redis_slow_entry {
	int64_t id;                          /* the slow log's own, rising by one per entry */
	int64_t started_s;                   /* unix time the command started */
	int64_t duration_us;                 /* its execution time */
	char command[REDIS_LOAD_NAME_TEXT];  /* "get", lower case */
	char first_key[REDIS_LOAD_KEY_TEXT]; /* "" when the command has no key */
};

struct redis_latency_event {
	char event[REDIS_LOAD_NAME_TEXT]; /* "command", "fork", "aof-write"... */
	int64_t at_s;                     /* unix time of the latest spike */
	int64_t latest_ms;
	int64_t max_ms; /* the worst since the monitor was reset */
};

enum redis_access {
	REDIS_ACCESS_UNKNOWN = 0, /* not asked (an older poll, or Redis down) */
	REDIS_ACCESS_OK,
	REDIS_ACCESS_DENIED, /* NOPERM: the ACL user may not run it */
	REDIS_ACCESS_FAILED, /* another error; the reason is in the text */
};

/* LATENCY LATEST's view. */
enum redis_latency_monitor {
	REDIS_LATENCY_UNKNOWN = 0, /* CONFIG GET not allowed: on or off unknown */
	REDIS_LATENCY_ON,
	REDIS_LATENCY_OFF, /* latency-monitor-threshold is 0 */
};

/* How to turn the monitor on, for the texts that say it is off. */
#define REDIS_LATENCY_ENABLE_HINT "CONFIG SET latency-monitor-threshold 100"

struct redis_replica {
	char addr[REDIS_LOAD_KEY_TEXT];   /* "10.0.0.7:6380" */
	char state[REDIS_LOAD_NAME_TEXT]; /* "online", "wait_bgsave"... */
	int64_t offset;                   /* replicated up to */
	int64_t lag_s;                    /* since its last ack; -1 unknown */
};

struct redis_load {
	/* SLOWLOG GET, newest first. */
	enum redis_access slowlog_access;
	int slowlog_count;
	struct redis_slow_entry slowlog[REDIS_LOAD_SLOWLOG_MAX];
	int64_t slowlog_newest_id; /* -1 when the log is empty */
	/* LATENCY LATEST. */
	enum redis_access latency_access;
	enum redis_latency_monitor latency_monitor;
	int latency_count;
	struct redis_latency_event latency[REDIS_LOAD_LATENCY_MAX];
	char access_error[192]; /* why SLOWLOG or LATENCY failed, "" when they did not */
	/* INFO persistence. */
	bool info_read; /* the fields below come from INFO */
	bool aof_enabled;
	bool aof_last_write_ok; /* aof_last_write_status:ok (true when AOF is off) */
	int64_t rdb_changes_since_last_save;
	bool rdb_bgsave_in_progress;
	int64_t latest_fork_usec;
	/* INFO stats and clients. */
	int64_t rejected_connections; /* counter */
	int64_t blocked_clients;      /* gauge */
	char maxmemory_policy[REDIS_LOAD_NAME_TEXT];
	/* INFO replication. */
	int64_t connected_replicas;
	int64_t master_repl_offset;
	int replica_count;
	struct redis_replica replicas[REDIS_LOAD_REPLICAS_MAX];
	/* On a replica: */
	bool master_link_up;              /* master_link_status:up */
	int64_t master_last_io_s;         /* -1 unknown */
	int64_t master_link_down_since_s; /* -1 when the link is up */
	int64_t replica_repl_offset;      /* slave_repl_offset */
	char master_addr[REDIS_LOAD_KEY_TEXT];
};

/* Sets the "unknown" markers (-1) of an empty redis_load. */
void redis_load_init(struct redis_load *l);

/* The slow-log entries newer than the previous poll's (previous NULL: those
 * started at most REDIS_LOAD_RECENT_S before now_s); how many there were in
 * all, which may exceed those kept when the log ran faster than the poll.
 * Returns the index just past the last recent entry in l->slowlog (newest
 * first), so entries [0, result) are the recent ones. */
int redis_load_recent_slow(const struct redis_load *l, const struct redis_load *previous,
                           int64_t now_s, int64_t *total);

/* The bytes a replica is behind its master, 0 when not behind. */
int64_t redis_load_replica_behind(const struct redis_load *l, const struct redis_replica *r);

const char *redis_access_name(enum redis_access a);                   /* "ok", "denied"... */
const char *redis_latency_monitor_name(enum redis_latency_monitor m); /* "on", "off", "unknown" */

#endif
