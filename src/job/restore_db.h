/* restore_db.h - a database backup restored into a new database: the
 * `opsdeck restore KEY --into DB` verb, and the engine `backup drill` and
 * the dashboard's Restore… use (DESIGN.md "Backups").
 *
 * KEY is the dump as `backup list` prints it ("shop_2026-...Z_1a2b.sql.gz";
 * its manifest's name KEY.json is accepted too). The manifest is read
 * first; the restore is refused, with nothing created, when it is missing
 * (an incomplete backup), is not a database dump's, has no checksum, or
 * names another database than [database] url's (unless any_database). DB
 * must be a plain identifier ([A-Za-z_][A-Za-z0-9_$]*, at most 63 bytes)
 * and must not exist.
 *
 * The restore connects with [backup] restore_url (default [database] url),
 * creates DB (a role without CREATEDB gets an error naming the grant), and
 * streams the object from the target through SHA-256 and the decoder of
 * its codec into `psql --single-transaction -v ON_ERROR_STOP=1` (plain) or
 * `pg_restore --single-transaction --exit-on-error` (custom), without a
 * temporary file (job/pg_load.h). Any failure — a hash mismatch (known
 * only at the end: the loader is then killed before it commits), a
 * truncated or corrupt stream, a loader error, a cancel — kills the
 * loader and drops DB (WITH (FORCE)): a failed restore leaves no database
 * that looks usable. A drop that fails is named in the message.
 *
 * With replace (`restore KEY --replace`) the dump goes into a new database
 * DB_restoring_STAMP first (DB: [database] url's), and only when that
 * succeeded do the two swap names (job/restore_swap.h): the live database
 * becomes DB_before_STAMP, its sessions ended, so a rollback is one pair of
 * renames; a failed swap leaves the live database as it was and drops the
 * restored copy. restore_url must then connect to another database.
 *
 * As a destructive verb it follows the action framework's contract
 * (job/actions.h): the dry run says what would be created from what and
 * touches nothing; read-only mode refuses; the audit log gets the attempt
 * (no record, no restore) and the outcome, action "restore-db" (quiet:
 * none, for a caller that audits itself, such as the drill). The caller
 * asks for confirmation.
 */
#ifndef OPSDECK_JOB_RESTORE_DB_H
#define OPSDECK_JOB_RESTORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/codec.h"
#include "config/config.h"
#include "job/backup.h"

#define RESTORE_DB_NAME_MAX 63

struct restore_db_options {
	const char *target; /* a URL, or NULL for [backup] target */
	const char *key;
	const char *into; /* the database to create (not with replace) */
	/* restore into a new database, then swap it with [database] url's
	 * (job/restore_swap.h): the live one becomes DB_before_STAMP */
	bool replace;
	bool any_database; /* restore a backup of another database too */
	bool dry_run;
	bool quiet; /* no audit records: the caller writes its own */
	/* May be NULL: sees the decompressed dump as it streams (the drill
	 * counts COPY rows); non-zero stops the restore with its err. */
	codec_out_fn *observe;
	void *observe_ctx;
};

struct restore_db_result {
	char database[128]; /* the manifest's: what was backed up */
	char created[32];   /* when the backup was taken */
	char format[16];    /* "plain" or "custom" */
	uint64_t stored;    /* bytes downloaded */
	uint64_t plain;     /* bytes fed to the loader */
	int64_t duration_ms;
	bool refused;       /* nothing was created: the cases above, read-only, audit */
	bool cancelled;     /* stopped by the hooks' cancel */
	char message[1024]; /* one line: the summary, or why it failed; redacted */
};

/* 0 ok; -1 failed, cancelled or refused. hooks (may be NULL): progress
 * (phase "restoring", bytes_in downloaded of total stored, bytes_out fed
 * to the loader), cancel, log. */
int restore_db(const struct config *cfg, const struct restore_db_options *o,
               const struct backup_hooks *hooks, struct restore_db_result *r);

/* The operator did not confirm the restore: its attempt and a "declined"
 * outcome in the audit log, nothing created. 0, or -1 with why in err. */
int restore_db_declined(const struct config *cfg, const struct restore_db_options *o, char *err,
                        size_t errlen);

/* Pure: whether name may be given to --into; 0, or -1 with why. */
int restore_db_name_check(const char *name, char *err, size_t errlen);

/* Pure: KEY as given made the dump's key (".json" dropped); 0, or -1. */
int restore_db_key(const char *given, char *key, size_t size, char *err, size_t errlen);

#endif
