/* keys.c - the table of configuration keys and what is looked up in it
 * (see keys.h): a key by name, the known sections, and the names in a file
 * checked against them, with a suggestion for a typo.
 */
#include "config/keys.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/issue.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define F(field) offsetof(struct config, field)
/* The part every row has; the rest is named where it applies. */
#define KEY(sec, name, kind, field, dflt)                                                          \
	.section = sec, .key = name, .type = kind, .offset = F(field), .def = dflt

/* The order here is the order of the man page. */
const struct config_key config_keys[] = {
    {KEY("app", "name", TYPE_STRING, app.name, "app")},
    {KEY("app", "env_file", TYPE_STRING, app.env_file, "")},
    {KEY("app", "health_url", TYPE_STRING, app.health_url, "http://127.0.0.1:3000/api/health"),
     .check = CHECK_HTTP_URLS},
    {KEY("app", "version_url", TYPE_STRING, app.version_url, "http://127.0.0.1:3000/api/version"),
     .check = CHECK_HTTP_URLS},
    {KEY("app", "version_file", TYPE_STRING, app.version_file, "./public/version.json")},
    {KEY("app", "timeout", TYPE_DURATION, app.timeout_ms, "3s"), .min = 1, .max = 3600e3},
    {KEY("app", "instances", TYPE_INT, app.instances, "1"), .min = 1, .max = 10000},

    {KEY("database", "url", TYPE_STRING, database.url, "${DATABASE_URL:-}"), .check = CHECK_PG_URL,
     .reason_offset = F(database.url_unset_reason)},
    {KEY("database", "request_log", TYPE_STRING, database.request_log, "RequestLog"),
     .check = CHECK_TABLE_NAME},
    {KEY("database", "request_path_column", TYPE_STRING, database.request_path_column, "path"),
     .check = CHECK_COLUMN_NAME},
    {KEY("database", "window", TYPE_DURATION, database.window_ms, "1h"), .min = 1,
     .max = 366 * 86400e3},
    {KEY("database", "slow_query_ms", TYPE_INT64, database.slow_query_ms, "1000"), .min = 1,
     .max = 86400e3},
    {KEY("database", "pgbouncer_admin_url", TYPE_STRING, database.pgbouncer_admin_url, ""),
     .check = CHECK_PG_URL},

    {KEY("redis", "url", TYPE_STRING, redis.url, "${REDIS_URL:-}"), .check = CHECK_REDIS_URL,
     .reason_offset = F(redis.url_unset_reason)},
    {KEY("redis", "cache_prefix", TYPE_STRING, redis.cache_prefix, "cache:")},
    {KEY("redis", "tls_ca", TYPE_STRING, redis.tls_ca, ""), .check = CHECK_TLS_FILE},
    {KEY("redis", "tls_cert", TYPE_STRING, redis.tls_cert, ""), .check = CHECK_TLS_PAIR},
    {KEY("redis", "tls_key", TYPE_STRING, redis.tls_key, ""), .check = CHECK_TLS_PAIR},
    {KEY("redis", "tls_verify", TYPE_BOOL, redis.tls_verify, "true")},

    {KEY("storage", "paths", TYPE_LIST, storage.paths, "/"), .count_offset = F(storage.path_count),
     .max_items = CONFIG_MAX_PATHS},
    {KEY("storage", "max_used_percent", TYPE_PERCENT, storage.max_used_percent, "90"), .min = 0,
     .max = 100},

    {KEY("backup", "target", TYPE_STRING, backup.target, ""), .check = CHECK_BACKUP_TARGET},
    {KEY("backup", "s3_endpoint", TYPE_STRING, backup.s3_endpoint, ""), .check = CHECK_HTTP_URL},
    {KEY("backup", "region", TYPE_STRING, backup.region, "${AWS_REGION:-}")},
    {KEY("backup", "files_source", TYPE_STRING, backup.files_source, "")},
    {KEY("backup", "files_patterns", TYPE_LIST, backup.files_patterns, "**/*"),
     .count_offset = F(backup.files_pattern_count), .max_items = CONFIG_MAX_PATTERNS},
    {KEY("backup", "format", TYPE_STRING, backup.format, "plain"), .check = CHECK_BACKUP_FORMAT},
    {KEY("backup", "compression", TYPE_STRING, backup.compression, "gzip"),
     .check = CHECK_BACKUP_COMPRESSION},
    /* the range of the codec chosen above is checked once both are known */
    {KEY("backup", "compression_level", TYPE_INT, backup.compression_level, "6"), .min = 1,
     .max = 19, .check = CHECK_COMPRESSION_LEVEL},
    {KEY("backup", "drill_max_age", TYPE_DURATION, backup.drill_max_age_ms, "7d"), .min = 60e3,
     .max = 366 * 86400e3},
    {KEY("backup", "drill_sql", TYPE_STRING, backup.drill_sql, "")},
    {KEY("backup", "restore_url", TYPE_STRING, backup.restore_url, ""), .check = CHECK_PG_URL},
    {KEY("backup", "keep_last", TYPE_INT, backup.keep_last, "0"), .min = 0, .max = 100000},
    {KEY("backup", "keep_daily", TYPE_INT, backup.keep_daily, "0"), .min = 0, .max = 100000},
    {KEY("backup", "keep_weekly", TYPE_INT, backup.keep_weekly, "0"), .min = 0, .max = 100000},
    {KEY("backup", "keep_monthly", TYPE_INT, backup.keep_monthly, "0"), .min = 0, .max = 100000},
    {KEY("backup", "timeout", TYPE_DURATION, backup.timeout_ms, "0"), .min = 0,
     .max = 30 * 86400e3},
    {KEY("backup", "heartbeat_url", TYPE_STRING, backup.heartbeat_url, ""),
     .check = CHECK_HTTP_URL},

    {KEY("thresholds", "error_rate", TYPE_RATIO, thresholds.error_rate, "0.05"), .min = 0,
     .max = 1},
    {KEY("thresholds", "avg_response_ms", TYPE_INT64, thresholds.avg_response_ms, "1000"), .min = 1,
     .max = 3600e3},
    {KEY("thresholds", "connections_ratio", TYPE_RATIO, thresholds.connections_ratio, "0.8"),
     .min = 0, .max = 1},
    {KEY("thresholds", "idle_in_tx", TYPE_DURATION, thresholds.idle_in_tx_ms, "5m"), .min = 1,
     .max = 366 * 86400e3},
    {KEY("thresholds", "p95_response_ms", TYPE_INT64, thresholds.p95_response_ms, "2000"), .min = 1,
     .max = 3600e3},
    {KEY("thresholds", "redis_memory_ratio", TYPE_RATIO, thresholds.redis_memory_ratio, "0.9"),
     .min = 0, .max = 1},
    {KEY("thresholds", "lock_waiters", TYPE_INT64, thresholds.lock_waiters, "1"), .min = 1,
     .max = 100000},
    {KEY("thresholds", "replication_lag", TYPE_DURATION, thresholds.replication_lag_ms, "1m"),
     .min = 1, .max = 366 * 86400e3},
    {KEY("thresholds", "slot_retained_bytes", TYPE_INT64, thresholds.slot_retained_bytes,
         "1073741824"),
     .min = 1, .max = 1e15},
    {KEY("thresholds", "xid_age_ratio", TYPE_RATIO, thresholds.xid_age_ratio, "0.5"), .min = 0,
     .max = 1},
    {KEY("thresholds", "cache_hit_ratio", TYPE_RATIO, thresholds.cache_hit_ratio, "0.9"), .min = 0,
     .max = 1},
    {KEY("thresholds", "dead_tuple_ratio", TYPE_RATIO, thresholds.dead_tuple_ratio, "0.2"),
     .min = 0, .max = 1},
    {KEY("thresholds", "blocker_waiters", TYPE_INT64, thresholds.blocker_waiters, "3"), .min = 1,
     .max = 100000},
    {KEY("thresholds", "blocker_wait", TYPE_DURATION, thresholds.blocker_wait_ms, "1m"), .min = 1,
     .max = 366 * 86400e3},
    {KEY("thresholds", "pgbouncer_max_wait", TYPE_DURATION, thresholds.pgbouncer_max_wait_ms, "5s"),
     .min = 1, .max = 86400e3},
    {KEY("thresholds", "redis_slow_command", TYPE_DURATION, thresholds.redis_slow_command_ms,
         "100ms"),
     .min = 1, .max = 3600e3},
    {KEY("thresholds", "redis_latency", TYPE_DURATION, thresholds.redis_latency_ms, "100ms"),
     .min = 1, .max = 3600e3},
    {KEY("thresholds", "redis_fork", TYPE_DURATION, thresholds.redis_fork_ms, "500ms"), .min = 1,
     .max = 3600e3},
    {KEY("thresholds", "redis_blocked_clients", TYPE_INT64, thresholds.redis_blocked_clients, "50"),
     .min = 1, .max = 10000000},
    {KEY("thresholds", "redis_replica_lag", TYPE_DURATION, thresholds.redis_replica_lag_ms, "10s"),
     .min = 1, .max = 366 * 86400e3},
    {KEY("thresholds", "redis_replica_lag_bytes", TYPE_INT64, thresholds.redis_replica_lag_bytes,
         "16777216"),
     .min = 1, .max = 1e15},

#define ACTION_KEY(id, name, title, dflt)                                                          \
	{KEY("actions", name, TYPE_LIST, actions.names[id], dflt),                                 \
	 .count_offset = F(actions.counts[id]), .max_items = ISSUE_MAX_ACTIONS,                    \
	 .check = CHECK_ACTION_NAMES},
    ISSUE_TYPE_LIST(ACTION_KEY)
#undef ACTION_KEY

    /* NULL default: "pm2 restart all" when pm2 is on PATH, else "". */
    {KEY("recovery", "restart_command", TYPE_STRING, recovery.restart_command, NULL)},
    {KEY("recovery", "audit_log", TYPE_STRING, recovery.audit_log, NULL)}, /* config/paths.h */
    {KEY("recovery", "read_only", TYPE_BOOL, recovery.read_only, "false")},
    {KEY("recovery", "restart_timeout", TYPE_DURATION, recovery.restart_timeout_ms, "60s"),
     .min = 1, .max = 3600e3},

    {KEY("ui", "theme", TYPE_STRING, ui.theme, "default")},
    {KEY("ui", "interval", TYPE_DURATION, ui.interval_ms, "2s"), .min = 250, .max = 3600e3},
    {KEY("ui", "banner", TYPE_STRING, ui.banner, ""), .check = CHECK_BANNER},
    {KEY("ui", "banner_color", TYPE_STRING, ui.banner_color, ""), .check = CHECK_BANNER_COLOR},

    {KEY("history", "enabled", TYPE_BOOL, history.enabled, "true")},
    {KEY("history", "dir", TYPE_STRING, history.dir, NULL)}, /* config/paths.h */
    {KEY("history", "retention", TYPE_DURATION, history.retention_ms, "14d"), .min = 60e3,
     .max = 3660 * 86400e3},
    {KEY("history", "max_size", TYPE_SIZE, history.max_size, "512M"), .min = 1048576,
     .max = 1099511627776.0},

    {KEY("notify", "webhook_url", TYPE_STRING, notify.webhook_url, ""),
     .check = CHECK_WEBHOOK_URLS},
    {KEY("notify", "format", TYPE_STRING, notify.format, "json"), .check = CHECK_NOTIFY_FORMAT},
    {KEY("notify", "min_severity", TYPE_STRING, notify.min_severity, "medium"),
     .check = CHECK_SEVERITY},
    {KEY("notify", "max_per_hour", TYPE_INT, notify.max_per_hour, "30"), .min = 1, .max = 3600},
    {KEY("notify", "flap_window", TYPE_DURATION, notify.flap_window_ms, "10m"), .min = 0,
     .max = 86400e3},
    {KEY("notify", "timeout", TYPE_DURATION, notify.timeout_ms, "5s"), .min = 1, .max = 300e3},
};

#define KEY_COUNT (sizeof(config_keys) / sizeof(config_keys[0]))
const size_t config_key_count = KEY_COUNT;

static const char *const section_names[] = {
    "app",     "database", "redis", "storage", "backup", "thresholds",
    "actions", "recovery", "ui",    "history", "notify",
};
#define SECTION_COUNT (sizeof(section_names) / sizeof(section_names[0]))

void config_string_set(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

void config_list_free(struct config *cfg, const struct config_key *k)
{
	char **items = config_field(cfg, k->offset);
	size_t *count = config_field(cfg, k->count_offset);
	for (size_t i = 0; i < *count; i++) {
		free(items[i]);
		items[i] = NULL;
	}
	*count = 0;
}

/* Levenshtein distance, case-insensitive; long words are never "close". */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return SIZE_MAX;
	size_t row[64];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diagonal = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t above = row[j];
			size_t cost =
			    tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			size_t best = diagonal + cost;
			if (above + 1 < best)
				best = above + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diagonal = above;
		}
	}
	return row[lb];
}

/* The known word closest to `word`, if within 2 edits (operators' typos). */
static const char *closest(const char *word, const char *const *candidates, size_t count)
{
	const char *best = NULL;
	size_t best_distance = 3;
	for (size_t i = 0; i < count; i++) {
		size_t d = edit_distance(word, candidates[i]);
		if (d < best_distance) {
			best = candidates[i];
			best_distance = d;
		}
	}
	return best;
}

static bool known_section(const char *name)
{
	for (size_t i = 0; i < SECTION_COUNT; i++)
		if (strcmp(section_names[i], name) == 0)
			return true;
	return false;
}

const struct config_key *config_key_find(const char *section, const char *key)
{
	for (size_t i = 0; i < KEY_COUNT; i++)
		if (strcmp(config_keys[i].section, section) == 0 &&
		    strcmp(config_keys[i].key, key) == 0)
			return &config_keys[i];
	return NULL;
}

/* The section that has `key`, for "it belongs in [ui]". */
static const char *section_of(const char *key)
{
	for (size_t i = 0; i < KEY_COUNT; i++)
		if (strcmp(config_keys[i].key, key) == 0)
			return config_keys[i].section;
	return NULL;
}

int config_keys_check_names(const char *path, const struct ini_file *ini,
                            const struct ini_file_sections *sections,
                            const struct ini_entry **entries, char *err, size_t errlen)
{
	for (size_t i = 0; i < sections->count; i++) {
		const struct ini_section_ref *s = &sections->items[i];
		if (known_section(s->name))
			continue;
		const char *near = closest(s->name, section_names, SECTION_COUNT);
		if (near)
			snprintf(err, errlen, "%s:%d: unknown section [%s] (did you mean [%s]?)",
			         path, s->line, s->name, near);
		else
			snprintf(
			    err, errlen,
			    "%s:%d: unknown section [%s] (known: app, database, redis, storage, "
			    "backup, thresholds, actions, recovery, ui, history)",
			    path, s->line, s->name);
		return -1;
	}
	for (size_t i = 0; i < ini->count; i++) {
		const struct ini_entry *e = &ini->entries[i];
		if (!*e->section) {
			const char *home = section_of(e->key);
			if (home)
				snprintf(
				    err, errlen,
				    "%s:%d: '%s' is outside any [section] (it belongs in [%s])",
				    path, e->line, e->key, home);
			else
				snprintf(err, errlen, "%s:%d: '%s' is outside any [section]", path,
				         e->line, e->key);
			return -1;
		}
		const struct config_key *k = config_key_find(e->section, e->key);
		if (!k) {
			const char *names[KEY_COUNT];
			size_t n = 0;
			for (size_t j = 0; j < KEY_COUNT; j++)
				if (strcmp(config_keys[j].section, e->section) == 0)
					names[n++] = config_keys[j].key;
			const char *near = closest(e->key, names, n);
			const char *home = section_of(e->key);
			if (near)
				snprintf(err, errlen,
				         "%s:%d: unknown key '%s' in [%s] (did you mean '%s'?)",
				         path, e->line, e->key, e->section, near);
			else if (home)
				snprintf(err, errlen,
				         "%s:%d: unknown key '%s' in [%s] (it belongs in [%s])",
				         path, e->line, e->key, e->section, home);
			else {
				struct strbuf list;
				strbuf_init(&list, 400);
				for (size_t j = 0; j < n; j++)
					strbuf_printf(&list, "%s%s", j ? ", " : "", names[j]);
				snprintf(err, errlen, "%s:%d: unknown key '%s' in [%s] (known: %s)",
				         path, e->line, e->key, e->section, strbuf_str(&list));
				strbuf_free(&list);
			}
			return -1;
		}
		size_t index = (size_t)(k - config_keys);
		if (entries[index]) {
			snprintf(err, errlen,
			         "%s:%d: duplicate key '%s' in [%s] (first set on line %d)", path,
			         e->line, e->key, e->section, entries[index]->line);
			return -1;
		}
		entries[index] = e;
	}
	return 0;
}

bool config_has_section(const char *section)
{
	for (size_t i = 0; section && i < config_key_count; i++)
		if (strcmp(config_keys[i].section, section) == 0)
			return true;
	return false;
}
