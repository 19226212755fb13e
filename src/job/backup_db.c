/* backup_db.c - the database backup: pg_dump -> parallel gzip (or zstd on
 * its own worker threads) -> one object at the target, then its manifest
 * (see backup.h). */
#include "job/backup.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/pgurl.h"
#include "model/redact.h"
#include "job/audit.h"
#include "codec/codec.h"
#include "job/backup_common.h"
#include "job/backup_deadline.h"
#include "job/gzip_parallel.h"
#include "job/pgdump.h"
#include "repo/backup_name.h"
#include "repo/copy_count.h"
#include "repo/manifest.h"
#include "repo/sink.h"
#include "util/clock.h"
#include "util/text.h"
#include "util/xalloc.h"

#define READ_CHUNK (256 * 1024)

struct db_run {
	struct sink *sink;
	struct sink_writer *writer;
	struct sha256 *hash;
	uint64_t bytes_out;
	struct copy_count *rows; /* plain dumps: the rows of each table */
};

static int db_out(void *ctx, const void *data, size_t len, char *err, size_t errlen)
{
	struct db_run *run = ctx;
	sha256_update(run->hash, data, len);
	run->bytes_out += len;
	return run->sink->ops->write(run->writer, data, len, err, errlen);
}

/* The compressor of a dump: job/gzip_parallel for gzip, the zstd codec
 * (which has its own threads) for zstd. Either hands compressed bytes to
 * db_out on this thread while its workers go on, so the upload overlaps the
 * compression. */
struct db_compressor {
	struct gzip_parallel *gz;
	struct codec *zstd;
	uint64_t zstd_in;
};

static int compressor_open(struct db_compressor *c, const struct config *cfg, struct db_run *run,
                           char *err, size_t errlen)
{
	if (cfg->backup.compression && strcmp(cfg->backup.compression, "zstd") == 0)
		c->zstd = codec_new("zstd", CODEC_ENCODE, cfg->backup.compression_level, db_out,
		                    run, err, errlen);
	else
		c->gz =
		    gzip_parallel_new(cfg->backup.compression_level, 0, db_out, run, err, errlen);
	return c->gz || c->zstd ? 0 : -1;
}

static int compressor_write(struct db_compressor *c, const void *data, size_t len, char *err,
                            size_t errlen)
{
	if (c->gz)
		return gzip_parallel_write(c->gz, data, len, err, errlen);
	c->zstd_in += len;
	return codec_feed(c->zstd, data, len, err, errlen);
}

static int compressor_finish(struct db_compressor *c, char *err, size_t errlen)
{
	return c->gz ? gzip_parallel_finish(c->gz, err, errlen)
	             : codec_finish(c->zstd, err, errlen);
}

static uint64_t compressor_bytes_in(const struct db_compressor *c)
{
	return c->gz ? gzip_parallel_bytes_in(c->gz) : c->zstd_in;
}

static void compressor_free(struct db_compressor *c)
{
	gzip_parallel_free(c->gz);
	codec_free(c->zstd);
}

static int db_run_pipeline(const struct config *cfg, const struct pgurl *url, struct db_run *run,
                           const struct backup_hooks *hooks, struct backup_progress *prog,
                           int64_t t0, char *err, size_t errlen, bool *cancelled)
{
	bool custom = cfg->backup.format && strcmp(cfg->backup.format, "custom") == 0;
	int rc = -1;
	unsigned char *buf = malloc(READ_CHUNK);
	struct db_compressor comp = {0};
	struct pgdump *dump = NULL;
	if (compressor_open(&comp, cfg, run, err, errlen) != 0)
		goto done;
	if (!buf) {
		text_printf(err, errlen, "out of memory");
		goto done;
	}
	dump = pgdump_start(url, custom, err, errlen);
	if (!dump)
		goto done;
	int64_t last = 0;
	prog->phase = "dumping";
	for (;;) {
		if (backup_hooks_cancelled(hooks)) {
			*cancelled = true;
			text_printf(err, errlen, "cancelled");
			goto done;
		}
		ssize_t n = pgdump_read(dump, buf, READ_CHUNK, 200, err, errlen);
		if (n == PGDUMP_AGAIN)
			continue;
		if (n < 0)
			goto done;
		if (n == 0)
			break;
		if (run->rows)
			copy_count_feed(run->rows, buf, (size_t)n);
		if (compressor_write(&comp, buf, (size_t)n, err, errlen) != 0)
			goto done;
		int64_t now = clock_monotonic_ms();
		if (now - last >= BACKUP_PROGRESS_EVERY_MS) {
			last = now;
			prog->bytes_in = compressor_bytes_in(&comp);
			prog->bytes_out = run->bytes_out;
			prog->elapsed_ms = now - t0;
			backup_hooks_progress(hooks, prog);
		}
	}
	/* pg_dump must have exited 0 before the object may be confirmed */
	if (pgdump_wait(dump, err, errlen) != 0)
		goto done;
	prog->phase = "finishing";
	if (compressor_finish(&comp, err, errlen) != 0)
		goto done;
	prog->bytes_in = compressor_bytes_in(&comp);
	prog->bytes_out = run->bytes_out;
	prog->elapsed_ms = clock_monotonic_ms() - t0;
	backup_hooks_progress(hooks, prog);
	rc = 0;
done:
	pgdump_free(dump);
	if (comp.gz || comp.zstd)
		prog->bytes_in = compressor_bytes_in(&comp);
	compressor_free(&comp);
	free(buf);
	return rc;
}

/* The manifest's text, with the rows of each table when the counter
 * followed the whole dump (a custom dump has none). */
static char *db_manifest_json(struct manifest *m, const struct copy_count *rows)
{
	size_t n = 0;
	bool counted = rows && copy_count_complete(rows);
	const struct copy_count_table *t = counted ? copy_count_tables(rows, &n) : NULL;
	struct manifest_table *tables = NULL;
	if (counted) {
		tables = xcalloc(n ? n : 1, sizeof(*tables));
		for (size_t i = 0; i < n; i++)
			tables[i] = (struct manifest_table){.name = t[i].name, .rows = t[i].rows};
		m->tables_recorded = true;
	}
	m->tables = tables; /* borrowed names */
	m->table_count = n;
	char *text = manifest_to_json(m);
	free(tables);
	m->tables = NULL;
	m->table_count = 0;
	return text;
}

int backup_db(const struct config *cfg, const char *target, const struct backup_hooks *hooks,
              struct backup_result *r)
{
	memset(r, 0, sizeof(*r));
	char err[1024] = "";
	char id[AUDIT_ID_SIZE];
	char note[512] = "";
	int64_t t0 = clock_monotonic_ms();
	int64_t wall0 = clock_wall_ms();
	const char *url_text = backup_target_of(cfg, target);
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
	struct backup_deadline deadline;
	hooks = backup_deadline_start(&deadline, hooks, cfg->backup.timeout_ms);

	if (!cfg->database.url || !*cfg->database.url) {
		text_printf(err, sizeof(err), "no database configured: %s",
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
	backup_hooks_to_sink(hooks, sink);
	char ts[64], name[512];
	backup_timestamp(ts, sizeof(ts), wall0);
	if (backup_name_pick(sink, url.dbname, ts, custom, cfg->backup.compression, audit_new_id,
	                     id, name, sizeof(name), err, sizeof(err)) != 0)
		goto done;
	if (backup_begin(cfg, id, "backup-db", url_text, NULL, sink, hooks, &audited, note,
	                 sizeof(note), r, err, sizeof(err)) != 0)
		goto done;
	text_printf(r->key, sizeof(r->key), "%s", name);
	text_printf(r->manifest_key, sizeof(r->manifest_key), "%s.json", name);

	/* versions and the size estimate; a failure here is not fatal: pg_dump
	 * will say what is wrong with the connection */
	char server_err[512];
	if (pgdump_server_info(&url, cfg->app.timeout_ms, m.server_version,
	                       sizeof(m.server_version), &prog.total, server_err,
	                       sizeof(server_err)) != 0)
		prog.total = 0;
	pgdump_program_version(m.pg_dump_version, sizeof(m.pg_dump_version));
	backup_hooks_progress(hooks, &prog);

	run.sink = sink;
	run.hash = sha256_new();
	run.rows = custom ? NULL : copy_count_new();
	sink_set_expected_size(sink, prog.total);
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

	text_printf(m.kind, sizeof(m.kind), "db");
	text_printf(m.key, sizeof(m.key), "%s", name);
	text_printf(m.database, sizeof(m.database), "%s", url.dbname);
	text_printf(m.format, sizeof(m.format), "%s", custom ? "custom" : "plain");
	clock_format_iso8601(m.created, sizeof(m.created), wall0);
	m.duration_ms = clock_monotonic_ms() - t0;
	m.bytes_in = prog.bytes_in;
	m.bytes_out = run.bytes_out;
	sha256_finish_hex(run.hash, m.sha256);
	run.hash = NULL;
	m.compression_level = cfg->backup.compression_level;
	if (cfg->backup.compression && strcmp(cfg->backup.compression, "zstd") == 0) {
		text_printf(m.compression, sizeof(m.compression), "zstd");
		m.compression_threads = codec_threads(&codec_zstd);
	} else {
		text_printf(m.compression, sizeof(m.compression), "gzip");
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		m.compression_threads = cpus > GZIP_PARALLEL_MAX_THREADS
		                            ? GZIP_PARALLEL_MAX_THREADS
		                            : (cpus > 0 ? (int)cpus : 1);
	}
	text_printf(m.opsdeck_version, sizeof(m.opsdeck_version), "%s", PACKAGE_VERSION);
	manifest_text = db_manifest_json(&m, run.rows);
	if (sink_put(sink, r->manifest_key, manifest_text, strlen(manifest_text), err,
	             sizeof(err)) != 0) {
		/* an object without its manifest looks like a backup but is not one */
		char rm_err[256];
		char why[1024];
		text_printf(why, sizeof(why), "writing the manifest failed: %s", err);
		if (sink->ops->remove(sink, name, rm_err, sizeof(rm_err)) != 0)
			text_printf(err, sizeof(err), "%s (and removing %s failed: %s)", why, name,
			            rm_err);
		else
			text_printf(err, sizeof(err), "%s", why);
		goto done;
	}
	r->bytes_in = m.bytes_in;
	r->bytes_out = m.bytes_out;
	text_printf(r->sha256, sizeof(r->sha256), "%s", m.sha256);
	rc = 0;
done:
	backup_deadline_stop(&deadline);
	if (rc != 0 && backup_deadline_fired(&deadline, err, sizeof(err)))
		cancelled = false; /* not the operator's doing: a failure */
	r->duration_ms = clock_monotonic_ms() - t0;
	r->cancelled = cancelled;
	if (rc != 0)
		backup_note_leftover(sink, r, err, sizeof(err));
	if (rc == 0) {
		double secs = r->duration_ms > 0 ? (double)r->duration_ms / 1000.0 : 0.001;
		text_printf(r->message, sizeof(r->message),
		            "backed up %s to %s/%s: %.1f MB dump, %.1f MB stored (%.0f%%), %.1f s, "
		            "%.1f MB/s",
		            url.dbname, sink->display, r->key, (double)r->bytes_in / 1e6,
		            (double)r->bytes_out / 1e6,
		            r->bytes_in ? 100.0 * (double)r->bytes_out / (double)r->bytes_in : 0.0,
		            secs, (double)r->bytes_in / 1e6 / secs);
	} else {
		text_printf(r->message, sizeof(r->message), "backup failed%s: %s",
		            cancelled ? " (cancelled)" : "", err);
		r->key[0] = '\0';
		r->manifest_key[0] = '\0';
	}
	rc = backup_end(cfg, id, "backup-db", url_text, audited, note, rc, r);
	free(manifest_text);
	sha256_free(run.hash);
	copy_count_free(run.rows);
	if (run.writer)
		sink->ops->abort(run.writer);
	sink_free(sink);
	if (have_url)
		pgurl_free(&url);
	return rc;
}
