/* validate.c - a configuration value read into its field and checked (see
 * validate.h): numbers, durations, ratios, booleans and lists against the
 * key's range, then URLs (pgurl, redisurl, http), the backup target and
 * format, table and action names.
 */
#include "config/validate.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/pgurl.h"
#include "model/redact.h"
#include "model/snapshot.h"
#include "config/redisurl.h"
#include "model/action.h"
#include "model/issue.h"
#include "config/backup_target.h"
#include "util/sanitize.h"
#include "util/text.h"
#include "util/xalloc.h"

/* Longest value quoted back in an error message. */
#define CONFIG_SHOWN_VALUE 60

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

static int apply_list(struct config *cfg, const struct config_key *k, const char *value,
                      const char *origin, char *err, size_t errlen)
{
	char **items = config_field(cfg, k->offset);
	size_t *count = config_field(cfg, k->count_offset);
	config_list_free(cfg, k);
	const char *p = value;
	for (;;) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		size_t len = strcspn(p, ", \t\r\n\v\f");
		if (*count == k->max_items) {
			snprintf(err, errlen, "%s: too many entries (at most %zu)", origin,
			         k->max_items);
			return -1;
		}
		items[(*count)++] = xstrndup(p, len);
		p += len;
	}
	return 0;
}

int config_value_apply(struct config *cfg, const struct config_key *k, const char *value,
                       const char *unset, const char *origin, char *err, size_t errlen)
{
	char shown[CONFIG_SHOWN_VALUE + 8];
	shown_value(shown, sizeof(shown), value);

	if (k->type == TYPE_STRING) {
		config_string_set(config_string(cfg, k), value);
		return 0;
	}
	if (k->type == TYPE_LIST)
		return apply_list(cfg, k, value, origin, err, errlen);
	if (!*value) {
		if (*unset)
			snprintf(err, errlen, "%s: the value is empty (%s is not set)", origin,
			         unset);
		else
			snprintf(err, errlen, "%s: the value is empty", origin);
		return -1;
	}
	switch (k->type) {
	case TYPE_DURATION: {
		int64_t ms;
		if (text_parse_duration_ms(value, &ms) < 0) {
			snprintf(err, errlen, "%s: '%s' is not a duration (use e.g. 3s, 500ms, 5m)",
			         origin, shown);
			return -1;
		}
		if ((double)ms < k->min || (double)ms > k->max) {
			char lo[32], hi[32];
			format_ms(lo, sizeof(lo), k->min);
			format_ms(hi, sizeof(hi), k->max);
			if (k->min <= 1 && (double)ms < k->min)
				snprintf(err, errlen, "%s: must be greater than zero", origin);
			else if ((double)ms < k->min)
				snprintf(err, errlen, "%s: %s is too short (at least %s)", origin,
				         shown, lo);
			else
				snprintf(err, errlen, "%s: %s is too long (at most %s)", origin,
				         shown, hi);
			return -1;
		}
		*(int64_t *)config_field(cfg, k->offset) = ms;
		return 0;
	}
	case TYPE_INT64:
	case TYPE_INT: {
		int64_t v;
		if (text_parse_int64(value, &v) < 0) {
			snprintf(err, errlen, "%s: '%s' is not a whole number", origin, shown);
			return -1;
		}
		if ((double)v < k->min || (double)v > k->max) {
			snprintf(err, errlen, "%s: %s is out of range (%.0f to %.0f)", origin,
			         shown, k->min, k->max);
			return -1;
		}
		if (k->type == TYPE_INT)
			*(int *)config_field(cfg, k->offset) = (int)v;
		else
			*(int64_t *)config_field(cfg, k->offset) = v;
		return 0;
	}
	case TYPE_RATIO:
	case TYPE_PERCENT: {
		double v;
		bool ratio = k->type == TYPE_RATIO;
		if (!parse_fraction(value, ratio ? 1.0 : 100.0, &v)) {
			snprintf(err, errlen, "%s: '%s' is not a %s", origin, shown,
			         ratio ? "ratio (use e.g. 0.05 or 5%)"
			               : "percentage (use e.g. 90)");
			return -1;
		}
		if (v < k->min || v > k->max) {
			snprintf(err, errlen, "%s: %s is out of range (%s)", origin, shown,
			         ratio ? "0 to 1, or 0% to 100%" : "0 to 100");
			return -1;
		}
		*(double *)config_field(cfg, k->offset) = v;
		return 0;
	}
	case TYPE_BOOL: {
		bool v;
		if (!parse_bool(value, &v)) {
			snprintf(err, errlen, "%s: '%s' is not a boolean (use true or false)",
			         origin, shown);
			return -1;
		}
		*(bool *)config_field(cfg, k->offset) = v;
		return 0;
	}
	case TYPE_SIZE: {
		int64_t v;
		if (text_parse_bytes(value, &v) < 0) {
			snprintf(err, errlen, "%s: '%s' is not a size (use e.g. 512M, 2G)", origin,
			         shown);
			return -1;
		}
		if ((double)v < k->min || (double)v > k->max) {
			snprintf(err, errlen, "%s: %s is out of range (1M to 1T)", origin, shown);
			return -1;
		}
		*(int64_t *)config_field(cfg, k->offset) = v;
		return 0;
	}
	case TYPE_STRING:
	case TYPE_LIST:
		break;
	}
	return 0;
}

/* http:// or https:// with a host, and no space or control anywhere. */
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

/* The encoder levels of each [backup] compression; codec/ has the same
 * ranges in its rows (a unit test holds them equal). */
static const struct {
	const char *name;
	int min, max;
} COMPRESSIONS[] = {
    {"gzip", 1, 9},
    {"zstd", 1, 19},
};

static int compression_find(const char *name)
{
	for (size_t i = 0; i < sizeof(COMPRESSIONS) / sizeof(COMPRESSIONS[0]); i++)
		if (strcmp(COMPRESSIONS[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int compression_level_check(struct config *cfg, const struct config_key *k,
                                   const char *origin, char *err, size_t errlen)
{
	int i = compression_find(cfg->backup.compression ? cfg->backup.compression : "gzip");
	int level = *(int *)config_field(cfg, k->offset);
	if (i < 0)
		return 0; /* the compression's own check says what is wrong */
	if (level < COMPRESSIONS[i].min || level > COMPRESSIONS[i].max) {
		snprintf(err, errlen, "%s: %d is out of range for %s (%d to %d)", origin, level,
		         COMPRESSIONS[i].name, COMPRESSIONS[i].min, COMPRESSIONS[i].max);
		return -1;
	}
	return 0;
}

/* A TLS file the connection will read: there, a regular file, readable by
 * this user. Its contents are read by OpenSSL only, never shown. */
static int tls_file_check(const char *path, char *why, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	if (fd < 0) {
		snprintf(why, len, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	int rc = fstat(fd, &st);
	int saved = errno;
	close(fd);
	if (rc < 0) {
		snprintf(why, len, "cannot read %s: %s", path, strerror(saved));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, len, "%s is not a file", path);
		return -1;
	}
	return 0;
}

static bool banner_color_known(const char *name)
{
	static const char *const colors[] = {"red", "yellow", "green", "blue", "magenta", "cyan"};
	for (size_t i = 0; i < sizeof(colors) / sizeof(colors[0]); i++)
		if (strcmp(name, colors[i]) == 0)
			return true;
	return false;
}

/* [redis] tls_ca, tls_cert, tls_key: files that exist; the certificate
 * and the key each with the other. */
static int tls_value_check(const struct config *cfg, const struct config_key *k, const char *value,
                           const char *origin, char *err, size_t errlen)
{
	if (k->check == CHECK_TLS_PAIR && *value) {
		bool is_cert = strcmp(k->key, "tls_cert") == 0;
		const char *other = is_cert ? cfg->redis.tls_key : cfg->redis.tls_cert;
		if (!other || !*other) {
			snprintf(err, errlen,
			         "%s: needs [redis] %s too (a client certificate and its key go "
			         "together)",
			         origin, is_cert ? "tls_key" : "tls_cert");
			return -1;
		}
	}
	char why[512];
	if (*value && tls_file_check(value, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s: %s", origin, why);
		return -1;
	}
	return 0;
}

/* A list of http(s) URLs: health_url and version_url (one per app
 * instance, at most APP_INSTANCES_MAX), [notify] webhook_url (at most
 * CONFIG_WEBHOOKS_MAX; secrets: registered, and never shown). */
static int http_urls_check(const char *value, bool secret, const char *origin, char *err,
                           size_t errlen)
{
	int max = secret ? CONFIG_WEBHOOKS_MAX : APP_INSTANCES_MAX;
	char *urls[APP_INSTANCES_MAX];
	int n = text_split_words(value, ", ", urls, max);
	int rc = 0;
	if (n > max) {
		snprintf(err, errlen, "%s: %d URLs, at most %d %s", origin, n, max,
		         secret ? "webhooks" : "instances");
		rc = -1;
	}
	for (int i = 0; i < n && i < max; i++) {
		if (rc == 0 && !valid_http_url(urls[i])) {
			char shown[CONFIG_SHOWN_VALUE + 8];
			if (secret)
				snprintf(shown, sizeof(shown), "URL %d", i + 1);
			else
				shown_value(shown, sizeof(shown), urls[i]);
			snprintf(err, errlen, "%s: %s%s%s is not an http:// or https:// URL",
			         origin, secret ? "" : "'", shown, secret ? "" : "'");
			rc = -1;
		}
		if (secret) {
			/* the token is in the path or query (Slack, healthchecks.io) */
			redact_register(urls[i]);
			const char *scheme_end = strstr(urls[i], "://");
			const char *path = scheme_end ? strpbrk(scheme_end + 3, "/?") : NULL;
			if (path && strlen(path) >= 8)
				redact_register(path);
		}
		free(urls[i]);
	}
	return rc;
}

int config_value_check(struct config *cfg, const struct config_key *k, const char *origin,
                       char *err, size_t errlen)
{
	if (k->check == CHECK_NONE)
		return 0;
	if (k->check == CHECK_ACTION_NAMES) {
		char **items = config_field(cfg, k->offset);
		size_t count = *(size_t *)config_field(cfg, k->count_offset);
		for (size_t i = 0; i < count; i++) {
			if (!action_find(items[i])) {
				char known[256];
				action_names(known, sizeof(known));
				snprintf(err, errlen, "%s: unknown action '%s' (known: %s)", origin,
				         items[i], known);
				return -1;
			}
		}
		return 0;
	}
	if (k->check == CHECK_COMPRESSION_LEVEL)
		return compression_level_check(cfg, k, origin, err, errlen);
	/* Only strings have the checks below: do not read others as one. */
	const char *value = *config_string(cfg, k);
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
			snprintf(err, errlen, "%s: %s", origin, why);
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
			snprintf(err, errlen, "%s: %s", origin, why);
			return -1;
		}
		redact_register(u.password);
		redisurl_free(&u);
		return 0;
	}
	case CHECK_HTTP_URLS:
		return http_urls_check(value, false, origin, err, errlen);
	case CHECK_WEBHOOK_URLS:
		return http_urls_check(value, true, origin, err, errlen);
	case CHECK_NOTIFY_FORMAT:
		if (strcmp(value, "json") != 0 && strcmp(value, "slack") != 0) {
			snprintf(err, errlen,
			         "%s: '%s' is not a notification format (use json or slack)",
			         origin, shown);
			return -1;
		}
		return 0;
	case CHECK_SEVERITY:
		if (issue_severity_from_name(value) < 0) {
			snprintf(err, errlen,
			         "%s: '%s' is not a severity (use low, medium or high)", origin,
			         shown);
			return -1;
		}
		return 0;
	case CHECK_HTTP_URL:
		if (*value && !valid_http_url(value)) {
			snprintf(err, errlen, "%s: '%s' is not an http:// or https:// URL", origin,
			         shown);
			return -1;
		}
		return 0;
	case CHECK_BACKUP_TARGET:
		if (*value && backup_target_check(value, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "%s: '%s' %s", origin, shown, why);
			return -1;
		}
		return 0;
	case CHECK_BACKUP_FORMAT:
		if (strcmp(value, "plain") != 0 && strcmp(value, "custom") != 0) {
			snprintf(err, errlen,
			         "%s: '%s' is not a backup format (use plain or custom)", origin,
			         shown);
			return -1;
		}
		return 0;
	case CHECK_BACKUP_COMPRESSION:
		if (compression_find(value) < 0) {
			snprintf(err, errlen,
			         "%s: '%s' is not a backup compression (use gzip or zstd)", origin,
			         shown);
			return -1;
		}
		return 0;
	case CHECK_COMPRESSION_LEVEL:
		return 0;
	case CHECK_TLS_FILE:
	case CHECK_TLS_PAIR:
		return tls_value_check(cfg, k, value, origin, err, errlen);
	case CHECK_BANNER:
		if (strlen(value) > CONFIG_BANNER_MAX) {
			snprintf(err, errlen, "%s: '%s' is longer than %d bytes", origin, shown,
			         CONFIG_BANNER_MAX);
			return -1;
		}
		return 0;
	case CHECK_BANNER_COLOR:
		if (*value && !banner_color_known(value)) {
			snprintf(err, errlen, "%s: '%s' is not a banner colour (use %s)", origin,
			         shown, CONFIG_BANNER_COLORS);
			return -1;
		}
		return 0;
	case CHECK_TABLE_NAME:
	case CHECK_COLUMN_NAME: {
		/* An identifier, as Prisma names tables and columns; the probe
		 * quotes it. */
		bool ok = *value && strlen(value) < 64 &&
		          (isalpha((unsigned char)*value) || *value == '_');
		for (const char *c = value; ok && *c; c++)
			ok = isalnum((unsigned char)*c) || *c == '_' || *c == '$';
		if (!ok) {
			snprintf(err, errlen,
			         "%s: '%s' is not a %s name (letters, digits and _, at most 63)",
			         origin, shown, k->check == CHECK_TABLE_NAME ? "table" : "column");
			return -1;
		}
		return 0;
	}
	}
	return 0;
}
