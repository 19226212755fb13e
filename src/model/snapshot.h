/* snapshot.h - one poll's results: plain data, no I/O, no curses, no JSON.
 *
 * Probes fill a Snapshot; renderers (text, JSON, Prometheus, Nagios, the
 * dashboard) only read it. Every string in it has already been sanitised
 * (sanitize_text) and redacted (redact_text), so a renderer may print it
 * as is. All members are fixed-size, so a Snapshot is copied with memcpy.
 */
#ifndef OPSDECK_MODEL_SNAPSHOT_H
#define OPSDECK_MODEL_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>

#define SNAPSHOT_TEXT 256
#define SNAPSHOT_MAX_PATHS 16

/* The state of one check. Order matters: worse states compare greater. */
enum check_state {
	CHECK_NOT_CONFIGURED = 0, /* nothing to check: not a failure */
	CHECK_PENDING,            /* not probed yet */
	CHECK_OK,
	CHECK_UNHEALTHY,
};

const char *check_state_name(enum check_state state); /* "ok", "unhealthy", ... */

/* What every check has in common. */
struct check_common {
	enum check_state state;
	double latency_ms;        /* the probe's round trip, -1 when unknown */
	int64_t checked_at_ms;    /* wall clock when the probe finished, 0 if never */
	char target[SNAPSHOT_TEXT]; /* what was probed, redacted (URL, path) */
	char error[SNAPSHOT_TEXT];  /* why unhealthy / not configured, or "" */
};

struct pg_status {
	struct check_common check;
	char server_version[64];      /* "15.18" */
	int server_version_num;       /* 150018 */
	int max_connections;
	int connections_total;        /* client backends, all databases */
	int connections_active;
	int connections_idle;
	int connections_idle_in_tx;   /* idle in transaction (+ aborted) */
	int connections_other;        /* fastpath, disabled, starting... */
	double longest_idle_in_tx_s;  /* 0 when none */
	double longest_query_s;       /* longest running active query, 0 when none */
	int lock_waiters;             /* backends waiting on a lock */
};

struct redis_status {
	struct check_common check;
	char version[32];
	char role[16];                /* "master", "slave" */
	int64_t used_memory;          /* bytes */
	int64_t maxmemory;            /* bytes, 0 = no limit */
	double fragmentation_ratio;   /* mem_fragmentation_ratio */
	int64_t connected_clients;
	int64_t evicted_keys;
	int64_t keyspace_hits;
	int64_t keyspace_misses;
	double hit_rate;              /* hits / (hits + misses), -1 when no lookups */
	bool last_bgsave_ok;          /* rdb_last_bgsave_status:ok */
	int64_t uptime_s;
};

struct http_status {
	struct check_common check;
	long status_code;             /* 0 when no answer */
	char body[SNAPSHOT_TEXT];     /* head of the body, sanitised */
	bool body_truncated;
};

enum version_source {
	VERSION_SOURCE_NONE = 0,
	VERSION_SOURCE_URL,
	VERSION_SOURCE_FILE,
};

struct version_status {
	struct check_common check;    /* OK when a version was read */
	enum version_source source;
	char version[64];             /* "unknown" when not read */
	char build_number[64];
	char commit_hash[64];
	char build_date[64];
	char url_error[SNAPSHOT_TEXT];  /* why version_url gave nothing, or "" */
	char file_error[SNAPSHOT_TEXT]; /* why version_file gave nothing, or "" */
};

struct disk_status {
	char path[SNAPSHOT_TEXT];
	enum check_state state;
	char error[SNAPSHOT_TEXT];
	uint64_t total_bytes;
	uint64_t free_bytes;          /* free for root */
	uint64_t avail_bytes;         /* free for unprivileged users */
	double used_percent;          /* as df shows it: used / (used + avail) */
	uint64_t inodes_total;
	uint64_t inodes_free;
	double inodes_used_percent;   /* -1 when the filesystem has no inode count */
};

struct storage_status {
	struct check_common check;    /* worst of the paths */
	double max_used_percent;
	int path_count;
	struct disk_status paths[SNAPSHOT_MAX_PATHS];
};

struct snapshot {
	int64_t taken_at_ms;          /* wall clock when the poll started */
	int64_t duration_ms;          /* how long the whole poll took */
	char app_name[64];
	struct version_status version;
	struct pg_status database;
	struct redis_status redis;
	struct http_status health;
	struct storage_status storage;
};

/* The overall state of the health checks (database, redis, health,
 * storage): UNHEALTHY if any is, else OK if any is OK, else NOT_CONFIGURED. */
enum check_state snapshot_overall(const struct snapshot *s);

/* Marks every check "pending" and clears the figures. */
void snapshot_init(struct snapshot *s);

/* Sets a check's error text from backend text: sanitised and redacted. */
void check_set_error(struct check_common *c, enum check_state state, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
