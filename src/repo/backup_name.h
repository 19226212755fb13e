/* backup_name.h - the names of backups at a target, in one place.
 *
 * A database dump is PREFIX/DB_TIMESTAMP_RUNID.sql.gz (custom format:
 * .dump.gz; with [backup] compression = zstd .sql.zst and .dump.zst), its
 * manifest the same name with ".json"; a files backup is the
 * directory PREFIX/TIMESTAMP_RUNID/ with PREFIX/TIMESTAMP_RUNID.files.json
 * (repo/manifest.h). backup_timestamp and backup_db_name are pure.
 */
#ifndef OPSDECK_REPO_BACKUP_NAME_H
#define OPSDECK_REPO_BACKUP_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "2026-11-27T10-25-02-123Z" (ISO-8601, ':' and '.' replaced by '-', as the
 * seed names it). */
void backup_timestamp(char *dst, size_t size, int64_t wall_ms);

/* "shop_2026-...Z.sql.gz" (custom: .dump.gz; compression "zstd": .sql.zst,
 * .dump.zst; NULL or "gzip": .gz); characters of the database name other
 * than [A-Za-z0-9._-] become '_'. */
void backup_db_name(char *dst, size_t size, const char *database, const char *timestamp,
                    bool custom, const char *compression);

/* Whether key names a database dump object: it ends in one of the suffixes
 * above (.sql.gz, .dump.gz, .sql.zst, .dump.zst). */
bool backup_db_key(const char *key);

/* The name of a new backup at an open sink (repo/sink.h): the seed's name
 * with the run's id after the timestamp, "shop_2026-...-123Z_1a2b3c4d.sql.gz"
 * (database is NULL for a files backup: its directory "2026-...-123Z_1a2b3c4d").
 * The id is the first 8 hex digits of the run's audit id, drawn with new_id
 * (audit_new_id) into id (AUDIT_ID_SIZE bytes), so two runs in the same millisecond (or with a
 * frozen clock) differ, and `opsdeck audit` finds the run of a key. While
 * the target already holds anything of that name, another id is drawn.
 * 0, or -1 with why (the target cannot be listed, or no free name). */
struct sink;
int backup_name_pick(struct sink *sink, const char *database, const char *timestamp, bool custom,
                     const char *compression, void (*new_id)(char *id), char *id, char *name,
                     size_t size, char *err, size_t errlen);

/* When the backup named key began, from the timestamp in its name (the
 * first "YYYY-MM-DDTHH-MM-SS-mmmZ" in it, as backup_timestamp writes it):
 * true with *wall_ms set, false when the name holds none. */
bool backup_name_time(const char *key, int64_t *wall_ms);

/* The series a backup belongs to, for retention (repo/retention.h): its
 * name without the timestamp and the run id ("shop_.sql.gz" for
 * "shop_2026-...Z_1a2b3c4d.sql.gz", "" for a files backup's directory);
 * the whole key when it holds no timestamp. */
void backup_name_series(const char *key, char *dst, size_t size);

#endif
