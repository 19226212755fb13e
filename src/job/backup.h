/* backup.h - database and file backups, listing and verification: the
 * orchestration of pgdump -> gzip_parallel -> sink (DESIGN.md "Backups").
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

struct backup_progress {
	const char *phase;   /* "starting", "dumping", "finishing", "files", "verifying" */
	uint64_t bytes_in;   /* uncompressed so far */
	uint64_t bytes_out;  /* compressed so far */
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
	bool refused;       /* failed before anything ran (configuration, audit log) */
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

struct backup_entry {
	char *key;           /* the object (db) or the directory (files) */
	char kind[8];        /* "db" or "files" */
	uint64_t size;       /* stored bytes (files: all objects under the directory) */
	int64_t modified_ms; /* wall clock */
	bool complete;       /* its manifest exists and what is stored matches it */
	/* Why a backup with a manifest is not complete after all: the object
	 * is not the size the manifest recorded ("104857600 bytes stored, the
	 * manifest says 318767104": truncated), a file of a files backup is
	 * missing or of another size, the manifest cannot be read. "" else.
	 * May hold names from outside: sanitise before showing it. */
	char problem[256];
};

/* The backups at the target, newest first, each one with a manifest
 * checked against it (one small GET each). */
int backup_list(const struct config *cfg, const char *target, struct backup_entry **entries,
                size_t *count, char *err, size_t errlen);
void backup_entries_free(struct backup_entry *entries, size_t count);

/* Writes begun at the target and neither finished nor aborted, oldest first
 * (repo/sink.h sink_ops.unfinished: S3 multipart uploads with their upload
 * id, file:// NAME.partial files): what a kill or a crash of opsdeck or S3
 * leaves behind. Keys may hold any byte but NUL: sanitise before showing.
 * Free with sink_entries_free. 0, or -1 with why. */
struct sink_entry;
int backup_list_unfinished(const struct config *cfg, const char *target,
                           struct sink_entry **entries, size_t *count, char *err, size_t errlen);

/* Downloads key (a db object, a files directory, or either's manifest),
 * checks the SHA-256 and sizes against the manifest and that every gzip
 * stream decompresses. 0 ok (message says what was checked), -1 with why. */
int backup_verify(const struct config *cfg, const char *target, const char *key,
                  const struct backup_hooks *hooks, char *message, size_t msglen);

/* Fills out (model/snapshot.h) from a quick listing of [backup] target;
 * leaves it "not listed" when no target is configured. For one-shot
 * commands and the dashboard's occasional look, not every poll. cancel
 * (may be NULL), once set, stops the listing at once. */
struct backup_status;
void backup_probe(const struct config *cfg, const atomic_int *cancel, struct backup_status *out);

/* Pure naming helpers. "2026-11-27T10-25-02-123Z" (ISO-8601, ':' and '.'
 * replaced by '-', as the seed names it). */
void backup_timestamp(char *dst, size_t size, int64_t wall_ms);
/* "shop_2026-...Z.sql.gz" (custom: .dump.gz); characters of the database
 * name other than [A-Za-z0-9._-] become '_'. */
void backup_db_name(char *dst, size_t size, const char *database, const char *timestamp,
                    bool custom);

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
                     void (*new_id)(char *id), char *id, char *name, size_t size, char *err,
                     size_t errlen);

#endif
