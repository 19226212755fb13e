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
#include <stddef.h>
#include <stdint.h>

#include "model/check_common.h"
#include "model/connections.h"
#include "model/deploy.h"
#include "model/drill.h"
#include "model/endpoints.h"
#include "model/locks.h"
#include "model/redis_load.h"
#include "model/pg_upkeep.h"
#include "model/pgbouncer.h"

#define SNAPSHOT_MAX_PATHS 16

struct pg_status {
	struct check_common check;
	char server_version[64]; /* "15.18" */
	int server_version_num;  /* 150018 */
	int max_connections;
	int connections_total; /* client backends, all databases */
	int connections_active;
	int connections_idle;
	int connections_idle_in_tx;  /* idle in transaction (+ aborted) */
	int connections_other;       /* fastpath, disabled, starting... */
	double longest_idle_in_tx_s; /* 0 when none */
	double longest_query_s;      /* longest running active query, 0 when none */
	int lock_waiters;            /* backends waiting on a lock */
};

struct redis_status {
	struct check_common check;
	char version[32];
	char role[16];              /* "master", "slave" */
	int64_t used_memory;        /* bytes */
	int64_t maxmemory;          /* bytes, 0 = no limit */
	double fragmentation_ratio; /* mem_fragmentation_ratio */
	int64_t connected_clients;
	int64_t evicted_keys;
	int64_t keyspace_hits;
	int64_t keyspace_misses;
	double hit_rate;     /* hits / (hits + misses), -1 when no lookups */
	bool last_bgsave_ok; /* rdb_last_bgsave_status:ok */
	int64_t uptime_s;
	/* rediss://: "TLSv1.3 TLS_AES_256_GCM_SHA384", with ", certificate not
	 * verified" under [redis] tls_verify = false; "" over plain TCP */
	char tls[96];
};

/* [app] health_url may list several instances (behind a load balancer). */
#define APP_INSTANCES_MAX 16

/* One instance's answer, when health_url lists more than one. */
struct app_instance {
	char url[SNAPSHOT_TEXT]; /* redacted */
	enum check_state state;  /* OK on 2xx, else UNHEALTHY */
	long status_code;        /* 0 when no answer */
	double latency_ms;       /* -1 when no answer */
	char error[SNAPSHOT_TEXT];
};

struct http_status {
	struct check_common check;
	long status_code;         /* 0 when no answer */
	char body[SNAPSHOT_TEXT]; /* head of the body, sanitised */
	bool body_truncated;
	/* Several instances: the check is OK while one answers (its answer
	 * fills the fields above), UNHEALTHY when none does; each one's
	 * answer is here. 0 or 1: the usual single URL, nothing here. */
	int instance_count;
	int instances_up;
	struct app_instance instances[APP_INSTANCES_MAX];
};

enum version_source {
	VERSION_SOURCE_NONE = 0,
	VERSION_SOURCE_URL,
	VERSION_SOURCE_FILE,
	VERSION_SOURCE_HISTORY, /* a replayed record (ui/replay.h) */
};

/* One instance's version, when version_url lists more than one. */
struct version_instance {
	char url[SNAPSHOT_TEXT]; /* redacted */
	char version[64];        /* "" when it did not answer */
	char commit_hash[64];
	char error[SNAPSHOT_TEXT]; /* why not, or "" */
};

struct version_status {
	struct check_common check; /* OK when a version was read */
	enum version_source source;
	char version[64]; /* "unknown" when not read */
	char build_number[64];
	char commit_hash[64];
	char build_date[64];
	char url_error[SNAPSHOT_TEXT];  /* why version_url gave nothing, or "" */
	char file_error[SNAPSHOT_TEXT]; /* why version_file gave nothing, or "" */
	/* What version_file says, read even when version_url answered, so a
	 * half-done deploy (the two disagree) can be seen; "" when unread. */
	char file_version[64];
	char file_commit_hash[64];
	/* version_url listing several instances: each one's answer (the
	 * fields above are the first that answered's). 0 or 1: none here. */
	int instance_count;
	struct version_instance instances[APP_INSTANCES_MAX];
};

struct disk_status {
	char path[SNAPSHOT_TEXT];
	enum check_state state;
	char error[SNAPSHOT_TEXT];
	uint64_t total_bytes;
	uint64_t free_bytes;  /* free for root */
	uint64_t avail_bytes; /* free for unprivileged users */
	double used_percent;  /* as df shows it: used / (used + avail) */
	uint64_t inodes_total;
	uint64_t inodes_free;
	double inodes_used_percent; /* -1 when the filesystem has no inode count */
};

struct storage_status {
	struct check_common check; /* worst of the paths */
	double max_used_percent;
	int path_count;
	struct disk_status paths[SNAPSHOT_MAX_PATHS];
};

#define SNAPSHOT_BUCKETS      60
#define SNAPSHOT_SLOW_QUERIES 10
#define SNAPSHOT_QUERY_TEXT   1024

/* One slice of the request-log window, for sparklines. */
struct request_bucket {
	int64_t start_ms; /* wall clock of the slice's start */
	int64_t requests;
	int64_t errors; /* statusCode >= 500 */
	double avg_ms;  /* -1 when the slice has no requests */
};

/* The app's request log ("RequestLog" by default) over the window. */
struct request_metrics {
	struct check_common check; /* OK when the log was read; UNHEALTHY with
	                              "request log not found: ..." and the like */
	char table[128];           /* the table as configured */
	int64_t window_ms;
	int64_t requests;
	int64_t errors;    /* statusCode >= 500 */
	double error_rate; /* errors / requests; -1 when no traffic */
	double avg_ms;     /* -1 when no traffic */
	double p95_ms;
	double p99_ms;
	int64_t bucket_width_ms; /* window / bucket_count, at least a minute */
	int bucket_count;
	struct request_bucket buckets[SNAPSHOT_BUCKETS]; /* oldest first, empty ones included */
	bool timestamp_index_missing;                    /* no index leads with "timestamp" */
	char index_hint[SNAPSHOT_TEXT];                  /* the CREATE INDEX to run, or "" */
	struct endpoint_breakdown endpoints;             /* by [database] request_path_column */
};

/* Why pg_stat_statements gave no rows to look at. */
enum slow_query_problem {
	SLOW_QUERY_OK = 0,
	SLOW_QUERY_NOT_INSTALLED, /* no CREATE EXTENSION in this database */
	SLOW_QUERY_NOT_PRELOADED, /* not in shared_preload_libraries */
	SLOW_QUERY_NO_PRIVILEGE,  /* texts shown as <insufficient privilege> */
	SLOW_QUERY_FAILED,        /* anything else: see check.error */
};

/* One statement's figures over the span of its slow_query_status. */
struct slow_query {
	char query[SNAPSHOT_QUERY_TEXT]; /* sanitised: one line, no controls */
	int64_t calls;
	double total_ms;
	double mean_ms;
	double blocks_per_call; /* shared buffers hit or read per call */
	bool text_hidden;       /* the server hid the text from us */
};

/* Over what span the figures of a slow_query_status were counted. */
enum slow_query_span {
	SLOW_SPAN_SINCE_RESET = 0, /* the whole view: no earlier poll (one-shot verbs) */
	SLOW_SPAN_WINDOW,          /* the calls of the last span_ms (a caller that polls) */
	SLOW_SPAN_BASELINE,        /* first poll of a caller that polls: counted from here */
};

/* pg_stat_statements: statements whose mean time over the span exceeds
 * slow_query_ms (opsdeck's own statements and pg_dump's COPY left out). */
struct slow_query_status {
	struct check_common check; /* OK when the view was read */
	enum slow_query_problem problem;
	char mean_column[16]; /* "mean_exec_time" (PG 13+) or "mean_time" */
	int64_t threshold_ms;
	enum slow_query_span span;
	int64_t span_ms; /* SLOW_SPAN_WINDOW: how far back the calls are counted */
	int count;       /* top SNAPSHOT_SLOW_QUERIES by mean, slowest first */
	struct slow_query items[SNAPSHOT_SLOW_QUERIES];
};

/* The newest complete database backup at [backup] target (repo/freshness.c
 * backup_probe). Listing a target costs requests, so it is not done every
 * poll: one-shot `diagnose` lists once, the dashboard every few minutes;
 * `listed` false means nothing is known (and no rule looks). */
struct backup_status {
	bool listed;
	int64_t newest_ms; /* wall clock of the newest complete db backup (stored as its
	                      manifest says); 0: none */
	char newest_key[256];
	char target[256]; /* the target listed (no secrets in it) */
	char error[256];  /* why the listing failed, or "" */
	/* Writes begun and never finished (S3 multipart uploads, file://
	 * .partial files): how many, and the oldest (sanitised). */
	uint32_t unfinished;
	int64_t unfinished_oldest_ms; /* wall clock it began (file: last write); 0: none */
	char unfinished_oldest_key[256];
	/* Of those, the ones a backup's outcome in the audit log recorded as
	 * left behind by its cleanup (nothing will finish them): how many, and
	 * the newest such record's key (sanitised). */
	uint32_t left_behind;
	char left_behind_key[256];
};

/* The audit log that actions and backups append to, as `status` shows it
 * (cmd/status.c): path "" when not looked at; problem "" when the log can
 * take records (job/audit.h audit_inspect), else why actions are refused.
 * Both sanitised. */
struct audit_log_status {
	char path[512];
	char problem[1024];
};

/* The history store and its recorder, as `status` and `diagnose` see them
 * (history/inspect.h): looked false when not looked at. Strings
 * sanitised. */
struct history_status {
	bool looked;
	bool enabled;           /* [history] enabled */
	char dir[512];          /* [history] dir */
	int recorder_pid;       /* the writer holding the directory, 0: none (-1: pid unknown) */
	char recorder_role[16]; /* its role: "record", or "dashboard" while no
	                           recorder runs (history/lock.h); "" when unknown */
	int64_t records;        /* in the store; 0 when there is none yet */
	int64_t oldest_ms;      /* wall clock of the oldest and newest record, 0: none */
	int64_t newest_ms;
	char problem[512]; /* why the history cannot be written (or read), or "" */
};

struct snapshot {
	int64_t taken_at_ms; /* wall clock when the poll started */
	int64_t duration_ms; /* how long the whole poll took */
	char app_name[64];
	struct version_status version;
	struct pg_status database;
	struct redis_status redis;
	struct http_status health;
	struct storage_status storage;
	struct request_metrics requests;
	struct slow_query_status slow_queries;
	struct backup_status backup;
	struct audit_log_status audit_log;
	struct history_status history;
	struct pg_upkeep_status pg_upkeep; /* replication and upkeep (model/pg_upkeep.h) */
	struct pg_connections connections; /* groups and pool fit (model/connections.h) */
	struct lock_status locks;          /* blocking chains, running now (model/locks.h) */
	struct pgbouncer_status pgbouncer; /* PgBouncer's pools (model/pgbouncer.h) */
	struct redis_load redis_load;      /* slow log, latency, replication (model/redis_load.h) */
	struct drill_status backup_drill;  /* the last backup drill (model/drill.h) */
	struct deploy_status deploy; /* the last deploy, kept by the poller (model/deploy.h) */
};

/* Figures derived from a check's own, for every view to show alike. */

/* Requests per minute over the metrics' window; 0 with no window. */
double request_metrics_per_minute(const struct request_metrics *m);

/* Redis' used memory in percent of maxmemory; -1 without a maxmemory. */
double redis_memory_percent(const struct redis_status *r);

/* Over what span a slow_query_status counted, for people: "in the last
 * 1m 30s", "since this poll" (a first poll: the baseline) or "since the
 * statistics were reset"; brief, as a label: "last 1m 30s", "from now",
 * "since reset". */
void slow_query_span_text(const struct slow_query_status *sq, bool brief, char *dst, size_t size);

/* True when a path is at or past the storage limit (the probe marks it
 * unhealthy then; the dashboard shows the level with that). */
bool disk_over_limit(const struct disk_status *d, double max_used_percent);

/* Marks every check "pending" and clears the figures. */
void snapshot_init(struct snapshot *s);

/* Sets what a check probes (a URL or a path from the configuration) as it
 * may be shown: any password masked (url_redact; a URL that is already
 * redacted stays as it is) and every control, C0 and C1 alike, and invalid
 * byte replaced (sanitize_text). */
void check_set_target(struct check_common *c, const char *target);

/* Sets a check's error text from backend text: sanitised and redacted. */
void check_set_error(struct check_common *c, enum check_state state, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
