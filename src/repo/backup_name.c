/* backup_name.c - the names of backups at a target (see backup_name.h). */
#include "repo/backup_name.h"

#include <stdio.h>
#include <string.h>

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
