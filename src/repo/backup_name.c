/* backup_name.c - the names of backups at a target (see backup_name.h). */
#include "repo/backup_name.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "repo/sink.h"
#include "util/clock.h"
#include "util/text.h"

#define NAME_ATTEMPTS 5 /* ids drawn before giving up on a free name */
#define RUN_ID_DIGITS 8 /* of the audit id, in a backup's name */

void backup_timestamp(char *dst, size_t size, int64_t wall_ms)
{
	clock_format_iso8601(dst, size, wall_ms);
	for (char *p = dst; *p; p++)
		if (*p == ':' || *p == '.')
			*p = '-';
}

/* The dump object suffixes, [custom][zstd]. */
static const char *const DB_SUFFIXES[2][2] = {
    {".sql.gz", ".sql.zst"},
    {".dump.gz", ".dump.zst"},
};

bool backup_db_key(const char *key)
{
	for (int c = 0; c < 2; c++)
		for (int z = 0; z < 2; z++)
			if (text_ends_with(key, DB_SUFFIXES[c][z]))
				return true;
	return false;
}

void backup_db_name(char *dst, size_t size, const char *database, const char *timestamp,
                    bool custom, const char *compression)
{
	char db[128];
	text_printf(db, sizeof(db), "%s", database && *database ? database : "postgres");
	for (char *p = db; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			*p = '_';
	}
	bool zstd = compression && strcmp(compression, "zstd") == 0;
	text_printf(dst, size, "%s_%s%s", db, timestamp, DB_SUFFIXES[custom][zstd]);
}

int backup_name_pick(struct sink *sink, const char *database, const char *timestamp, bool custom,
                     const char *compression, void (*new_id)(char *id), char *id, char *name,
                     size_t size, char *err, size_t errlen)
{
	for (int attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
		char stamp[128];
		new_id(id);
		text_printf(stamp, sizeof(stamp), "%s_%.*s", timestamp, RUN_ID_DIGITS, id);
		if (database)
			backup_db_name(name, size, database, stamp, custom, compression);
		else
			text_printf(name, size, "%s", stamp);
		bool taken = false;
		if (sink->ops->taken(sink, name, &taken, err, errlen) != 0)
			return -1;
		if (!taken)
			return 0;
	}
	text_printf(err, errlen, "no free name for the backup after %d tries (last: %s)",
	            NAME_ATTEMPTS, name);
	return -1;
}

#define TIMESTAMP_LEN 24 /* "2026-11-27T10-25-02-123Z" */

/* Whether s starts with a timestamp as backup_timestamp writes it; fills
 * tm and ms. */
static bool timestamp_at(const char *s, struct tm *tm, int *ms)
{
	static const char shape[] = "dddd-dd-ddTdd-dd-dd-dddZ";
	for (size_t i = 0; i < TIMESTAMP_LEN; i++) {
		char c = s[i];
		if (!c)
			return false;
		if (shape[i] == 'd' ? (c < '0' || c > '9') : c != shape[i])
			return false;
	}
	memset(tm, 0, sizeof(*tm));
	if (sscanf(s, "%4d-%2d-%2dT%2d-%2d-%2d-%3d", &tm->tm_year, &tm->tm_mon, &tm->tm_mday,
	           &tm->tm_hour, &tm->tm_min, &tm->tm_sec, ms) != 7)
		return false;
	if (tm->tm_mon < 1 || tm->tm_mon > 12 || tm->tm_mday < 1 || tm->tm_mday > 31 ||
	    tm->tm_hour > 23 || tm->tm_min > 59 || tm->tm_sec > 60)
		return false;
	tm->tm_year -= 1900;
	tm->tm_mon -= 1;
	return true;
}

/* The first timestamp in key, or NULL. */
static const char *timestamp_find(const char *key, int64_t *wall_ms)
{
	for (const char *p = key; *p; p++) {
		struct tm tm;
		int ms = 0;
		if (!timestamp_at(p, &tm, &ms))
			continue;
		if (wall_ms)
			*wall_ms = (int64_t)timegm(&tm) * 1000 + ms;
		return p;
	}
	return NULL;
}

bool backup_name_time(const char *key, int64_t *wall_ms)
{
	return timestamp_find(key, wall_ms) != NULL;
}

void backup_name_series(const char *key, char *dst, size_t size)
{
	const char *ts = timestamp_find(key, NULL);
	if (!ts) {
		text_copy(dst, key, size);
		return;
	}
	const char *rest = ts + TIMESTAMP_LEN;
	if (rest[0] == '_') { /* the run id */
		size_t i = 1;
		while (i <= RUN_ID_DIGITS &&
		       ((rest[i] >= '0' && rest[i] <= '9') || (rest[i] >= 'a' && rest[i] <= 'f')))
			i++;
		if (i == RUN_ID_DIGITS + 1)
			rest += i;
	}
	text_printf(dst, size, "%.*s%s", (int)(ts - key), key, rest);
}
