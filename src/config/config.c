/* config.c - find, read, expand, check and apply opsdeck's configuration
 * (see config.h and doc/opsdeck.conf.5).
 *
 * Every key is one row of `keys` below: its type, where it lands in struct
 * config, its default (written as it would be in the file, so defaults go
 * through the same parsing as the file does) and its limits. Adding a key
 * means adding a row, a struct field and a paragraph in opsdeck.conf.5.
 *
 * Loading is two passes over the parsed file: first [app] env_file (it may
 * appear anywhere, and every ${NAME} may need it), then every value, which is
 * expanded, parsed and range-checked. Any mistake stops the load with one
 * line naming the file and line, because an operator at 3 a.m. needs the
 * exact place, not a list.
 */
#include "config/config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/expand.h"
#include "config/ini.h"
#include "config/paths.h"
#include "config/pgurl.h"
#include "model/redact.h"
#include "config/redisurl.h"
#include "s3/url.h"
#include "util/file.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

#define CONFIG_MAX_SIZE         (1024 * 1024)
#define CONFIG_SYSTEM_PATH      "/etc/opsdeck/opsdeck.conf"
#define CONFIG_DEFAULT_ENV_FILE "./.env"
/* Longest value quoted back in an error message. */
#define CONFIG_SHOWN_VALUE 60

enum config_type {
	TYPE_STRING,
	TYPE_DURATION, /* int64_t milliseconds */
	TYPE_INT64,
	TYPE_INT,
	TYPE_RATIO,   /* double 0..1, "5%" accepted */
	TYPE_PERCENT, /* double 0..100, "90%" accepted */
	TYPE_BOOL,
	TYPE_LIST, /* char *[max], with a size_t count */
};

/* Checks on a string beyond its syntax, done once every value is known. */
enum config_check {
	CHECK_NONE,
	CHECK_PG_URL,
	CHECK_REDIS_URL,
	CHECK_HTTP_URL,
	CHECK_BACKUP_TARGET,
	CHECK_BACKUP_FORMAT,
	CHECK_TABLE_NAME,
	CHECK_ACTION_NAMES, /* a list of recovery action names */
};

struct config_key {
	const char *section;
	const char *key;
	enum config_type type;
	size_t offset;       /* of the field in struct config */
	size_t count_offset; /* lists: of the size_t count */
	size_t max_items;    /* lists */
	const char *def;     /* default as written in a file; NULL: computed */
	double min, max;     /* numbers and durations (ms): inclusive range */
	enum config_check check;
	size_t reason_offset; /* URLs: of the *_unset_reason field, or 0 */
};

#define F(field) offsetof(struct config, field)
/* The part every row has; the rest is named where it applies. */
#define KEY(sec, name, kind, field, dflt)                                                          \
	.section = sec, .key = name, .type = kind, .offset = F(field), .def = dflt

/* The order here is the order of the man page. */
static const struct config_key keys[] = {
    {KEY("app", "name", TYPE_STRING, app.name, "app")},
    {KEY("app", "env_file", TYPE_STRING, app.env_file, "")},
    {KEY("app", "health_url", TYPE_STRING, app.health_url, "http://127.0.0.1:3000/api/health"),
     .check = CHECK_HTTP_URL},
    {KEY("app", "version_url", TYPE_STRING, app.version_url, "http://127.0.0.1:3000/api/version"),
     .check = CHECK_HTTP_URL},
    {KEY("app", "version_file", TYPE_STRING, app.version_file, "./public/version.json")},
    {KEY("app", "timeout", TYPE_DURATION, app.timeout_ms, "3s"), .min = 1, .max = 3600e3},

    {KEY("database", "url", TYPE_STRING, database.url, "${DATABASE_URL:-}"), .check = CHECK_PG_URL,
     .reason_offset = F(database.url_unset_reason)},
    {KEY("database", "request_log", TYPE_STRING, database.request_log, "RequestLog"),
     .check = CHECK_TABLE_NAME},
    {KEY("database", "window", TYPE_DURATION, database.window_ms, "1h"), .min = 1,
     .max = 366 * 86400e3},
    {KEY("database", "slow_query_ms", TYPE_INT64, database.slow_query_ms, "1000"), .min = 1,
     .max = 86400e3},

    {KEY("redis", "url", TYPE_STRING, redis.url, "${REDIS_URL:-}"), .check = CHECK_REDIS_URL,
     .reason_offset = F(redis.url_unset_reason)},
    {KEY("redis", "cache_prefix", TYPE_STRING, redis.cache_prefix, "cache:")},

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
    {KEY("backup", "compression_level", TYPE_INT, backup.compression_level, "6"), .min = 1,
     .max = 9},

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

#define ACTION_KEY(id, name, dflt)                                                                 \
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
};

#define KEY_COUNT (sizeof(keys) / sizeof(keys[0]))

static const char *const sections[] = {
    "app", "database", "redis", "storage", "backup", "thresholds", "actions", "recovery", "ui",
};
#define SECTION_COUNT (sizeof(sections) / sizeof(sections[0]))

/* Secrets taken from the environment or env_file, masked wherever they
 * might turn up (a library's error message, a child's output). */
static const char *const secret_variables[] = {
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "PGPASSWORD",
    "REDISCLI_AUTH",
};

/* ------------------------------------------------------------ helpers */

static void *field_at(struct config *cfg, size_t offset)
{
	return (char *)cfg + offset;
}

static char **string_at(struct config *cfg, const struct config_key *k)
{
	return field_at(cfg, k->offset);
}

static void set_string(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

static void fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* A value as it may be quoted back: no password, no terminal controls, not
 * too long. */
static void shown_value(char *dst, size_t size, const char *value)
{
	char redacted[CONFIG_SHOWN_VALUE * 4];
	url_redact(redacted, sizeof(redacted), value);
	char clean[CONFIG_SHOWN_VALUE * 4];
	sanitize_text(clean, sizeof(clean), redacted);
	if (strlen(clean) > CONFIG_SHOWN_VALUE)
		snprintf(dst, size, "%.*s...", CONFIG_SHOWN_VALUE, clean);
	else
		snprintf(dst, size, "%s", clean);
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
		if (strcmp(sections[i], name) == 0)
			return true;
	return false;
}

static const struct config_key *find_key(const char *section, const char *key)
{
	for (size_t i = 0; i < KEY_COUNT; i++)
		if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].key, key) == 0)
			return &keys[i];
	return NULL;
}

/* The section that has `key`, for "it belongs in [ui]". */
static const char *section_of(const char *key)
{
	for (size_t i = 0; i < KEY_COUNT; i++)
		if (strcmp(keys[i].key, key) == 0)
			return keys[i].section;
	return NULL;
}

static const char *lookup_config(void *ctx, const char *name)
{
	return config_lookup(ctx, name);
}

static const char *lookup_environment(void *ctx, const char *name)
{
	(void)ctx;
	return getenv(name);
}

static const char *lookup_nothing(void *ctx, const char *name)
{
	(void)ctx;
	(void)name;
	return NULL;
}

/* ------------------------------------------------------------ reading */

/* Opens and reads a whole text file. Returns 1 when read, 0 when it does not
 * exist and `absent_ok`, -1 on error ("PREFIXpath: reason"). The mode comes
 * from fstat on the same descriptor, so the permission check looks at the
 * file that was read. The open does not block: a FIFO (or any other file
 * that is not a regular one) is refused, where reading it would hang. */
static int read_text_file(const char *path, bool absent_ok, const char *prefix, char **text,
                          struct stat *st, char *err, size_t errlen)
{
	char *name = xasprintf("%s%s", prefix, path);
	int rc = file_read_text(path, name, CONFIG_MAX_SIZE, FILE_READ_TEXT | FILE_READ_NONBLOCK,
	                        text, NULL, st, err, errlen);
	if (rc == FILE_TOO_LARGE)
		fail(err, errlen, "%s: larger than %d bytes; is it the right file?", name,
		     CONFIG_MAX_SIZE);
	bool absent = rc == -1 && (errno == ENOENT || errno == ENOTDIR);
	free(name);
	if (rc == 0)
		return 1;
	return absent && absent_ok ? 0 : -1;
}

static bool readable_by_others(const struct stat *st)
{
	return (st->st_mode & (S_IRGRP | S_IROTH)) != 0;
}

/* ------------------------------------------------------------ applying */

/* Where a value came from, for messages: "path:line", or the default. */
static void describe_origin(char *dst, size_t size, const struct config *cfg,
                            const struct config_key *k, const struct ini_entry *e)
{
	if (e)
		snprintf(dst, size, "%s:%d: %s", cfg->path, e->line, k->key);
	else
		snprintf(dst, size, "%s.%s (default %s)", k->section, k->key, k->def ? k->def : "");
}

static bool parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"true", "yes", "on", "1"};
	static const char *const no[] = {"false", "no", "off", "0"};
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

/* A number, or a percentage with a '%' sign; `scale` is what 100% is. */
static bool parse_fraction(const char *s, double scale, double *out)
{
	size_t len = strlen(s);
	if (len > 1 && s[len - 1] == '%') {
		char *number = xstrndup(s, len - 1);
		double v;
		int rc = text_parse_double(text_trim(number), &v);
		free(number);
		if (rc < 0)
			return false;
		*out = v / 100.0 * scale;
		return true;
	}
	return text_parse_double(s, out) == 0;
}

static void format_ms(char *dst, size_t size, double ms)
{
	if (ms >= 3600e3 && (int64_t)ms % 3600000 == 0)
		snprintf(dst, size, "%" PRId64 "h", (int64_t)ms / 3600000);
	else if (ms >= 60e3 && (int64_t)ms % 60000 == 0)
		snprintf(dst, size, "%" PRId64 "m", (int64_t)ms / 60000);
	else if (ms >= 1000 && (int64_t)ms % 1000 == 0)
		snprintf(dst, size, "%" PRId64 "s", (int64_t)ms / 1000);
	else
		snprintf(dst, size, "%" PRId64 "ms", (int64_t)ms);
}

static void free_list(struct config *cfg, const struct config_key *k)
{
	char **items = field_at(cfg, k->offset);
	size_t *count = field_at(cfg, k->count_offset);
	for (size_t i = 0; i < *count; i++) {
		free(items[i]);
		items[i] = NULL;
	}
	*count = 0;
}

static int apply_list(struct config *cfg, const struct config_key *k, const char *value,
                      const char *origin, char *err, size_t errlen)
{
	char **items = field_at(cfg, k->offset);
	size_t *count = field_at(cfg, k->count_offset);
	free_list(cfg, k);
	const char *p = value;
	for (;;) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		size_t len = strcspn(p, ", \t\r\n\v\f");
		if (*count == k->max_items) {
			fail(err, errlen, "%s: too many entries (at most %zu)", origin,
			     k->max_items);
			return -1;
		}
		items[(*count)++] = xstrndup(p, len);
		p += len;
	}
	return 0;
}

/* Parses `value` (already expanded) into the key's field, with its range. */
static int apply_value(struct config *cfg, const struct config_key *k, const char *value,
                       const char *unset, const char *origin, char *err, size_t errlen)
{
	char shown[CONFIG_SHOWN_VALUE + 8];
	shown_value(shown, sizeof(shown), value);

	if (k->type == TYPE_STRING) {
		set_string(string_at(cfg, k), value);
		return 0;
	}
	if (k->type == TYPE_LIST)
		return apply_list(cfg, k, value, origin, err, errlen);
	if (!*value) {
		if (*unset)
			fail(err, errlen, "%s: the value is empty (%s is not set)", origin, unset);
		else
			fail(err, errlen, "%s: the value is empty", origin);
		return -1;
	}
	switch (k->type) {
	case TYPE_DURATION: {
		int64_t ms;
		if (text_parse_duration_ms(value, &ms) < 0) {
			fail(err, errlen, "%s: '%s' is not a duration (use e.g. 3s, 500ms, 5m)",
			     origin, shown);
			return -1;
		}
		if ((double)ms < k->min || (double)ms > k->max) {
			char lo[32], hi[32];
			format_ms(lo, sizeof(lo), k->min);
			format_ms(hi, sizeof(hi), k->max);
			if (k->min <= 1 && (double)ms < k->min)
				fail(err, errlen, "%s: must be greater than zero", origin);
			else if ((double)ms < k->min)
				fail(err, errlen, "%s: %s is too short (at least %s)", origin,
				     shown, lo);
			else
				fail(err, errlen, "%s: %s is too long (at most %s)", origin, shown,
				     hi);
			return -1;
		}
		*(int64_t *)field_at(cfg, k->offset) = ms;
		return 0;
	}
	case TYPE_INT64:
	case TYPE_INT: {
		int64_t v;
		if (text_parse_int64(value, &v) < 0) {
			fail(err, errlen, "%s: '%s' is not a whole number", origin, shown);
			return -1;
		}
		if ((double)v < k->min || (double)v > k->max) {
			fail(err, errlen, "%s: %s is out of range (%.0f to %.0f)", origin, shown,
			     k->min, k->max);
			return -1;
		}
		if (k->type == TYPE_INT)
			*(int *)field_at(cfg, k->offset) = (int)v;
		else
			*(int64_t *)field_at(cfg, k->offset) = v;
		return 0;
	}
	case TYPE_RATIO:
	case TYPE_PERCENT: {
		double v;
		bool ratio = k->type == TYPE_RATIO;
		if (!parse_fraction(value, ratio ? 1.0 : 100.0, &v)) {
			fail(err, errlen, "%s: '%s' is not a %s", origin, shown,
			     ratio ? "ratio (use e.g. 0.05 or 5%)" : "percentage (use e.g. 90)");
			return -1;
		}
		if (v < k->min || v > k->max) {
			fail(err, errlen, "%s: %s is out of range (%s)", origin, shown,
			     ratio ? "0 to 1, or 0% to 100%" : "0 to 100");
			return -1;
		}
		*(double *)field_at(cfg, k->offset) = v;
		return 0;
	}
	case TYPE_BOOL: {
		bool v;
		if (!parse_bool(value, &v)) {
			fail(err, errlen, "%s: '%s' is not a boolean (use true or false)", origin,
			     shown);
			return -1;
		}
		*(bool *)field_at(cfg, k->offset) = v;
		return 0;
	}
	case TYPE_STRING:
	case TYPE_LIST:
		break;
	}
	return 0;
}

/* Why a URL is empty, so the dashboard can say "not configured: ...". */
static void set_unset_reason(struct config *cfg, const struct config_key *k,
                             const struct ini_entry *e, const char *value, const char *unset)
{
	if (!k->reason_offset)
		return;
	char **reason = field_at(cfg, k->reason_offset);
	char text[512] = ""; /* a value needs no reason */
	if (!*value) {
		if (*unset)
			snprintf(text, sizeof(text), "%s is not set", unset);
		else if (e && !*e->value)
			snprintf(text, sizeof(text), "%s.%s is empty in %s", k->section, k->key,
			         cfg->path);
		else if (e)
			snprintf(text, sizeof(text), "%s.%s in %s expands to an empty value",
			         k->section, k->key, cfg->path);
		else
			snprintf(text, sizeof(text), "%s.%s is empty", k->section, k->key);
	}
	set_string(reason, text);
}

/* Expands and applies one key from its file entry or its default. */
static int apply_key(struct config *cfg, const struct config_key *k, const struct ini_entry *e,
                     expand_lookup_fn lookup, char *err, size_t errlen)
{
	const char *raw = e ? e->value : k->def;
	if (!raw)
		return 0;
	char origin[1024];
	describe_origin(origin, sizeof(origin), cfg, k, e);
	char unset[160], why[256];
	char *value;
	if (expand_vars(raw, lookup, cfg, &value, unset, sizeof(unset), why, sizeof(why)) < 0) {
		fail(err, errlen, "%s: %s", origin, why);
		return -1;
	}
	int rc = apply_value(cfg, k, value, unset, origin, err, errlen);
	if (rc == 0)
		set_unset_reason(cfg, k, e, value, unset);
	free(value);
	return rc;
}

/* ------------------------------------------------------------ checks */

static bool valid_http_url(const char *url)
{
	const char *host;
	if (strncasecmp(url, "http://", 7) == 0)
		host = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		host = url + 8;
	else
		return false;
	for (const char *c = url; *c; c++)
		if ((unsigned char)*c <= 0x20 || *c == 0x7f)
			return false;
	const char *at = host + strcspn(host, "/?#");
	const char *userinfo_end = NULL;
	for (const char *c = host; c < at; c++)
		if (*c == '@')
			userinfo_end = c;
	if (userinfo_end)
		host = userinfo_end + 1;
	return host < at && *host != ':';
}

static int check_value(struct config *cfg, const struct config_key *k, const char *origin,
                       char *err, size_t errlen)
{
	if (k->check == CHECK_NONE)
		return 0;
	if (k->check == CHECK_ACTION_NAMES) {
		char **items = field_at(cfg, k->offset);
		size_t count = *(size_t *)field_at(cfg, k->count_offset);
		for (size_t i = 0; i < count; i++) {
			if (!recovery_action_known(items[i])) {
				fail(err, errlen, "%s: unknown action '%s' (known: %s)", origin,
				     items[i], recovery_action_names());
				return -1;
			}
		}
		return 0;
	}
	/* Only strings have the checks below: do not read others as one. */
	const char *value = *string_at(cfg, k);
	char shown[CONFIG_SHOWN_VALUE + 8];
	shown_value(shown, sizeof(shown), value);
	char why[512];

	switch (k->check) {
	case CHECK_NONE:
	case CHECK_ACTION_NAMES:
		return 0;
	case CHECK_PG_URL: {
		if (!*value)
			return 0;
		struct pgurl u;
		if (pgurl_parse(value, (long)cfg->app.timeout_ms, &u, why, sizeof(why)) < 0) {
			fail(err, errlen, "%s: %s", origin, why);
			return -1;
		}
		redact_register(u.password);
		pgurl_free(&u);
		return 0;
	}
	case CHECK_REDIS_URL: {
		if (!*value)
			return 0;
		struct redisurl u;
		if (redisurl_parse(value, &u, why, sizeof(why)) < 0) {
			fail(err, errlen, "%s: %s", origin, why);
			return -1;
		}
		redact_register(u.password);
		redisurl_free(&u);
		return 0;
	}
	case CHECK_HTTP_URL:
		if (*value && !valid_http_url(value)) {
			fail(err, errlen, "%s: '%s' is not an http:// or https:// URL", origin,
			     shown);
			return -1;
		}
		return 0;
	case CHECK_BACKUP_TARGET:
		if (*value && s3_backup_target_check(value, why, sizeof(why)) < 0) {
			fail(err, errlen, "%s: '%s' %s", origin, shown, why);
			return -1;
		}
		return 0;
	case CHECK_BACKUP_FORMAT:
		if (strcmp(value, "plain") != 0 && strcmp(value, "custom") != 0) {
			fail(err, errlen, "%s: '%s' is not a backup format (use plain or custom)",
			     origin, shown);
			return -1;
		}
		return 0;
	case CHECK_TABLE_NAME: {
		/* An identifier, as Prisma names tables; the probe quotes it. */
		bool ok = *value && strlen(value) < 64 &&
		          (isalpha((unsigned char)*value) || *value == '_');
		for (const char *c = value; ok && *c; c++)
			ok = isalnum((unsigned char)*c) || *c == '_' || *c == '$';
		if (!ok) {
			fail(err, errlen,
			     "%s: '%s' is not a table name (letters, digits and _, at most 63)",
			     origin, shown);
			return -1;
		}
		return 0;
	}
	}
	return 0;
}

/* "pm2 restart all" when pm2 is installed, which is how the seed's app is
 * run; found by walking PATH ourselves, since nothing here uses a shell. */
static bool on_path(const char *program)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t len = strcspn(path, ":");
		if (len > 0 && path[0] == '/') { /* relative entries: not trusted */
			char *candidate = xasprintf("%.*s/%s", (int)len, path, program);
			struct stat st;
			bool found = access(candidate, X_OK) == 0 && stat(candidate, &st) == 0 &&
			             S_ISREG(st.st_mode);
			free(candidate);
			if (found)
				return true;
		}
		path += len;
		if (*path == ':')
			path++;
	}
	return false;
}

/* ------------------------------------------------------------ loading */

struct load_state {
	struct ini_file ini;
	struct ini_file_sections sections;
	const struct ini_entry *entries[KEY_COUNT];
	char *text;
	struct stat st;
};

/* Every section and key known, none twice, none outside a section. */
static int check_names(struct config *cfg, struct load_state *ls, char *err, size_t errlen)
{
	for (size_t i = 0; i < ls->sections.count; i++) {
		const struct ini_section_ref *s = &ls->sections.items[i];
		if (known_section(s->name))
			continue;
		const char *near = closest(s->name, sections, SECTION_COUNT);
		if (near)
			fail(err, errlen, "%s:%d: unknown section [%s] (did you mean [%s]?)",
			     cfg->path, s->line, s->name, near);
		else
			fail(err, errlen,
			     "%s:%d: unknown section [%s] (known: app, database, redis, storage, "
			     "backup, thresholds, actions, recovery, ui)",
			     cfg->path, s->line, s->name);
		return -1;
	}
	for (size_t i = 0; i < ls->ini.count; i++) {
		const struct ini_entry *e = &ls->ini.entries[i];
		if (!*e->section) {
			const char *home = section_of(e->key);
			if (home)
				fail(err, errlen,
				     "%s:%d: '%s' is outside any [section] (it belongs in [%s])",
				     cfg->path, e->line, e->key, home);
			else
				fail(err, errlen, "%s:%d: '%s' is outside any [section]", cfg->path,
				     e->line, e->key);
			return -1;
		}
		const struct config_key *k = find_key(e->section, e->key);
		if (!k) {
			const char *names[KEY_COUNT];
			size_t n = 0;
			for (size_t j = 0; j < KEY_COUNT; j++)
				if (strcmp(keys[j].section, e->section) == 0)
					names[n++] = keys[j].key;
			const char *near = closest(e->key, names, n);
			const char *home = section_of(e->key);
			if (near)
				fail(err, errlen,
				     "%s:%d: unknown key '%s' in [%s] (did you mean '%s'?)",
				     cfg->path, e->line, e->key, e->section, near);
			else if (home)
				fail(err, errlen,
				     "%s:%d: unknown key '%s' in [%s] (it belongs in [%s])",
				     cfg->path, e->line, e->key, e->section, home);
			else {
				struct strbuf list;
				strbuf_init(&list, 400);
				for (size_t j = 0; j < n; j++)
					strbuf_printf(&list, "%s%s", j ? ", " : "", names[j]);
				fail(err, errlen, "%s:%d: unknown key '%s' in [%s] (known: %s)",
				     cfg->path, e->line, e->key, e->section, strbuf_str(&list));
				strbuf_free(&list);
			}
			return -1;
		}
		size_t index = (size_t)(k - keys);
		if (ls->entries[index]) {
			fail(err, errlen,
			     "%s:%d: duplicate key '%s' in [%s] (first set on line %d)", cfg->path,
			     e->line, e->key, e->section, ls->entries[index]->line);
			return -1;
		}
		ls->entries[index] = e;
	}
	return 0;
}

/* The first line holding a password written out in the file (a ${NAME}
 * reference is not one: the secret then lives elsewhere), or 0. */
static int literal_secret_line(const struct load_state *ls)
{
	for (size_t i = 0; i < ls->ini.count; i++) {
		const struct ini_entry *e = &ls->ini.entries[i];
		char *literal = NULL;
		char why[64];
		if (expand_vars(e->value, NULL, NULL, &literal, NULL, 0, why, sizeof(why)) < 0)
			literal = xstrdup(e->value);
		/* user:pass@ in a URL, libpq's password= / sslpassword=, or a
		 * credential in a URL's query string (?token=) */
		bool secret = text_has_credential(literal) || strstr(literal, "password=") != NULL;
		free(literal);
		if (secret)
			return e->line;
	}
	return 0;
}

/* Loads env_file (or ./.env) into cfg->env and checks its permissions. */
static int load_env_file(struct config *cfg, const struct ini_entry *e, char *err, size_t errlen)
{
	char *path = NULL;
	char *text = NULL;
	char prefix[1024] = "";
	struct stat st;
	int rc = -1;
	bool explicit = e != NULL;
	if (e) {
		char why[256];
		if (expand_vars(e->value, lookup_environment, NULL, &path, NULL, 0, why,
		                sizeof(why)) < 0) {
			fail(err, errlen, "%s:%d: env_file: %s", cfg->path, e->line, why);
			goto done;
		}
		if (!*path) { /* "env_file =" turns the ./.env default off */
			rc = 0;
			goto done;
		}
		snprintf(prefix, sizeof(prefix), "%s:%d: env_file ", cfg->path, e->line);
	} else {
		path = xstrdup(CONFIG_DEFAULT_ENV_FILE);
	}
	int found = read_text_file(path, !explicit, prefix, &text, &st, err, errlen);
	if (found <= 0) {
		rc = found;
		goto done;
	}
	struct envfile *env = envfile_parse(path, text, err, errlen);
	if (!env)
		goto done;
	cfg->env = env;
	set_string(&cfg->app.env_file, path);
	int secret_line = envfile_holds_secret(env);
	if (secret_line && readable_by_others(&st)) {
		fail(err, errlen,
		     "%s: holds a secret (line %d) but is readable by group or others; run: chmod "
		     "600 %s",
		     path, secret_line, path);
		goto done;
	}
	rc = 0;
done:
	free(path);
	free(text);
	return rc;
}

/* Registers the secrets the app shares through the environment. */
static void register_variable_secrets(const struct config *cfg)
{
	for (size_t i = 0; i < sizeof(secret_variables) / sizeof(secret_variables[0]); i++)
		redact_register(config_lookup(cfg, secret_variables[i]));
}

/* Loads `path` (NULL: no file, defaults and environment only) into cfg.
 * Returns 1 when loaded, 0 when the file does not exist and must_exist is
 * false (cfg untouched), -1 on error (cfg freed-and-empty). */
static int load(struct config *cfg, const char *path, bool must_exist, char *err, size_t errlen)
{
	struct config c;
	struct load_state ls;
	memset(&ls, 0, sizeof(ls));
	config_defaults(&c);
	int rc = -1;

	if (path) {
		int found = read_text_file(path, !must_exist, "", &ls.text, &ls.st, err, errlen);
		if (found == 0) {
			rc = 0;
			goto done;
		}
		if (found < 0)
			goto done;
		set_string(&c.path, path);
		if (ini_parse(path, ls.text, &ls.ini, &ls.sections, err, errlen) < 0)
			goto done;
		if (check_names(&c, &ls, err, errlen) < 0)
			goto done;
		int secret_line = literal_secret_line(&ls);
		if (secret_line && readable_by_others(&ls.st)) {
			fail(err, errlen,
			     "%s: holds a password (line %d) but is readable by group or "
			     "others; run: chmod 600 %s",
			     path, secret_line, path);
			goto done;
		}
	}

	const struct config_key *env_key = find_key("app", "env_file");
	if (load_env_file(&c, ls.entries[env_key - keys], err, errlen) < 0)
		goto done;

	for (size_t i = 0; i < KEY_COUNT; i++) {
		if (&keys[i] == env_key)
			continue;
		if (apply_key(&c, &keys[i], ls.entries[i], lookup_config, err, errlen) < 0)
			goto done;
	}
	/* Checks that need every value (a URL check needs the timeout). */
	for (size_t i = 0; i < KEY_COUNT; i++) {
		char origin[1024];
		describe_origin(origin, sizeof(origin), &c, &keys[i], ls.entries[i]);
		if (check_value(&c, &keys[i], origin, err, errlen) < 0)
			goto done;
	}
	if (!ls.entries[find_key("recovery", "restart_command") - keys])
		set_string(&c.recovery.restart_command, on_path("pm2") ? "pm2 restart all" : "");
	if (!*c.backup.region) {
		const char *region = config_lookup(&c, "AWS_DEFAULT_REGION");
		set_string(&c.backup.region, region && *region ? region : "us-east-1");
	}
	register_variable_secrets(&c);

	*cfg = c;
	memset(&c, 0, sizeof(c));
	rc = 1;
done:
	ini_file_free(&ls.ini, &ls.sections);
	free(ls.text);
	config_free(&c);
	if (rc < 0) {
		memset(cfg, 0, sizeof(*cfg));
		/* The message quotes the file's path and text: no control (C0
		 * or C1) reaches the operator's terminal or a monitoring system. */
		sanitize_text(err, errlen, err);
	}
	return rc;
}

/* ------------------------------------------------------------ public */

void config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->path = xstrdup("");
	for (size_t i = 0; i < KEY_COUNT; i++) {
		const struct config_key *k = &keys[i];
		if (k->type == TYPE_STRING)
			set_string(string_at(cfg, k), "");
		if (k->reason_offset)
			set_string(field_at(cfg, k->reason_offset), "");
		char err[256];
		/* The table's defaults are valid by construction. */
		if (apply_key(cfg, k, NULL, lookup_nothing, err, sizeof(err)) < 0)
			abort();
	}
	if (!*cfg->backup.region)
		set_string(&cfg->backup.region, "us-east-1");
	char *audit_log = paths_default_audit_log();
	set_string(&cfg->recovery.audit_log, audit_log ? audit_log : "");
	free(audit_log);
}

int config_load_file(struct config *cfg, const char *path, char *err, size_t errlen)
{
	return load(cfg, path, true, err, errlen) < 0 ? -1 : 0;
}

/* $XDG_CONFIG_HOME/opsdeck/opsdeck.conf, or ~/.config/...; NULL when there
 * is no home to look in. */
static char *user_config_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	if (xdg && xdg[0] == '/') /* the XDG spec: relative values are ignored */
		return xasprintf("%s/opsdeck/opsdeck.conf", xdg);
	const char *home = paths_home();
	return home ? xasprintf("%s/.config/opsdeck/opsdeck.conf", home) : NULL;
}

int config_load(struct config *cfg, const char *explicit_path, char *err, size_t errlen)
{
	if (explicit_path)
		return config_load_file(cfg, explicit_path, err, errlen);
	char *user = user_config_path();
	int rc = user ? load(cfg, user, false, err, errlen) : 0;
	free(user);
	if (rc == 0)
		rc = load(cfg, CONFIG_SYSTEM_PATH, false, err, errlen);
	if (rc == 0)
		rc = load(cfg, NULL, true, err, errlen);
	return rc < 0 ? -1 : 0;
}

bool config_has_section(const char *section)
{
	for (size_t i = 0; section && i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].section, section) == 0)
			return true;
	return false;
}

const char *config_lookup(const struct config *cfg, const char *name)
{
	const char *value = getenv(name);
	if (value)
		return value;
	return cfg ? envfile_get(cfg->env, name) : NULL;
}

void config_free(struct config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < KEY_COUNT; i++) {
		const struct config_key *k = &keys[i];
		if (k->type == TYPE_STRING) {
			char **s = string_at(cfg, k);
			free(*s);
			*s = NULL;
		} else if (k->type == TYPE_LIST) {
			free_list(cfg, k);
		}
		if (k->reason_offset) {
			char **reason = field_at(cfg, k->reason_offset);
			free(*reason);
			*reason = NULL;
		}
	}
	free(cfg->path);
	envfile_free(cfg->env);
	memset(cfg, 0, sizeof(*cfg));
}
