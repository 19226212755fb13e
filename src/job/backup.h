/* backup.h - database and file backups, listing and verification: the
 * orchestration of pgdump -> gzip_parallel -> the repository (repo/: sink,
 * names, manifests, catalog), one file per verb (backup_db.c,
 * backup_files.c, backup_list.c, backup_verify.c; DESIGN.md "Backups").
 *
 * backup_db: pg_dump streams through parallel gzip into the target's object
 * PREFIX/DB_TIMESTAMP.sql.gz (custom format: .dump.gz); success only when
 * pg_dump exited 0, the gzip stream was finished and the sink confirmed the
 * whole object; then the manifest (repo/manifest.h) goes next to it. Any
 * failure or cancellation aborts the upload (or removes the partial file)
 * and says why; nothing that looks complete is left behind.
 *
 * backup_files: every matching file under the source, gzipped to
 * PREFIX/TIMESTAMP/RELPATH.gz by a small pool of threads, each file retried;
 * a failure does not stop the others but fails the backup (and then no
 * manifest is written: the run is listed as incomplete); the manifest
 * PREFIX/TIMESTAMP.files.json lists what went up.
 *
 * Each backup writes an audit record before it starts (refusing to run when
 * it cannot) and one with its outcome. Hooks (may be NULL) let the caller
 * show progress and ask for cancellation; they are called from the thread
 * that called backup_db/backup_files.
 */
#ifndef OPSDECK_JOB_BACKUP_H
#define OPSDECK_JOB_BACKUP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "repo/backup_name.h" /* backup_timestamp, backup_name_pick */
#include "repo/catalog.h"     /* struct backup_entry */
#include "repo/freshness.h"   /* backup_probe */

struct backup_progress {
	const char *phase;   /* "starting", "dumping", "finishing", "files", "verifying" */
	uint64_t bytes_in;   /* uncompressed so far; "verifying": downloaded so far */
	uint64_t bytes_out;  /* compressed so far; "verifying": decompressed so far */
	uint64_t total;      /* estimate of bytes_in at the end; 0 when unknown */
	uint64_t files_done; /* files only */
	uint64_t files_total;
	int64_t elapsed_ms;
};

struct backup_hooks {
	void (*progress)(void *ctx, const struct backup_progress *p);
	bool (*cancelled)(void *ctx);
	void *ctx;
	/* May be NULL: a flag set (from a signal handler, another thread) to
	 * cancel; transfers in flight stop at once (sink_set_cancel). */
	const atomic_int *cancel;
	/* May be NULL: a flag set after cancel (a second signal) to give up the
	 * cleanup too: an S3 abort still in flight ends at once. The cleanup
	 * is bounded anyway (10 s after a cancel); an upload it could not
	 * remove is named in the result and the audit record. */
	const atomic_int *abandon;
	/* May be NULL: retries and other notes, one line each, from any
	 * thread (so it must be thread-safe). */
	void (*log)(void *ctx, const char *line);
};

struct backup_result {
	char key[1024]; /* object (db) or directory (files), relative to the target */
	char manifest_key[1100];
	uint64_t bytes_in;
	uint64_t bytes_out;
	int64_t duration_ms;
	char sha256[65];
	size_t files;    /* files backed up */
	size_t failures; /* files that failed */
	size_t skipped_links;
	char **failed; /* "path: reason", failures of them */
	bool cancelled;
	bool refused; /* failed before anything ran (configuration, audit log) */
	/* the key of a write the cleanup could not remove (an S3 upload, a
	 * .partial; repo/sink.h sink_leftover), "" when none; the message says
	 * what it is, and the audit outcome records it as left_behind */
	char left_behind[512];
	char message[1024]; /* one line: the summary, or why it failed */
};

void backup_result_free(struct backup_result *r);

/* target: a URL, or NULL for [backup] target. 0 ok, -1 failed or cancelled
 * (r->refused when nothing ran: no database or source configured, a bad
 * database URL or target, or an audit log that cannot take the attempt
 * record). A backup whose outcome cannot be
 * written to the audit log is a failure, though the object is stored. */
int backup_db(const struct config *cfg, const char *target, const struct backup_hooks *hooks,
              struct backup_result *r);
int backup_files(const struct config *cfg, const char *target, const char *source,
                 char *const *patterns, size_t pattern_count, const struct backup_hooks *hooks,
                 struct backup_result *r);

/* The backups at the target (repo/catalog.h), newest first, each one with
 * a manifest checked against it (one small GET each); free with
 * backup_entries_free. */
int backup_list(const struct config *cfg, const char *target, struct backup_entry **entries,
                size_t *count, char *err, size_t errlen);

/* Writes begun at the target and neither finished nor aborted, oldest first
 * (repo/sink.h sink_ops.unfinished: S3 multipart uploads with their upload
 * id, file:// NAME.partial files): what a kill or a crash of opsdeck or S3
 * leaves behind. Keys may hold any byte but NUL: sanitise before showing.
 * Free with sink_entries_free. 0, or -1 with why. */
struct sink_entry;
int backup_list_unfinished(const struct config *cfg, const char *target,
                           struct sink_entry **entries, size_t *count, char *err, size_t errlen);

/* backup_probe (repo/freshness.h) with the keys the audit log's backup
 * outcomes recorded as left behind at [backup] target, so that an upload
 * a cancelled or failed backup could not remove is named at once. For the
 * backup check and the dashboard's periodic listing. */
#define BACKUP_LEFT_BEHIND_MAX 16
void backup_status_probe(const struct config *cfg, const atomic_int *cancel,
                         struct backup_status *out);

/* Downloads key (a db object, a files directory, or either's manifest),
 * checks the SHA-256 and sizes against the manifest and that every gzip
 * stream decompresses. 0 ok (message says what was checked), -1 with why. */
int backup_verify(const struct config *cfg, const char *target, const char *key,
                  const struct backup_hooks *hooks, char *message, size_t msglen);

#endif
