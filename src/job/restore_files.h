/* restore_files.h - a files backup written back into a directory: the
 * `opsdeck restore files KEY --into DIR` verb (DESIGN.md "Backups").
 *
 * KEY is the backup's directory as `backup list` prints it
 * ("2026-...Z_1a2b3c4d"; a trailing '/' or the manifest's name
 * KEY.files.json is accepted too). The manifest is read first and the
 * restore is refused, with nothing written, when it is missing (an
 * incomplete backup), is not a files backup's, names another directory,
 * recorded failed files, has a malformed file entry, lacks a file's checksum, or names a path that
 * is absolute or holds a "." or ".." segment or an object outside KEY/. Before writing, every
 * target path is looked at: a symbolic link or a file on the way refuses the restore, and so do
 * existing files unless overwrite (all of them are named; nothing is written).
 *
 * Each object then streams from the target through SHA-256 (checked
 * against the manifest) and gunzip into a temporary file beside its path
 * (job/tree_write.h: walked with O_NOFOLLOW, never outside DIR, 0600 files
 * in 0700 directories), which is fsynced and renamed into place only when
 * every check passed: a tampered object leaves nothing under its name. A
 * file that fails does not stop the others; the result names each one.
 *
 * As a destructive verb it follows the action framework's contract
 * (job/actions.h): a dry run lists exactly what would be written and
 * replaced and touches nothing; read-only mode refuses a run; the audit log
 * gets the attempt (no record, no restore) and the outcome, action
 * "restore-files". The caller asks for confirmation.
 */
#ifndef OPSDECK_JOB_RESTORE_FILES_H
#define OPSDECK_JOB_RESTORE_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "job/backup.h"

struct restore_files_options {
	const char *target; /* a URL, or NULL for [backup] target */
	const char *key;
	const char *into; /* the directory; created (0700, with parents) when missing */
	bool overwrite;   /* replace existing regular files */
	bool dry_run;
	/* May be NULL: each line of the dry run's plan ("would write PATH
	 * (N bytes)"), as it is made; may hold any byte: sanitise to show. */
	void (*on_line)(void *ctx, const char *line);
	void *ctx;
};

struct restore_files_result {
	size_t files;    /* written (dry run: that would be) */
	size_t replaced; /* of them, existing files replaced */
	uint64_t bytes;  /* decompressed bytes written */
	size_t failures;
	char **failed; /* "path: reason", failures of them */
	bool refused;  /* nothing was written: the cases above, read-only, audit */
	/* refused before it began: read-only mode or an audit log that cannot
	 * take the attempt record (opsdeck(1) EXIT STATUS 2) */
	bool not_begun;
	bool cancelled; /* stopped by the hooks' cancel */
	int64_t duration_ms;
	char message[1024]; /* one line: the summary, or why it failed; redacted */
};

/* 0 ok; -1 failed, cancelled or refused (r->refused: nothing written).
 * hooks (may be NULL): progress (phase "restoring", files_done of
 * files_total, bytes_in downloaded, bytes_out written), cancel, log. */
int restore_files(const struct config *cfg, const struct restore_files_options *o,
                  const struct backup_hooks *hooks, struct restore_files_result *r);
void restore_files_result_free(struct restore_files_result *r);

/* The operator did not confirm the restore: its attempt and a "declined"
 * outcome in the audit log, nothing written. 0, or -1 with why in err. */
int restore_files_declined(const struct config *cfg, const struct restore_files_options *o,
                           char *err, size_t errlen);

/* Pure, for the tests: the KEY as given made the backup's directory
 * (a trailing '/' and ".files.json" dropped); 0, or -1 with why. */
int restore_files_key(const char *given, char *key, size_t size, char *err, size_t errlen);

/* Pure, for the tests: whether the parsed manifest m may be restored as
 * the backup key (see above). 0, or -1 with why, naming the path. */
struct manifest;
int restore_files_check_manifest(const struct manifest *m, const char *key, char *err,
                                 size_t errlen);

#endif
