/* backup.c - database and file backups, list and verify (see backup.h). */
#include "job/backup.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "config/pgurl.h"
#include "model/redact.h"
#include "job/audit.h"
#include "job/files_walk.h"
#include "job/gzip_parallel.h"
#include "job/manifest.h"
#include "job/pgdump.h"
#include "job/sink.h"
#include "model/snapshot.h"
#include "util/clock.h"
#include "util/xalloc.h"
#include "util/sanitize.h"

#define READ_CHUNK        (256 * 1024)
#define PROGRESS_EVERY_MS 250
#define FILES_POOL        4
#define FILE_ATTEMPTS     3
#define NAME_ATTEMPTS     5 /* ids drawn before giving up on a free name */
#define RUN_ID_DIGITS     8 /* of the audit id, in a backup's name */

/* ------------------------------------------------------------ helpers */

/* snprintf for messages that may be cut short (long keys, long errors):
 * truncation is fine for a one-line message. */
static void message_printf(char *dst, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void message_printf(char *dst, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(dst, size, fmt, ap);
	va_end(ap);
}

/* The outcome could not be recorded: say so in the result the operator
 * sees (the CLI prints it; under the dashboard, stderr is the screen). */
static void note_audit_failure(struct backup_result *r, const char *why)
{
	size_t len = strlen(r->message);
	snprintf(r->message + len, sizeof(r->message) - len, "; the audit log was not written: %s",
	         why);
}

/* Adds to err what a failed cleanup left at the target (an upload that
 * could not be aborted), so that the result and the audit record name it. */
static void note_leftover(struct sink *sink, char *err, size_t errlen)
{
	char left[600];
	if (!sink || !sink_leftover(sink, left, sizeof(left)))
		return;
	size_t len = strlen(err);
	message_printf(err + len, errlen - len,
	               "; left behind: %s; abort it (aws s3api abort-multipart-upload) or let "
	               "an S3 lifecycle rule remove it",
	               left);
}

/* The cancel flags of the hooks, on the sink (before any writer opens). */
static void hooks_to_sink(const struct backup_hooks *h, struct sink *sink)
{
	if (h && h->cancel)
		sink_set_cancel(sink, h->cancel);
	if (h && h->abandon)
		sink_set_abandon(sink, h->abandon);
	if (h && h->log)
		sink_set_log(sink, h->log, h->ctx);
}

static bool hooks_cancelled(const struct backup_hooks *h)
{
	if (h && h->cancel && atomic_load(h->cancel))
		return true;
	return h && h->cancelled && h->cancelled(h->ctx);
}

static void hooks_progress(const struct backup_hooks *h, const struct backup_progress *p)
{
	if (h && h->progress)
		h->progress(h->ctx, p);
}

void backup_timestamp(char *dst, size_t size, int64_t wall_ms)
{
	clock_format_iso8601(dst, size, wall_ms);
	for (char *p = dst; *p; p++)
		if (*p == ':' || *p == '.')
			*p = '-';
}

void backup_db_name(char *dst, size_t size, const char *database, const char *timestamp,
                    bool custom)
{
	char db[128];
	message_printf(db, sizeof(db), "%s", database && *database ? database : "postgres");
	for (char *p = db; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			*p = '_';
	}
	message_printf(dst, size, "%s_%s%s", db, timestamp, custom ? ".dump.gz" : ".sql.gz");
}

int backup_name_pick(struct sink *sink, const char *database, const char *timestamp, bool custom,
                     void (*new_id)(char *id), char *id, char *name, size_t size, char *err,
                     size_t errlen)
{
	for (int attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
		char stamp[128];
		new_id(id);
		message_printf(stamp, sizeof(stamp), "%s_%.*s", timestamp, RUN_ID_DIGITS, id);
		if (database)
			backup_db_name(name, size, database, stamp, custom);
		else
			message_printf(name, size, "%s", stamp);
		bool taken = false;
		if (sink->ops->taken(sink, name, &taken, err, errlen) != 0)
			return -1;
		if (!taken)
			return 0;
	}
	message_printf(err, errlen, "no free name for the backup after %d tries (last: %s)",
	               NAME_ATTEMPTS, name);
	return -1;
}

/* Makes the target ready for writing. What that took (a directory created)
 * goes to the log hook once, else stays in note for the result's message. */
static int target_prepare(struct sink *sink, const struct backup_hooks *hooks, char *note,
                          size_t notelen, char *err, size_t errlen)
{
	if (sink_prepare(sink, note, notelen, err, errlen) != 0)
		return -1;
	if (note[0] && hooks && hooks->log) {
		hooks->log(hooks->ctx, note);
		note[0] = '\0';
	}
	return 0;
}

/* Adds the note target_prepare kept to the result's message. */
static void message_add_note(struct backup_result *r, const char *note)
{
	size_t len = strlen(r->message);
	if (note[0])
		snprintf(r->message + len, sizeof(r->message) - len, " (%s)", note);
}

void backup_result_free(struct backup_result *r)
{
	for (size_t i = 0; i < r->failures && r->failed; i++)
		free(r->failed[i]);
	free(r->failed);
	r->failed = NULL;
}

/* One audit record; attempt when result is NULL. */
static int audit(const struct config *cfg, const char *id, const char *action, const char *target,
                 const char *result, const char *detail, int64_t duration_ms, char *err,
                 size_t errlen)
{
	struct audit_record rec = {
	    .id = id,
	    .phase = result ? "outcome" : "attempt",
	    .action = action,
	    .target = target,
	    .arguments = NULL,
	    .dry_run = false,
	    .result = result,
	    .detail = detail,
	    .duration_ms = result ? duration_ms : -1,
	};
	return audit_write(cfg->recovery.audit_log, &rec, err, errlen);
}

static const char *target_of(const struct config *cfg, const char *target)
{
	return target && *target ? target : cfg->backup.target;
}

/* ------------------------------------------------------------ backup db */

struct db_run {
	struct sink *sink;
	struct sink_writer *writer;
	struct sha256 *hash;
	uint64_t bytes_out;
};

static int db_out(void *ctx, const void *data, size_t len, char *err, size_t errlen)
{
	struct db_run *run = ctx;
	sha256_update(run->hash, data, len);
	run->bytes_out += len;
	return run->sink->ops->write(run->writer, data, len, err, errlen);
}

static int db_run_pipeline(const struct config *cfg, const struct pgurl *url, struct db_run *run,
                           const struct backup_hooks *hooks, struct backup_progress *prog,
                           int64_t t0, char *err, size_t errlen, bool *cancelled)
{
	bool custom = cfg->backup.format && strcmp(cfg->backup.format, "custom") == 0;
	int rc = -1;
	unsigned char *buf = malloc(READ_CHUNK);
	struct gzip_parallel *gz =
	    gzip_parallel_new(cfg->backup.compression_level, 0, db_out, run, err, errlen);
	struct pgdump *dump = NULL;
	if (!gz)
		goto done;
	if (!buf) {
		message_printf(err, errlen, "out of memory");
		goto done;
	}
	dump = pgdump_start(url, custom, err, errlen);
	if (!dump)
		goto done;
	int64_t last = 0;
	prog->phase = "dumping";
	for (;;) {
		if (hooks_cancelled(hooks)) {
			*cancelled = true;
			message_printf(err, errlen, "cancelled");
			goto done;
		}
		ssize_t n = pgdump_read(dump, buf, READ_CHUNK, 200, err, errlen);
		if (n == PGDUMP_AGAIN)
			continue;
		if (n < 0)
			goto done;
		if (n == 0)
			break;
		if (gzip_parallel_write(gz, buf, (size_t)n, err, errlen) != 0)
			goto done;
		int64_t now = clock_monotonic_ms();
		if (now - last >= PROGRESS_EVERY_MS) {
			last = now;
			prog->bytes_in = gzip_parallel_bytes_in(gz);
			prog->bytes_out = run->bytes_out;
			prog->elapsed_ms = now - t0;
			hooks_progress(hooks, prog);
		}
	}
	/* pg_dump must have exited 0 before the object may be confirmed */
	if (pgdump_wait(dump, err, errlen) != 0)
		goto done;
	prog->phase = "finishing";
	if (gzip_parallel_finish(gz, err, errlen) != 0)
		goto done;
	prog->bytes_in = gzip_parallel_bytes_in(gz);
	prog->bytes_out = run->bytes_out;
	prog->elapsed_ms = clock_monotonic_ms() - t0;
	hooks_progress(hooks, prog);
	rc = 0;
done:
	pgdump_free(dump);
	if (gz)
		prog->bytes_in = gzip_parallel_bytes_in(gz);
	gzip_parallel_free(gz);
	free(buf);
	return rc;
}

int backup_db(const struct config *cfg, const char *target, const struct backup_hooks *hooks,
              struct backup_result *r)
{
	memset(r, 0, sizeof(*r));
	char err[1024] = "";
	char audit_err[512];
	char id[AUDIT_ID_SIZE];
	char note[512] = "";
	int64_t t0 = clock_monotonic_ms();
	int64_t wall0 = clock_wall_ms();
	const char *url_text = target_of(cfg, target);
	struct pgurl url;
	bool have_url = false, audited = false, cancelled = false;
	struct sink *sink = NULL;
	struct db_run run = {0};
	struct manifest m;
	memset(&m, 0, sizeof(m));
	char *manifest_text = NULL;
	int rc = -1;
	bool custom = cfg->backup.format && strcmp(cfg->backup.format, "custom") == 0;
	struct backup_progress prog = {.phase = "starting"};

	if (!cfg->database.url || !*cfg->database.url) {
		message_printf(err, sizeof(err), "no database configured: %s",
		               cfg->database.url_unset_reason && *cfg->database.url_unset_reason
		                   ? cfg->database.url_unset_reason
		                   : "set [database] url");
		r->refused = true;
		goto done;
	}
	/* a bad URL or target is a configuration error: nothing ran */
	if (pgurl_parse(cfg->database.url, cfg->app.timeout_ms, &url, err, sizeof(err)) != 0) {
		r->refused = true;
		goto done;
	}
	have_url = true;
	sink = sink_open(url_text, cfg, err, sizeof(err));
	if (!sink) {
		r->refused = true;
		goto done;
	}
	hooks_to_sink(hooks, sink);
	char ts[64], name[512];
	backup_timestamp(ts, sizeof(ts), wall0);
	if (backup_name_pick(sink, url.dbname, ts, custom, audit_new_id, id, name, sizeof(name),
	                     err, sizeof(err)) != 0)
		goto done;
	if (audit(cfg, id, "backup-db", url_text, NULL, NULL, -1, audit_err, sizeof(audit_err)) !=
	    0) {
		message_printf(err, sizeof(err),
		               "refusing to back up: cannot write the audit log: %s", audit_err);
		r->refused = true;
		goto done;
	}
	audited = true;
	if (target_prepare(sink, hooks, note, sizeof(note), err, sizeof(err)) != 0)
		goto done;
	message_printf(r->key, sizeof(r->key), "%s", name);
	message_printf(r->manifest_key, sizeof(r->manifest_key), "%s.json", name);

	/* versions and the size estimate; a failure here is not fatal: pg_dump
	 * will say what is wrong with the connection */
	char server_err[512];
	if (pgdump_server_info(&url, cfg->app.timeout_ms, m.server_version,
	                       sizeof(m.server_version), &prog.total, server_err,
	                       sizeof(server_err)) != 0)
		prog.total = 0;
	pgdump_program_version(m.pg_dump_version, sizeof(m.pg_dump_version));
	hooks_progress(hooks, &prog);

	run.sink = sink;
	run.hash = sha256_new();
	run.writer = sink->ops->open(sink, name, err, sizeof(err));
	if (!run.writer)
		goto done;
	if (db_run_pipeline(cfg, &url, &run, hooks, &prog, t0, err, sizeof(err), &cancelled) != 0) {
		sink->ops->abort(run.writer);
		run.writer = NULL;
		goto done;
	}
	/* finish frees the writer whatever happens; on failure nothing is left */
	struct sink_writer *w = run.writer;
	run.writer = NULL;
	if (sink->ops->finish(w, err, sizeof(err)) != 0)
		goto done;

	message_printf(m.kind, sizeof(m.kind), "db");
	message_printf(m.key, sizeof(m.key), "%s", name);
	message_printf(m.database, sizeof(m.database), "%s", url.dbname);
	message_printf(m.format, sizeof(m.format), "%s", custom ? "custom" : "plain");
	clock_format_iso8601(m.created, sizeof(m.created), wall0);
	m.duration_ms = clock_monotonic_ms() - t0;
	m.bytes_in = prog.bytes_in;
	m.bytes_out = run.bytes_out;
	sha256_finish_hex(run.hash, m.sha256);
	run.hash = NULL;
	m.compression_level = cfg->backup.compression_level;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	m.compression_threads = cpus > GZIP_PARALLEL_MAX_THREADS ? GZIP_PARALLEL_MAX_THREADS
	                                                         : (cpus > 0 ? (int)cpus : 1);
	message_printf(m.opsdeck_version, sizeof(m.opsdeck_version), "%s", PACKAGE_VERSION);
	manifest_text = manifest_to_json(&m);
	if (sink_put(sink, r->manifest_key, manifest_text, strlen(manifest_text), err,
	             sizeof(err)) != 0) {
		/* an object without its manifest looks like a backup but is not one */
		char rm_err[256];
		char why[1024];
		message_printf(why, sizeof(why), "writing the manifest failed: %s", err);
		if (sink->ops->remove(sink, name, rm_err, sizeof(rm_err)) != 0)
			message_printf(err, sizeof(err), "%s (and removing %s failed: %s)", why,
			               name, rm_err);
		else
			message_printf(err, sizeof(err), "%s", why);
		goto done;
	}
	r->bytes_in = m.bytes_in;
	r->bytes_out = m.bytes_out;
	message_printf(r->sha256, sizeof(r->sha256), "%s", m.sha256);
	rc = 0;
done:
	r->duration_ms = clock_monotonic_ms() - t0;
	r->cancelled = cancelled;
	if (rc != 0)
		note_leftover(sink, err, sizeof(err));
	if (rc == 0) {
		double secs = r->duration_ms > 0 ? (double)r->duration_ms / 1000.0 : 0.001;
		message_printf(
		    r->message, sizeof(r->message),
		    "backed up %s to %s/%s: %.1f MB dump, %.1f MB stored (%.0f%%), %.1f s, "
		    "%.1f MB/s",
		    url.dbname, sink->display, r->key, (double)r->bytes_in / 1e6,
		    (double)r->bytes_out / 1e6,
		    r->bytes_in ? 100.0 * (double)r->bytes_out / (double)r->bytes_in : 0.0, secs,
		    (double)r->bytes_in / 1e6 / secs);
	} else {
		message_printf(r->message, sizeof(r->message), "backup failed%s: %s",
		               cancelled ? " (cancelled)" : "", err);
		r->key[0] = '\0';
		r->manifest_key[0] = '\0';
	}
	message_add_note(r, note);
	redact_text(r->message, sizeof(r->message));
	if (audited && audit(cfg, id, "backup-db", url_text,
	                     rc == 0 ? "ok" : (cancelled ? "cancelled" : "failed"), r->message,
	                     r->duration_ms, audit_err, sizeof(audit_err)) != 0) {
		/* Stored, but nobody can account for it: not a success. */
		note_audit_failure(r, audit_err);
		rc = -1;
	}
	free(manifest_text);
	sha256_free(run.hash);
	if (run.writer)
		sink->ops->abort(run.writer);
	sink_free(sink);
	if (have_url)
		pgurl_free(&url);
	return rc;
}

/* ------------------------------------------------------------ backup files */

struct files_run {
	const struct config *cfg;
	struct sink *sink;
	const char *timestamp;
	const struct files_list *list;
	const struct backup_hooks *hooks;
	pthread_mutex_t lock;
	size_t next;
	size_t done;
	uint64_t bytes_in;
	uint64_t bytes_out;
	bool stop;
	struct manifest_file *results; /* per entry; key NULL when it failed */
	char **errors;                 /* per entry; NULL when it went up */
};

/* Gzips one file into the sink; 0, or -1 with retry set when another
 * attempt may help (target errors; not a vanished file). */
static int file_upload(struct files_run *fr, size_t index, struct manifest_file *out, bool *retry,
                       char *err, size_t errlen)
{
	const struct files_entry *e = &fr->list->entries[index];
	char *key = NULL;
	int fd = -1, rc = -1;
	struct sink_writer *w = NULL;
	struct sha256 *hash = NULL;
	unsigned char *in = malloc(READ_CHUNK), *zout = malloc(READ_CHUNK);
	z_stream z;
	memset(&z, 0, sizeof(z));
	bool z_ok = false;
	*retry = false;
	if (asprintf(&key, "%s/%s.gz", fr->timestamp, e->path) < 0 || !in || !zout) {
		message_printf(err, errlen, "out of memory");
		goto done;
	}
	fd = files_open(fr->list, index, err, errlen);
	if (fd < 0)
		goto done;
	if (deflateInit2(&z, fr->cfg->backup.compression_level, Z_DEFLATED, 15 + 16, 8,
	                 Z_DEFAULT_STRATEGY) != Z_OK) {
		message_printf(err, errlen, "gzip: cannot initialise");
		goto done;
	}
	z_ok = true;
	w = fr->sink->ops->open(fr->sink, key, err, errlen);
	if (!w) {
		*retry = true;
		goto done;
	}
	hash = sha256_new();
	uint64_t size = 0, stored = 0;
	for (bool eof = false; !eof;) {
		ssize_t n = read(fd, in, READ_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			message_printf(err, errlen, "cannot read: %s", strerror(errno));
			goto done;
		}
		eof = n == 0;
		size += (uint64_t)n;
		z.next_in = in;
		z.avail_in = (uInt)n;
		do {
			z.next_out = zout;
			z.avail_out = READ_CHUNK;
			int zr = deflate(&z, eof ? Z_FINISH : Z_NO_FLUSH);
			if (zr == Z_STREAM_ERROR) {
				message_printf(err, errlen, "gzip failed");
				goto done;
			}
			size_t have = READ_CHUNK - z.avail_out;
			if (have) {
				sha256_update(hash, zout, have);
				stored += have;
				if (fr->sink->ops->write(w, zout, have, err, errlen) != 0) {
					*retry = true;
					goto done;
				}
			}
		} while (z.avail_out == 0);
	}
	struct sink_writer *finishing = w;
	w = NULL;
	if (fr->sink->ops->finish(finishing, err, errlen) != 0) {
		*retry = true;
		goto done;
	}
	out->path = xstrdup(e->path);
	out->key = key;
	key = NULL;
	out->size = size;
	out->stored = stored;
	sha256_finish_hex(hash, out->sha256);
	hash = NULL;
	rc = 0;
done:
	if (w)
		fr->sink->ops->abort(w);
	sha256_free(hash);
	if (z_ok)
		deflateEnd(&z);
	if (fd >= 0)
		close(fd);
	free(in);
	free(zout);
	free(key);
	return rc;
}

/* Names what the walk skipped, one note each, so the operator knows what
 * the backup does not hold. */
static void log_skipped(const struct backup_hooks *hooks, const struct files_list *list)
{
	if (!hooks || !hooks->log)
		return;
	char line[1024];
	for (size_t i = 0; i < list->skipped_named; i++) {
		const struct files_skip *s = &list->skipped[i];
		message_printf(line, sizeof(line), "skipped %s: %s", s->path,
		               s->link ? "a symbolic link, not followed" : "not a regular file");
		hooks->log(hooks->ctx, line);
	}
	size_t unnamed = list->skipped_links + list->skipped_other - list->skipped_named;
	if (unnamed) {
		message_printf(line, sizeof(line),
		               "skipped %zu more (symbolic links or not regular files)", unnamed);
		hooks->log(hooks->ctx, line);
	}
}

static void *files_worker(void *arg)
{
	struct files_run *fr = arg;
	for (;;) {
		pthread_mutex_lock(&fr->lock);
		if (fr->stop || fr->next >= fr->list->count) {
			pthread_mutex_unlock(&fr->lock);
			return NULL;
		}
		size_t i = fr->next++;
		pthread_mutex_unlock(&fr->lock);
		char err[512] = "";
		int rc = -1;
		for (int attempt = 1; attempt <= FILE_ATTEMPTS; attempt++) {
			bool retry = false;
			rc = file_upload(fr, i, &fr->results[i], &retry, err, sizeof(err));
			if (rc == 0 || !retry || fr->stop)
				break;
			usleep((useconds_t)(200000 * attempt));
		}
		pthread_mutex_lock(&fr->lock);
		fr->done++;
		if (rc == 0) {
			fr->bytes_in += fr->results[i].size;
			fr->bytes_out += fr->results[i].stored;
		} else {
			redact_text(err, sizeof(err));
			if (asprintf(&fr->errors[i], "%s: %s", fr->list->entries[i].path, err) < 0)
				fr->errors[i] = NULL;
		}
		pthread_mutex_unlock(&fr->lock);
	}
}

int backup_files(const struct config *cfg, const char *target, const char *source,
                 char *const *patterns, size_t pattern_count, const struct backup_hooks *hooks,
                 struct backup_result *r)
{
	memset(r, 0, sizeof(*r));
	char err[1024] = "", audit_err[512], id[AUDIT_ID_SIZE], note[512] = "";
	int64_t t0 = clock_monotonic_ms(), wall0 = clock_wall_ms();
	const char *url_text = target_of(cfg, target);
	struct files_list list = {0};
	struct sink *sink = NULL;
	struct files_run fr;
	memset(&fr, 0, sizeof(fr));
	pthread_mutex_init(&fr.lock, NULL);
	pthread_t threads[FILES_POOL];
	int started = 0;
	bool audited = false, cancelled = false;
	char *manifest_text = NULL;
	int rc = -1;
	char stamp[64], ts[128] = "";
	backup_timestamp(stamp, sizeof(stamp), wall0);

	if (!source || !*source)
		source = cfg->backup.files_source;
	if (!patterns || pattern_count == 0) {
		patterns = cfg->backup.files_patterns;
		pattern_count = cfg->backup.files_pattern_count;
	}
	if (!source || !*source) {
		message_printf(err, sizeof(err),
		               "no source directory: set [backup] files_source or give "
		               "--source DIR");
		r->refused = true;
		goto done;
	}
	sink = sink_open(url_text, cfg, err, sizeof(err));
	if (!sink) {
		r->refused = true; /* a bad target: nothing ran */
		goto done;
	}
	hooks_to_sink(hooks, sink);
	if (files_walk(source, patterns, pattern_count, &list, err, sizeof(err)) != 0)
		goto done;
	log_skipped(hooks, &list);
	/* ts: the run's directory, "TIMESTAMP_ID" */
	if (backup_name_pick(sink, NULL, stamp, false, audit_new_id, id, ts, sizeof(ts), err,
	                     sizeof(err)) != 0)
		goto done;
	if (audit(cfg, id, "backup-files", url_text, NULL, source, -1, audit_err,
	          sizeof(audit_err)) != 0) {
		message_printf(err, sizeof(err),
		               "refusing to back up: cannot write the audit log: %s", audit_err);
		r->refused = true;
		goto done;
	}
	audited = true;
	if (target_prepare(sink, hooks, note, sizeof(note), err, sizeof(err)) != 0)
		goto done;
	message_printf(r->key, sizeof(r->key), "%s", ts);
	message_printf(r->manifest_key, sizeof(r->manifest_key), "%s.files.json", ts);
	r->skipped_links = list.skipped_links;

	fr.cfg = cfg;
	fr.sink = sink;
	fr.timestamp = ts;
	fr.list = &list;
	fr.hooks = hooks;
	fr.results = calloc(list.count ? list.count : 1, sizeof(*fr.results));
	fr.errors = calloc(list.count ? list.count : 1, sizeof(*fr.errors));
	if (!fr.results || !fr.errors) {
		message_printf(err, sizeof(err), "out of memory for %zu files", list.count);
		goto done;
	}
	int pool = list.count < FILES_POOL ? (int)list.count : FILES_POOL;
	for (int i = 0; i < pool; i++) {
		if (pthread_create(&threads[i], NULL, files_worker, &fr) != 0)
			break;
		started++;
	}
	if (pool > 0 && started == 0) {
		message_printf(err, sizeof(err), "cannot start upload threads");
		goto done;
	}
	struct backup_progress prog = {
	    .phase = "files", .total = list.total_bytes, .files_total = list.count};
	for (;;) {
		pthread_mutex_lock(&fr.lock);
		size_t done_count = fr.done;
		prog.bytes_in = fr.bytes_in;
		prog.bytes_out = fr.bytes_out;
		prog.files_done = fr.done;
		if (!fr.stop && hooks_cancelled(hooks)) {
			fr.stop = true;
			cancelled = true;
		}
		bool stop = fr.stop;
		pthread_mutex_unlock(&fr.lock);
		prog.elapsed_ms = clock_monotonic_ms() - t0;
		hooks_progress(hooks, &prog);
		if (done_count >= list.count || stop)
			break;
		usleep(100000);
	}
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	started = 0;

	/* the manifest lists what went up */
	struct manifest m;
	memset(&m, 0, sizeof(m));
	message_printf(m.kind, sizeof(m.kind), "files");
	message_printf(m.key, sizeof(m.key), "%s", ts);
	message_printf(m.format, sizeof(m.format), "gzip-each");
	clock_format_iso8601(m.created, sizeof(m.created), wall0);
	m.compression_level = cfg->backup.compression_level;
	m.compression_threads = 1;
	message_printf(m.opsdeck_version, sizeof(m.opsdeck_version), "%s", PACKAGE_VERSION);
	struct manifest_file *ok = calloc(list.count ? list.count : 1, sizeof(*ok));
	r->failed = calloc(list.count ? list.count : 1, sizeof(*r->failed));
	if (!ok || !r->failed) {
		message_printf(err, sizeof(err), "out of memory for %zu files", list.count);
		free(ok);
		goto done;
	}
	for (size_t i = 0; i < list.count; i++) {
		if (fr.results[i].key) {
			ok[m.file_count++] = fr.results[i];
		} else {
			r->failed[r->failures++] =
			    fr.errors[i]
			        ? fr.errors[i]
			        : xstrdup(cancelled ? "not backed up (cancelled)" : "failed");
			fr.errors[i] = NULL;
		}
	}
	m.files = ok;
	m.failures = r->failures;
	r->files = m.file_count;
	r->bytes_in = fr.bytes_in;
	r->bytes_out = fr.bytes_out;
	m.bytes_in = fr.bytes_in;
	m.bytes_out = fr.bytes_out;
	m.duration_ms = clock_monotonic_ms() - t0;
	/* a manifest only for a run where every file went up: a run with
	 * failures stays incomplete (list says so) and exits non-zero */
	if (!cancelled && r->failures == 0) {
		manifest_text = manifest_to_json(&m);
		if (sink_put(sink, r->manifest_key, manifest_text, strlen(manifest_text), err,
		             sizeof(err)) != 0) {
			char why[1024];
			message_printf(why, sizeof(why), "writing the manifest failed: %s", err);
			message_printf(err, sizeof(err), "%s", why);
			free(ok);
			goto done;
		}
	}
	free(ok);
	if (cancelled) {
		message_printf(err, sizeof(err), "cancelled after %zu of %zu files", r->files,
		               list.count);
		goto done;
	}
	if (r->failures) {
		message_printf(err, sizeof(err), "%zu of %zu files failed (first: %s)", r->failures,
		               list.count, r->failed[0]);
		goto done;
	}
	rc = 0;
done:
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	if (rc != 0)
		note_leftover(sink, err, sizeof(err));
	r->duration_ms = clock_monotonic_ms() - t0;
	r->cancelled = cancelled;
	double secs = r->duration_ms > 0 ? (double)r->duration_ms / 1000.0 : 0.001;
	if (rc == 0) {
		char links[64] = "", other[64] = "";
		if (list.skipped_links)
			message_printf(links, sizeof(links), ", %zu symbolic link%s not followed",
			               list.skipped_links, list.skipped_links == 1 ? "" : "s");
		if (list.skipped_other)
			message_printf(other, sizeof(other), ", %zu non-regular file%s skipped",
			               list.skipped_other, list.skipped_other == 1 ? "" : "s");
		message_printf(r->message, sizeof(r->message),
		               "backed up %zu files to %s/%s/: %.1f MB in, %.1f MB stored, %.1f s, "
		               "%.1f MB/s, 0 failures%s%s",
		               r->files, sink->display, r->key, (double)r->bytes_in / 1e6,
		               (double)r->bytes_out / 1e6, secs, (double)r->bytes_in / 1e6 / secs,
		               links, other);
	} else {
		message_printf(r->message, sizeof(r->message), "file backup failed: %s", err);
	}
	message_add_note(r, note);
	redact_text(r->message, sizeof(r->message));
	if (audited && audit(cfg, id, "backup-files", url_text,
	                     rc == 0 ? "ok" : (cancelled ? "cancelled" : "failed"), r->message,
	                     r->duration_ms, audit_err, sizeof(audit_err)) != 0) {
		/* Stored, but nobody can account for it: not a success. */
		note_audit_failure(r, audit_err);
		rc = -1;
	}
	if (fr.results && fr.errors) {
		for (size_t i = 0; i < list.count; i++) {
			free(fr.results[i].path);
			free(fr.results[i].key);
			free(fr.errors[i]);
		}
	}
	free(fr.results);
	free(fr.errors);
	pthread_mutex_destroy(&fr.lock);
	free(manifest_text);
	files_list_free(&list);
	sink_free(sink);
	return rc;
}

/* ------------------------------------------------------------ list */

/* A small object read whole (a manifest), by collect. */
struct text_buf {
	char *data;
	size_t len;
	const char *refused; /* why collect stopped, or NULL */
};

static int collect(void *ctx, const void *data, size_t len);

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int sink_entry_compare(const void *a, const void *b)
{
	return strcmp(((const struct sink_entry *)a)->key, ((const struct sink_entry *)b)->key);
}

/* The index of key in e[0..n), sorted by key (sink_entry_compare), or -1. */
static int entry_find(const struct sink_entry *e, size_t n, const char *key)
{
	struct sink_entry probe = {.key = (char *)key};
	const struct sink_entry *hit =
	    n ? bsearch(&probe, e, n, sizeof(*e), sink_entry_compare) : NULL;
	return hit ? (int)(hit - e) : -1;
}

static int backup_entry_compare(const void *a, const void *b)
{
	const struct backup_entry *x = a, *y = b;
	if (x->modified_ms != y->modified_ms)
		return x->modified_ms > y->modified_ms ? -1 : 1;
	return strcmp(y->key, x->key);
}

/* Whether the files a files manifest names are all listed (objs, sorted)
 * with the sizes it recorded; problem says which is not. */
static void files_check(const struct manifest *m, const struct sink_entry *objs, size_t n,
                        char *problem, size_t size)
{
	size_t bad = 0;
	for (size_t i = 0; i < m->file_count; i++) {
		const struct manifest_file *f = &m->files[i];
		int at = f->key ? entry_find(objs, n, f->key) : -1;
		if (at >= 0 && objs[at].size == f->stored)
			continue;
		if (bad++ > 0)
			continue;
		if (at < 0)
			message_printf(problem, size, "%s is missing", f->key ? f->key : "?");
		else
			message_printf(
			    problem, size, "%s: %llu bytes stored, the manifest says %llu", f->key,
			    (unsigned long long)objs[at].size, (unsigned long long)f->stored);
	}
	if (bad > 1) {
		char first[200];
		message_printf(first, sizeof(first), "%s", problem);
		message_printf(problem, size, "%zu of %zu files missing or cut short (first: %s)",
		               bad, m->file_count, first);
	}
}

/* Checks a backup whose manifest exists against it: a db object's listed
 * size must be the manifest's bytes_out (a truncated object is not a
 * backup); a files backup must have every file the manifest names, each of
 * the recorded size (objs: the listing, sorted by key; may be NULL for a db
 * backup). When not, complete becomes false and problem says why. Returns
 * -1 with why in err when the manifest cannot be read (the entry is then
 * left as it was), else 0. */
static int entry_check(struct sink *sink, struct backup_entry *e, const struct sink_entry *objs,
                       size_t n, char *err, size_t errlen)
{
	char mkey[1200];
	struct text_buf text = {0};
	struct manifest m;
	memset(&m, 0, sizeof(m));
	bool db = strcmp(e->kind, "db") == 0;
	message_printf(mkey, sizeof(mkey), "%s%s", e->key, db ? ".json" : ".files.json");
	if (sink->ops->get(sink, mkey, collect, &text, err, errlen) != 0) {
		free(text.data);
		return -1;
	}
	char why[256];
	if (manifest_parse(text.data ? text.data : "", text.len, &m, why, sizeof(why)) != 0)
		message_printf(e->problem, sizeof(e->problem), "its manifest is unreadable: %s",
		               why);
	else if (db && m.bytes_out != e->size)
		message_printf(e->problem, sizeof(e->problem),
		               "%llu bytes stored, the manifest says %llu",
		               (unsigned long long)e->size, (unsigned long long)m.bytes_out);
	else if (!db)
		files_check(&m, objs, n, e->problem, sizeof(e->problem));
	if (e->problem[0])
		e->complete = false;
	manifest_free_files(&m);
	free(text.data);
	return 0;
}

/* The backups in an open sink, newest first; with check, each one whose
 * manifest exists is checked against it (entry_check; a manifest that
 * cannot be read makes it incomplete, with why). */
static int list_sink(struct sink *sink, bool check, struct backup_entry **entries, size_t *count,
                     char *err, size_t errlen)
{
	*entries = NULL;
	*count = 0;
	struct sink_entry *objs = NULL;
	size_t n = 0;
	if (sink->ops->list(sink, &objs, &n, err, errlen) != 0)
		return -1;
	if (n)
		qsort(objs, n, sizeof(*objs), sink_entry_compare);
	struct backup_entry *out = xcalloc(n ? n : 1, sizeof(*out));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const char *key = objs[i].key;
		char *slash = strchr(key, '/');
		if (!slash && (ends_with(key, ".sql.gz") || ends_with(key, ".dump.gz"))) {
			char mkey[1200];
			message_printf(mkey, sizeof(mkey), "%s.json", key);
			out[k].key = xstrdup(key);
			message_printf(out[k].kind, sizeof(out[k].kind), "db");
			out[k].size = objs[i].size;
			out[k].modified_ms = objs[i].modified_ms;
			out[k].complete = entry_find(objs, n, mkey) >= 0;
			k++;
		} else if (slash) {
			/* a files backup: one entry per directory */
			size_t dlen = (size_t)(slash - key);
			struct backup_entry *found = NULL;
			for (size_t j = 0; j < k; j++)
				if (strcmp(out[j].kind, "files") == 0 &&
				    strlen(out[j].key) == dlen &&
				    strncmp(out[j].key, key, dlen) == 0)
					found = &out[j];
			if (!found) {
				found = &out[k++];
				found->key = xstrndup(key, dlen);
				message_printf(found->kind, sizeof(found->kind), "files");
				char mkey[1200];
				message_printf(mkey, sizeof(mkey), "%s.files.json", found->key);
				int mi = entry_find(objs, n, mkey);
				found->complete = mi >= 0;
				found->modified_ms = mi >= 0 ? objs[mi].modified_ms : 0;
			}
			found->size += objs[i].size;
			if (!found->complete && objs[i].modified_ms > found->modified_ms)
				found->modified_ms = objs[i].modified_ms;
		}
	}
	for (size_t j = 0; check && j < k; j++) {
		char why[512];
		if (out[j].complete && entry_check(sink, &out[j], objs, n, why, sizeof(why)) != 0) {
			out[j].complete = false;
			message_printf(out[j].problem, sizeof(out[j].problem),
			               "its manifest cannot be read: %s", why);
		}
	}
	sink_entries_free(objs, n);
	if (k)
		qsort(out, k, sizeof(*out), backup_entry_compare);
	*entries = out;
	*count = k;
	return 0;
}

int backup_list(const struct config *cfg, const char *target, struct backup_entry **entries,
                size_t *count, char *err, size_t errlen)
{
	*entries = NULL;
	*count = 0;
	struct sink *sink = sink_open(target_of(cfg, target), cfg, err, errlen);
	if (!sink)
		return -1;
	int rc = list_sink(sink, true, entries, count, err, errlen);
	sink_free(sink);
	return rc;
}

static int unfinished_compare(const void *a, const void *b)
{
	const struct sink_entry *x = a, *y = b;
	if (x->modified_ms != y->modified_ms)
		return x->modified_ms < y->modified_ms ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* The unfinished writes of an open sink, oldest first (none when the
 * driver cannot tell). */
static int unfinished_sink(struct sink *sink, struct sink_entry **entries, size_t *count, char *err,
                           size_t errlen)
{
	*entries = NULL;
	*count = 0;
	if (!sink->ops->unfinished)
		return 0;
	if (sink->ops->unfinished(sink, entries, count, err, errlen) != 0)
		return -1;
	if (*count)
		qsort(*entries, *count, sizeof(**entries), unfinished_compare);
	return 0;
}

int backup_list_unfinished(const struct config *cfg, const char *target,
                           struct sink_entry **entries, size_t *count, char *err, size_t errlen)
{
	*entries = NULL;
	*count = 0;
	struct sink *sink = sink_open(target_of(cfg, target), cfg, err, errlen);
	if (!sink)
		return -1;
	int rc = unfinished_sink(sink, entries, count, err, errlen);
	sink_free(sink);
	return rc;
}

/* The newest complete db backup that matches its manifest, into out. */
static int probe_newest(struct sink *sink, struct backup_entry *e, size_t n,
                        struct backup_status *out, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		if (!e[i].complete || strcmp(e[i].kind, "db") != 0)
			continue;
		if (entry_check(sink, &e[i], NULL, 0, err, errlen) != 0)
			return -1;
		if (!e[i].complete)
			continue;
		out->newest_ms = e[i].modified_ms > 0 ? e[i].modified_ms : 1;
		message_printf(out->newest_key, sizeof(out->newest_key), "%s", e[i].key);
		break;
	}
	return 0;
}

/* The unfinished writes at the target, into out: how many and the oldest.
 * A listing refused (S3 permissions lacking s3:ListBucketMultipartUploads)
 * reports none: it must not hide the backups' freshness. */
static void probe_unfinished(struct sink *sink, struct backup_status *out)
{
	char err[256];
	struct sink_entry *u = NULL;
	size_t n = 0;
	if (unfinished_sink(sink, &u, &n, err, sizeof(err)) != 0)
		return;
	if (n == 0) {
		sink_entries_free(u, n); /* the empty listing's array */
		return;
	}
	out->unfinished = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
	out->unfinished_oldest_ms = u[0].modified_ms > 0 ? u[0].modified_ms : 1;
	sanitize_text(out->unfinished_oldest_key, sizeof(out->unfinished_oldest_key), u[0].key);
	sink_entries_free(u, n);
}

void backup_probe(const struct config *cfg, const atomic_int *cancel, struct backup_status *out)
{
	memset(out, 0, sizeof(*out));
	if (!cfg->backup.target || !*cfg->backup.target)
		return;
	out->listed = true;
	url_redact(out->target, sizeof(out->target), cfg->backup.target);
	char err[512] = "";
	struct backup_entry *e = NULL;
	size_t n = 0;
	struct sink *sink = sink_open_quick(cfg->backup.target, cfg, err, sizeof(err));
	if (sink && cancel)
		sink_set_cancel(sink, cancel);
	if (!sink || list_sink(sink, false, &e, &n, err, sizeof(err)) != 0 ||
	    probe_newest(sink, e, n, out, err, sizeof(err)) != 0) {
		redact_text(err, sizeof(err));
		char clean[sizeof(err)];
		sanitize_text(clean, sizeof(clean), err[0] ? err : "listing failed");
		message_printf(out->error, sizeof(out->error), "%s", clean);
		out->newest_ms = 0;
		out->newest_key[0] = '\0';
		backup_entries_free(e, n);
		sink_free(sink);
		return;
	}
	char clean[sizeof(out->newest_key)];
	sanitize_text(clean, sizeof(clean), out->newest_key);
	message_printf(out->newest_key, sizeof(out->newest_key), "%s", clean);
	probe_unfinished(sink, out);
	backup_entries_free(e, n);
	sink_free(sink);
}

void backup_entries_free(struct backup_entry *entries, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(entries[i].key);
	free(entries);
}

/* ------------------------------------------------------------ verify */

struct verify_run {
	struct sha256 *hash;
	z_stream z;
	bool z_ok;
	bool z_end;
	bool z_error;
	uint64_t stored;
	uint64_t plain;
	unsigned char *out;
	const struct backup_hooks *hooks;
	int64_t t0;
	int64_t last;
	uint64_t total;
};

static int verify_data(void *ctx, const void *data, size_t len)
{
	struct verify_run *v = ctx;
	sha256_update(v->hash, data, len);
	v->stored += len;
	v->z.next_in = (unsigned char *)data;
	v->z.avail_in = (uInt)len;
	while (v->z.avail_in > 0 && !v->z_error) {
		if (v->z_end) {
			/* data after the end of a gzip member: another member */
			if (inflateReset(&v->z) != Z_OK) {
				v->z_error = true;
				break;
			}
			v->z_end = false;
		}
		v->z.next_out = v->out;
		v->z.avail_out = READ_CHUNK;
		int zr = inflate(&v->z, Z_NO_FLUSH);
		v->plain += READ_CHUNK - v->z.avail_out;
		if (zr == Z_STREAM_END)
			v->z_end = true;
		else if (zr != Z_OK && zr != Z_BUF_ERROR)
			v->z_error = true;
		else if (zr == Z_BUF_ERROR && v->z.avail_out != 0)
			break;
	}
	int64_t now = clock_monotonic_ms();
	if (v->hooks && now - v->last >= PROGRESS_EVERY_MS) {
		v->last = now;
		struct backup_progress p = {.phase = "verifying",
		                            .bytes_in = v->plain,
		                            .bytes_out = v->stored,
		                            .total = v->total,
		                            .elapsed_ms = now - v->t0};
		hooks_progress(v->hooks, &p);
	}
	if (hooks_cancelled(v->hooks))
		return -1;
	return 0;
}

/* Downloads one object and checks it; 0 or -1 with why. */
static int verify_object(struct sink *sink, const char *key, const char *sha256, uint64_t stored,
                         uint64_t plain, const struct backup_hooks *hooks, char *err, size_t errlen)
{
	struct verify_run v;
	memset(&v, 0, sizeof(v));
	v.hash = sha256_new();
	v.out = malloc(READ_CHUNK);
	v.hooks = hooks;
	v.t0 = clock_monotonic_ms();
	v.total = plain;
	int rc = -1;
	if (!v.out) {
		message_printf(err, errlen, "out of memory");
		goto done;
	}
	if (inflateInit2(&v.z, 15 + 16) != Z_OK) {
		message_printf(err, errlen, "gzip: cannot initialise");
		goto done;
	}
	v.z_ok = true;
	if (sink->ops->get(sink, key, verify_data, &v, err, errlen) != 0) {
		if (hooks_cancelled(hooks))
			message_printf(err, errlen, "cancelled");
		goto done;
	}
	char hex[SHA256_HEX_SIZE];
	sha256_finish_hex(v.hash, hex);
	v.hash = NULL;
	if (v.stored != stored) {
		message_printf(err, errlen, "%s: %llu bytes stored, the manifest says %llu", key,
		               (unsigned long long)v.stored, (unsigned long long)stored);
		goto done;
	}
	if (strcmp(hex, sha256) != 0) {
		message_printf(err, errlen, "%s: SHA-256 %s does not match the manifest's %s", key,
		               hex, sha256);
		goto done;
	}
	if (v.z_error || !v.z_end) {
		message_printf(err, errlen, "%s: the gzip stream is %s", key,
		               v.z_error ? "corrupt" : "truncated");
		goto done;
	}
	if (v.plain != plain) {
		message_printf(err, errlen,
		               "%s: decompresses to %llu bytes, the manifest says %llu", key,
		               (unsigned long long)v.plain, (unsigned long long)plain);
		goto done;
	}
	rc = 0;
done:
	if (v.z_ok)
		inflateEnd(&v.z);
	sha256_free(v.hash);
	free(v.out);
	return rc;
}

static int collect(void *ctx, const void *data, size_t len)
{
	struct text_buf *b = ctx;
	if (b->len + len > 64 * 1024 * 1024) {
		b->refused = "larger than 64 MiB";
		return -1;
	}
	char *grown = realloc(b->data, b->len + len + 1);
	if (!grown) {
		b->refused = "out of memory";
		return -1;
	}
	b->data = grown;
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int backup_verify(const struct config *cfg, const char *target, const char *key,
                  const struct backup_hooks *hooks, char *message, size_t msglen)
{
	char err[1024] = "";
	char mkey[1200];
	int rc = -1;
	struct text_buf text = {0};
	struct manifest m;
	memset(&m, 0, sizeof(m));
	struct sink *sink = sink_open(target_of(cfg, target), cfg, err, sizeof(err));
	if (!sink)
		goto done;
	if (hooks && hooks->cancel)
		sink_set_cancel(sink, hooks->cancel);
	/* the manifest's key from any of: object, directory, manifest */
	if (ends_with(key, ".json"))
		message_printf(mkey, sizeof(mkey), "%s", key);
	else if (ends_with(key, ".sql.gz") || ends_with(key, ".dump.gz"))
		message_printf(mkey, sizeof(mkey), "%s.json", key);
	else
		message_printf(mkey, sizeof(mkey), "%s.files.json", key);
	if (sink->ops->get(sink, mkey, collect, &text, err, sizeof(err)) != 0) {
		char why[1024];
		if (text.refused)
			message_printf(why, sizeof(why), "cannot read the manifest %s: %s", mkey,
			               text.refused);
		else
			message_printf(why, sizeof(why),
			               "no manifest %s (an incomplete backup?): %s", mkey, err);
		message_printf(err, sizeof(err), "%s", why);
		goto done;
	}
	if (manifest_parse(text.data ? text.data : "", text.len, &m, err, sizeof(err)) != 0)
		goto done;
	if (strcmp(m.kind, "db") == 0) {
		if (verify_object(sink, m.key, m.sha256, m.bytes_out, m.bytes_in, hooks, err,
		                  sizeof(err)) != 0)
			goto done;
		message_printf(
		    message, msglen,
		    "%s: OK (SHA-256 %.12s... matches, %llu bytes stored, decompresses to %llu "
		    "bytes)",
		    m.key, m.sha256, (unsigned long long)m.bytes_out,
		    (unsigned long long)m.bytes_in);
	} else {
		for (size_t i = 0; i < m.file_count; i++)
			if (verify_object(sink, m.files[i].key, m.files[i].sha256,
			                  m.files[i].stored, m.files[i].size, hooks, err,
			                  sizeof(err)) != 0)
				goto done;
		message_printf(message, msglen, "%s: OK (%zu files, SHA-256 and gzip checked)%s",
		               m.key, m.file_count,
		               m.failures ? "; note: this backup recorded failed files" : "");
	}
	rc = 0;
done:
	if (rc != 0)
		message_printf(message, msglen, "verify failed: %s", err);
	redact_text(message, msglen);
	manifest_free_files(&m);
	free(text.data);
	sink_free(sink);
	return rc;
}
