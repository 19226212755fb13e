/* backup_files.c - the files backup: every matching file gzipped to its
 * own object by a small pool of threads, then the manifest (see backup.h). */
#include "job/backup.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codec/codec.h"
#include "model/redact.h"
#include "job/audit.h"
#include "job/backup_common.h"
#include "job/backup_deadline.h"
#include "job/files_walk.h"
#include "repo/backup_name.h"
#include "repo/manifest.h"
#include "repo/sink.h"
#include "util/clock.h"
#include "util/text.h"
#include "util/xalloc.h"

#define FILES_POOL    4
#define FILE_ATTEMPTS 3

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

/* Files are gzip whatever [backup] compression says: a zstd level above
 * gzip's range becomes gzip's highest. */
static int files_level(const struct config *cfg)
{
	int level = cfg->backup.compression_level;
	return level > codec_gzip.level_max ? codec_gzip.level_max : level;
}

/* Where one file's gzip stream goes: hashed, counted, written. */
struct file_out {
	struct sink *sink;
	struct sink_writer *writer;
	struct sha256 *hash;
	uint64_t stored;
	bool write_failed; /* the target refused: another attempt may help */
};

static int file_out_write(void *ctx, const void *data, size_t len, char *err, size_t errlen)
{
	struct file_out *o = ctx;
	sha256_update(o->hash, data, len);
	o->stored += len;
	if (o->sink->ops->write(o->writer, data, len, err, errlen) != 0) {
		o->write_failed = true;
		return -1;
	}
	return 0;
}

/* Gzips one file into the sink; 0, or -1 with retry set when another
 * attempt may help (target errors; not a vanished file). */
static int file_upload(struct files_run *fr, size_t index, struct manifest_file *out, bool *retry,
                       char *err, size_t errlen)
{
	const struct files_entry *e = &fr->list->entries[index];
	char *key = NULL;
	int fd = -1, rc = -1;
	struct file_out o = {.sink = fr->sink};
	struct codec *gz = NULL;
	unsigned char *in = malloc(CODEC_CHUNK);
	*retry = false;
	if (asprintf(&key, "%s/%s.gz", fr->timestamp, e->path) < 0 || !in) {
		text_printf(err, errlen, "out of memory");
		goto done;
	}
	fd = files_open(fr->list, index, err, errlen);
	if (fd < 0)
		goto done;
	gz = codec_new("gzip", CODEC_ENCODE, files_level(fr->cfg), file_out_write, &o, err, errlen);
	if (!gz)
		goto done;
	o.writer = fr->sink->ops->open(fr->sink, key, err, errlen);
	if (!o.writer) {
		*retry = true;
		goto done;
	}
	o.hash = sha256_new();
	uint64_t size = 0;
	for (bool eof = false; !eof;) {
		ssize_t n = read(fd, in, CODEC_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			text_printf(err, errlen, "cannot read: %s", strerror(errno));
			goto done;
		}
		eof = n == 0;
		size += (uint64_t)n;
		if ((eof ? codec_finish(gz, err, errlen)
		         : codec_feed(gz, in, (size_t)n, err, errlen)) != 0) {
			*retry = o.write_failed;
			goto done;
		}
	}
	struct sink_writer *finishing = o.writer;
	o.writer = NULL;
	if (fr->sink->ops->finish(finishing, err, errlen) != 0) {
		*retry = true;
		goto done;
	}
	out->path = xstrdup(e->path);
	out->key = key;
	key = NULL;
	out->size = size;
	out->stored = o.stored;
	sha256_finish_hex(o.hash, out->sha256);
	o.hash = NULL;
	rc = 0;
done:
	if (o.writer)
		fr->sink->ops->abort(o.writer);
	sha256_free(o.hash);
	codec_free(gz);
	if (fd >= 0)
		close(fd);
	free(in);
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
		text_printf(line, sizeof(line), "skipped %s: %s", s->path,
		            s->link ? "a symbolic link, not followed" : "not a regular file");
		hooks->log(hooks->ctx, line);
	}
	size_t unnamed = list->skipped_links + list->skipped_other - list->skipped_named;
	if (unnamed) {
		text_printf(line, sizeof(line),
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
	char err[1024] = "", id[AUDIT_ID_SIZE], note[512] = "";
	int64_t t0 = clock_monotonic_ms(), wall0 = clock_wall_ms();
	const char *url_text = backup_target_of(cfg, target);
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
	struct backup_deadline deadline;
	hooks = backup_deadline_start(&deadline, hooks, cfg->backup.timeout_ms);

	if (!source || !*source)
		source = cfg->backup.files_source;
	if (!patterns || pattern_count == 0) {
		patterns = cfg->backup.files_patterns;
		pattern_count = cfg->backup.files_pattern_count;
	}
	if (!source || !*source) {
		text_printf(err, sizeof(err),
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
	backup_hooks_to_sink(hooks, sink);
	if (files_walk(source, patterns, pattern_count, &list, err, sizeof(err)) != 0)
		goto done;
	log_skipped(hooks, &list);
	/* ts: the run's directory, "TIMESTAMP_ID" */
	if (backup_name_pick(sink, NULL, stamp, false, NULL, audit_new_id, id, ts, sizeof(ts), err,
	                     sizeof(err)) != 0)
		goto done;
	if (backup_begin(cfg, id, "backup-files", url_text, source, sink, hooks, &audited, note,
	                 sizeof(note), r, err, sizeof(err)) != 0)
		goto done;
	text_printf(r->key, sizeof(r->key), "%s", ts);
	text_printf(r->manifest_key, sizeof(r->manifest_key), "%s.files.json", ts);
	r->skipped_links = list.skipped_links;

	fr.cfg = cfg;
	fr.sink = sink;
	fr.timestamp = ts;
	fr.list = &list;
	fr.hooks = hooks;
	fr.results = calloc(list.count ? list.count : 1, sizeof(*fr.results));
	fr.errors = calloc(list.count ? list.count : 1, sizeof(*fr.errors));
	if (!fr.results || !fr.errors) {
		text_printf(err, sizeof(err), "out of memory for %zu files", list.count);
		goto done;
	}
	int pool = list.count < FILES_POOL ? (int)list.count : FILES_POOL;
	for (int i = 0; i < pool; i++) {
		if (pthread_create(&threads[i], NULL, files_worker, &fr) != 0)
			break;
		started++;
	}
	if (pool > 0 && started == 0) {
		text_printf(err, sizeof(err), "cannot start upload threads");
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
		if (!fr.stop && backup_hooks_cancelled(hooks)) {
			fr.stop = true;
			cancelled = true;
		}
		bool stop = fr.stop;
		pthread_mutex_unlock(&fr.lock);
		prog.elapsed_ms = clock_monotonic_ms() - t0;
		backup_hooks_progress(hooks, &prog);
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
	text_printf(m.kind, sizeof(m.kind), "files");
	text_printf(m.key, sizeof(m.key), "%s", ts);
	text_printf(m.format, sizeof(m.format), "gzip-each");
	clock_format_iso8601(m.created, sizeof(m.created), wall0);
	m.compression_level = files_level(cfg);
	m.compression_threads = 1;
	text_printf(m.opsdeck_version, sizeof(m.opsdeck_version), "%s", PACKAGE_VERSION);
	struct manifest_file *ok = calloc(list.count ? list.count : 1, sizeof(*ok));
	r->failed = calloc(list.count ? list.count : 1, sizeof(*r->failed));
	if (!ok || !r->failed) {
		text_printf(err, sizeof(err), "out of memory for %zu files", list.count);
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
			text_printf(why, sizeof(why), "writing the manifest failed: %s", err);
			text_printf(err, sizeof(err), "%s", why);
			free(ok);
			goto done;
		}
	}
	free(ok);
	if (cancelled) {
		text_printf(err, sizeof(err), "cancelled after %zu of %zu %s", r->files, list.count,
		            text_plural((int64_t)list.count, "file", "files"));
		goto done;
	}
	if (r->failures) {
		text_printf(err, sizeof(err), "%zu of %zu %s failed (first: %s)", r->failures,
		            list.count, text_plural((int64_t)list.count, "file", "files"),
		            r->failed[0]);
		goto done;
	}
	rc = 0;
done:
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	backup_deadline_stop(&deadline);
	char timed_out[128];
	if (rc != 0 && backup_deadline_fired(&deadline, timed_out, sizeof(timed_out))) {
		char was[1024];
		text_copy(was, err, sizeof(was));
		text_printf(err, sizeof(err), "%s: %s", timed_out, was);
		cancelled = false; /* not the operator's doing: a failure */
	}
	if (rc != 0)
		backup_note_leftover(sink, r, err, sizeof(err));
	r->duration_ms = clock_monotonic_ms() - t0;
	r->cancelled = cancelled;
	double secs = r->duration_ms > 0 ? (double)r->duration_ms / 1000.0 : 0.001;
	if (rc == 0) {
		char links[64] = "", other[64] = "";
		if (list.skipped_links)
			text_printf(links, sizeof(links), ", %zu symbolic link%s not followed",
			            list.skipped_links, list.skipped_links == 1 ? "" : "s");
		if (list.skipped_other)
			text_printf(other, sizeof(other), ", %zu non-regular file%s skipped",
			            list.skipped_other, list.skipped_other == 1 ? "" : "s");
		text_printf(r->message, sizeof(r->message),
		            "backed up %zu %s to %s/%s/: %.1f MB in, %.1f MB stored, %.1f s, "
		            "%.1f MB/s, 0 failures%s%s",
		            r->files, text_plural((int64_t)r->files, "file", "files"),
		            sink->display, r->key, (double)r->bytes_in / 1e6,
		            (double)r->bytes_out / 1e6, secs, (double)r->bytes_in / 1e6 / secs,
		            links, other);
	} else {
		text_printf(r->message, sizeof(r->message), "file backup failed: %s", err);
	}
	rc = backup_end(cfg, id, "backup-files", url_text, audited, note, rc, r);
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
