/* config.h - opsdeck's configuration: where it comes from and what it holds.
 *
 * Search order: the file given with -c, else $XDG_CONFIG_HOME/opsdeck/opsdeck.conf
 * (~/.config/opsdeck/opsdeck.conf), else /etc/opsdeck/opsdeck.conf, else the
 * built-in defaults alone. The file is INI (see doc/opsdeck.conf.5). Values
 * may use ${NAME}, expanded from the process environment first and then from
 * the app's env_file (default ./.env when it exists), so DATABASE_URL,
 * REDIS_URL and AWS_* are shared with the app rather than copied. A ${NAME}
 * set nowhere is an error; the built-in URL defaults are ${NAME:-} (see
 * expand.h), so without a file an unset variable means "not configured".
 *
 * A file that holds a secret (a URL with a password, a key or token) and can
 * be read by group or others is refused, as libpq refuses such a ~/.pgpass.
 */
#ifndef OPSDECK_CONFIG_CONFIG_H
#define OPSDECK_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/envfile.h"
#include "model/issue.h"

#define CONFIG_MAX_PATHS    16
#define CONFIG_MAX_PATTERNS 32

/* A value that may be absent. Strings are NUL-terminated, owned by the
 * config, and "" when not configured; `*_unset_reason` says why an expected
 * value is empty (e.g. "DATABASE_URL is not set"), or is "" . */
struct config_app {
	char *name;         /* default: "app" */
	char *env_file;     /* "" when none */
	char *health_url;   /* default http://127.0.0.1:3000/api/health */
	char *version_url;  /* default http://127.0.0.1:3000/api/version; "" disables */
	char *version_file; /* default ./public/version.json */
	int64_t timeout_ms; /* per network call; default 3000 */
	int instances;      /* app processes sharing the database; default 1 */
};

struct config_database {
	char *url; /* "" when not configured */
	char *url_unset_reason;
	char *request_log;         /* default "RequestLog" */
	char *request_path_column; /* default "path": the request log by endpoint */
	int64_t window_ms;         /* default 1 h */
	int64_t slow_query_ms;     /* default 1000 */
	char *pgbouncer_admin_url; /* PgBouncer's admin console; "" when not configured */
};

/* The cache_prefix that asks clear-cache to flush the whole selected
 * database (FLUSHDB ASYNC). Only this explicit value does: with an empty
 * prefix clear-cache refuses. */
#define CONFIG_CACHE_PREFIX_ALL "*"

struct config_redis {
	char *url; /* "" when not configured */
	char *url_unset_reason;
	char *cache_prefix; /* default "cache:"; CONFIG_CACHE_PREFIX_ALL: every key */
	/* rediss:// (client/tls.h): PEM files, "" when unset */
	char *tls_ca;    /* trusted CAs; "": the system's store */
	char *tls_cert;  /* a client certificate, with tls_key */
	char *tls_key;   /* its private key (its contents are never shown) */
	bool tls_verify; /* check the server's chain and name; default true */
};

struct config_storage {
	char *paths[CONFIG_MAX_PATHS]; /* default { "/" } */
	size_t path_count;
	double max_used_percent; /* default 90 */
};

struct config_backup {
	char *target;      /* s3://bucket/prefix or file:///dir; "" when not configured */
	char *s3_endpoint; /* "" for AWS */
	char *region;      /* default us-east-1 when empty */
	char *files_source;
	char *files_patterns[CONFIG_MAX_PATTERNS];
	size_t files_pattern_count;
	char *format;          /* "plain" (default) or "custom" */
	char *compression;     /* "gzip" (default) or "zstd": database dumps */
	int compression_level; /* gzip 1..9, zstd 1..19; default 6 */
	char *restore_url;     /* restore's connection; "" means [database] url */
	/* retention (repo/retention.h), each 0 (default) for "no such rule" */
	int keep_last;
	int keep_daily;
	int keep_weekly;
	int keep_monthly;
	int64_t timeout_ms;       /* a backup that runs longer is aborted; 0 (default): none */
	int64_t drill_max_age_ms; /* default 7d: older than that, no drill counts */
	char *drill_sql;          /* "" or SQL checks run in a drill's scratch database */
	char *heartbeat_url;      /* "" or pinged after each backup (/fail appended on failure) */
};

struct config_thresholds {
	double error_rate;             /* default 0.05 */
	int64_t avg_response_ms;       /* default 1000 */
	int64_t p95_response_ms;       /* default 2000 */
	double connections_ratio;      /* default 0.8 */
	int64_t idle_in_tx_ms;         /* default 5 min */
	double redis_memory_ratio;     /* of maxmemory; default 0.9 */
	int64_t lock_waiters;          /* this many waiting backends is an issue; default 1 */
	int64_t blocker_waiters;       /* a root blocker holding up this many is high; default 3 */
	int64_t blocker_wait_ms;       /* ... or with a wait this old behind it; default 1 min */
	int64_t replication_lag_ms;    /* a standby's replay lag; default 1 min */
	int64_t slot_retained_bytes;   /* WAL an inactive slot may hold; default 1 GiB */
	double xid_age_ratio;          /* of the 2^31 wraparound horizon; default 0.5 */
	double cache_hit_ratio;        /* below this is an issue; default 0.9 */
	double dead_tuple_ratio;       /* dead / (live + dead) of a table; default 0.2 */
	int64_t pgbouncer_max_wait_ms; /* a PgBouncer client's wait for a server; default 5 s */
	int64_t redis_slow_command_ms; /* a slow-log entry this long is an issue; default 100 ms */
	int64_t redis_latency_ms;      /* a LATENCY LATEST spike this long; default 100 ms */
	int64_t redis_fork_ms;         /* latest_fork_usec this long; default 500 ms */
	int64_t redis_blocked_clients; /* clients blocked (BLPOP...) this many; default 50 */
	int64_t redis_replica_lag_ms;  /* a replica this far behind in time; default 10 s */
	int64_t redis_replica_lag_bytes; /* ... or in bytes; default 16 MiB */
};

/* [actions]: the recovery actions suggested for each issue type (keys are
 * the names in model/issue.h); defaults from ISSUE_TYPES. */
struct config_actions {
	char *names[ISSUE_TYPE_COUNT][ISSUE_MAX_ACTIONS];
	size_t counts[ISSUE_TYPE_COUNT];
};

struct config_recovery {
	char *restart_command; /* "" when not configured */
	char *audit_log;       /* default: config/paths.h */
	bool read_only;
	int64_t restart_timeout_ms; /* restart_command's limit; default 60 s */
};

struct config_ui {
	char *theme;         /* default "default" */
	int64_t interval_ms; /* default 2000 */
	char *banner;        /* "PRODUCTION": always shown on the header; "" for none */
	char *banner_color;  /* one of CONFIG_BANNER_COLORS; "" for the theme's banner style */
};

/* The colours [ui] banner_color may name (theme colour names). */
#define CONFIG_BANNER_COLORS "red, yellow, green, blue, magenta, cyan"
#define CONFIG_BANNER_MAX    40 /* bytes of [ui] banner */

/* [history]: where `opsdeck record` keeps what every poll saw
 * (history/store.h). */
struct config_history {
	bool enabled;         /* default true */
	char *dir;            /* default: the state directory's history/ (config/paths.h) */
	int64_t retention_ms; /* default 14d */
	int64_t max_size;     /* bytes; default 512M */
};

#define CONFIG_WEBHOOKS_MAX 8 /* URLs in [notify] webhook_url */

/* [notify]: webhooks told of issues and actions (notify/notifier.h). */
struct config_notify {
	char *webhook_url;      /* "" or one or more URLs, spaces or commas; secrets */
	char *format;           /* "json" (default) or "slack" */
	char *min_severity;     /* "low", "medium" (default) or "high" */
	int max_per_hour;       /* default 30 */
	int64_t flap_window_ms; /* default 10 min; 0 turns the damping off */
	int64_t timeout_ms;     /* one delivery attempt; default 5 s */
};

struct config {
	char *path; /* the file read, or "" for built-in defaults */
	struct config_app app;
	struct config_database database;
	struct config_redis redis;
	struct config_storage storage;
	struct config_backup backup;
	struct config_thresholds thresholds;
	struct config_actions actions;
	struct config_recovery recovery;
	struct config_ui ui;
	struct config_history history;
	struct config_notify notify;
	struct envfile *env; /* the app's env_file, or NULL */
};

/* Fills cfg with the built-in defaults (no file, no environment: so the
 * URLs are "" and restart_command is ""). cfg need not be initialised. */
void config_defaults(struct config *cfg);

/* Loads the configuration: `explicit_path` (from -c, which must exist) or
 * the search order above (a missing candidate is skipped, one that cannot be
 * read is an error; so is a FIFO or any file that is not a regular one,
 * refused without blocking). cfg need not be initialised; whatever it held is
 * overwritten, not freed. On error returns -1 and writes one line into err,
 * naming the file and line ("opsdeck.conf:12: unknown key 'tiemout' in
 * [app] (did you mean 'timeout'?)"), with every control (C0 or C1) and
 * invalid UTF-8 byte replaced by '?'; cfg is then left freed-and-empty (all
 * NULL, safe to config_free). Returns 0 on success. Registers every secret
 * it finds (URL passwords, AWS_SECRET_ACCESS_KEY, ...) with
 * redact_register(). */
int config_load(struct config *cfg, const char *explicit_path, char *err, size_t errlen);

/* Loads from an explicit file only (as config_load with -c). */
int config_load_file(struct config *cfg, const char *path, char *err, size_t errlen);

/* Looks a variable up as ${NAME} would: the environment, then env_file.
 * Returns NULL when unset. Borrowed. */
const char *config_lookup(const struct config *cfg, const char *name);

/* Whether the key table has a [section] of that name. */
bool config_has_section(const char *section);

/* Frees everything and leaves cfg all NULL/zero; safe to call twice, and on
 * NULL. */
void config_free(struct config *cfg);

#endif
