/* restore_files.c - a files backup written back into a directory (see
 * restore_files.h). */
#include "job/restore_files.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "job/audit.h"
#include "job/backup_common.h"
#include "job/backup_fetch.h"
#include "job/tree_write.h"
#include "model/redact.h"
#include "repo/manifest.h"
#include "repo/sink.h"
#include "util/clock.h"
#include "util/file.h"
#include "util/text.h"
#include "util/xalloc.h"

#define RESTORE_FILES_ACTION "restore-files"

#define MANIFEST_SUFFIX ".files.json"

int restore_files_key(const char *given, char *key, size_t size, char *err, size_t errlen)
{
	size_t n = given ? strlen(given) : 0;
	while (n > 0 && given[n - 1] == '/')
		n--;
	size_t suffix = strlen(MANIFEST_SUFFIX);
	if (n >= suffix && memcmp(given + n - suffix, MANIFEST_SUFFIX, suffix) == 0)
		n -= suffix;
	if (n == 0 || n >= size) {
		text_printf(err, errlen, "'%s' is not the key of a files backup",
		            given ? given : "");
		return -1;
	}
	memcpy(key, given, n);
	key[n] = '\0';
	return sink_key_check(key, err, errlen);
}

static bool sha256_valid(const char *hex)
{
	size_t n = strspn(hex, "0123456789abcdef");
	return n == SHA256_HEX_SIZE - 1 && hex[n] == '\0';
}

int restore_files_check_manifest(const struct manifest *m, const char *key, char *err,
                                 size_t errlen)
{
	if (strcmp(m->kind, "files") != 0) {
		text_printf(
		    err, errlen,
		    "%s is a %s backup, not a files backup (`opsdeck restore KEY --into DB` "
		    "restores a database)",
		    key, m->kind);
		return -1;
	}
	if (strcmp(m->key, key) != 0) {
		text_printf(err, errlen, "the manifest of %s describes another backup (%s)", key,
		            m->key);
		return -1;
	}
	if (m->failures) {
		text_printf(err, errlen, "%s recorded %zu failed files: an incomplete backup", key,
		            m->failures);
		return -1;
	}
	if (m->files_dropped) {
		text_printf(err, errlen, "the manifest of %s has %zu malformed file entries", key,
		            m->files_dropped);
		return -1;
	}
	size_t keylen = strlen(key);
	for (size_t i = 0; i < m->file_count; i++) {
		const struct manifest_file *f = &m->files[i];
		if (!tree_path_valid(f->path)) {
			text_printf(err, errlen,
			            "the manifest names the path '%s', which is not below the "
			            "directory (absolute, empty, or with a '.' or '..' segment)",
			            f->path ? f->path : "");
			return -1;
		}
		if (!f->key || strncmp(f->key, key, keylen) != 0 || f->key[keylen] != '/' ||
		    !sink_key_valid(f->key)) {
			text_printf(err, errlen, "the manifest names the object '%s' outside %s/",
			            f->key ? f->key : "", key);
			return -1;
		}
		if (!sha256_valid(f->sha256)) {
			text_printf(err, errlen, "the manifest has no SHA-256 for '%s'", f->path);
			return -1;
		}
	}
	return 0;
}

void restore_files_result_free(struct restore_files_result *r)
{
	for (size_t i = 0; i < r->failures && r->failed; i++)
		free(r->failed[i]);
	free(r->failed);
	r->failed = NULL;
}

/* Reads and checks the manifest of key; 0, or -1 with why. */
static int load_manifest(struct sink *sink, const char *key, struct manifest *m, char *err,
                         size_t errlen)
{
	char mkey[1200];
	struct sink_text text = {0};
	text_printf(mkey, sizeof(mkey), "%s%s", key, MANIFEST_SUFFIX);
	int rc = -1;
	if (sink_get_text(sink, mkey, &text, err, errlen) != 0) {
		char why[1024];
		if (text.refused)
			text_printf(why, sizeof(why), "cannot read the manifest %s: %s", mkey,
			            text.refused);
		else
			text_printf(why, sizeof(why),
			            "no manifest %s (not a files backup, or an incomplete one): %s",
			            mkey, err);
		text_printf(err, errlen, "%s", why);
	} else if (manifest_parse(text.data ? text.data : "", text.len, m, err, errlen) == 0) {
		rc = restore_files_check_manifest(m, key, err, errlen);
	}
	free(text.data);
	return rc;
}

/* Adds "path: why" to the result's failures (room for file_count). */
static void add_failure(struct restore_files_result *r, const char *path, const char *why)
{
	char line[1536];
	text_printf(line, sizeof(line), "%s: %s", path, why);
	redact_text(line, sizeof(line));
	r->failed[r->failures++] = xstrdup(line);
}

/* One line of the dry run's plan. */
static void say(const struct restore_files_options *o, bool replace, const char *path,
                uint64_t size)
{
	char line[1536];
	text_printf(line, sizeof(line), "would %s %s (%llu bytes)", replace ? "replace" : "write",
	            path, (unsigned long long)size);
	if (o->on_line)
		o->on_line(o->ctx, line);
}

/* Looks at every target path before anything is written: a link or a file
 * on the way is a failure, an existing file too unless overwrite. Plans
 * the dry run's lines. The number of failures. */
static size_t preflight(const struct restore_files_options *o, const struct manifest *m,
                        struct restore_files_result *r, char *err, size_t errlen)
{
	int root = tree_open_root(o->into, false, err, errlen);
	if (root == -1) {
		add_failure(r, o->into, err);
		return r->failures;
	}
	for (size_t i = 0; i < m->file_count; i++) {
		const struct manifest_file *f = &m->files[i];
		enum tree_state state = TREE_ABSENT;
		const char *name = NULL;
		int dir = root >= 0 ? tree_open_parent(root, f->path, false, &name, err, errlen)
		                    : TREE_MISSING;
		if (dir == -1 || (dir >= 0 && tree_probe(dir, name, &state, err, errlen) != 0)) {
			add_failure(r, f->path, err);
		} else if (state == TREE_OTHER) {
			add_failure(r, f->path, "exists and is not a regular file: not replaced");
		} else if (state == TREE_FILE && !o->overwrite) {
			add_failure(r, f->path, "exists (--overwrite replaces it)");
		} else {
			r->files++;
			r->replaced += state == TREE_FILE;
			r->bytes += f->size;
			if (o->dry_run)
				say(o, state == TREE_FILE, f->path, f->size);
		}
		if (dir >= 0)
			close(dir);
	}
	if (root >= 0)
		close(root);
	return r->failures;
}

/* Where a file's decompressed bytes go: its temporary file. */
static int write_plain(void *ctx, const void *data, size_t len, char *err, size_t errlen)
{
	struct tree_file *t = ctx;
	if (file_write_all(t->fd, data, len) != 0) {
		text_printf(err, errlen, "cannot write %s: %s", t->name, strerror(errno));
		return -1;
	}
	return 0;
}

/* One file: fetched, checked, published. 0, or -1 with why. */
static int restore_one(struct sink *sink, int root, const struct manifest_file *f, bool overwrite,
                       const struct backup_hooks *hooks, const struct backup_progress *prog,
                       char *err, size_t errlen)
{
	const char *name = NULL;
	int dir = tree_open_parent(root, f->path, true, &name, err, errlen);
	if (dir < 0)
		return -1;
	struct tree_file t;
	int rc = -1;
	if (tree_file_begin(&t, dir, name, 0600, err, errlen) == 0) {
		struct backup_fetch fetch = {.codec = "gzip",
		                             .sha256 = f->sha256,
		                             .stored = f->stored,
		                             .plain = f->size,
		                             .out = write_plain,
		                             .ctx = &t,
		                             .hooks = hooks,
		                             .progress = prog};
		if (backup_fetch_object(sink, f->key, &fetch, err, errlen) != 0)
			tree_file_abort(&t);
		else
			rc = tree_file_commit(&t, overwrite, err, errlen);
	}
	close(dir);
	return rc;
}

/* Writes every file of m into o->into; failures recorded in r. */
static void restore_all(struct sink *sink, const struct manifest *m,
                        const struct restore_files_options *o, const struct backup_hooks *hooks,
                        struct restore_files_result *r, int64_t t0, char *err, size_t errlen)
{
	r->files = 0;
	r->bytes = 0;
	int root = tree_open_root(o->into, true, err, errlen);
	if (root < 0) {
		add_failure(r, o->into, err);
		return;
	}
	uint64_t total = 0, stored = 0;
	for (size_t i = 0; i < m->file_count; i++)
		total += m->files[i].stored;
	struct backup_progress prog = {
	    .phase = "restoring", .total = total, .files_total = m->file_count};
	for (size_t i = 0; i < m->file_count; i++) {
		const struct manifest_file *f = &m->files[i];
		if (backup_hooks_cancelled(hooks)) {
			r->cancelled = true;
			break;
		}
		prog.files_done = i;
		prog.bytes_in = stored;
		prog.bytes_out = r->bytes;
		prog.elapsed_ms = clock_monotonic_ms() - t0;
		backup_hooks_progress(hooks, &prog);
		if (restore_one(sink, root, f, o->overwrite, hooks, &prog, err, errlen) != 0) {
			add_failure(r, f->path, err);
			if (backup_hooks_cancelled(hooks)) {
				r->cancelled = true;
				break;
			}
		} else {
			r->files++;
			r->bytes += f->size;
		}
		stored += f->stored;
	}
	prog.files_done = r->files + r->failures;
	prog.bytes_in = stored;
	prog.bytes_out = r->bytes;
	prog.elapsed_ms = clock_monotonic_ms() - t0;
	backup_hooks_progress(hooks, &prog);
	close(root);
}

/* The one-line summary of a run that got past the checks. */
static void summarise(const struct restore_files_options *o, const char *where,
                      const struct manifest *m, struct restore_files_result *r, char *err,
                      size_t errlen)
{
	char bytes[32];
	text_format_bytes(bytes, sizeof(bytes), r->bytes);
	if (r->failures) {
		text_printf(err, errlen, "%zu of %zu %s %s (first: %s)%s", r->failures,
		            m->file_count, text_plural((int64_t)m->file_count, "file", "files"),
		            o->dry_run || r->refused ? "refused, nothing written" : "failed",
		            r->failed[0], r->cancelled ? "; cancelled" : "");
	} else if (r->cancelled) {
		text_printf(err, errlen, "cancelled after %zu of %zu files", r->files,
		            m->file_count);
	} else {
		text_printf(r->message, sizeof(r->message), "%s %zu %s (%s) from %s into %s%s",
		            o->dry_run ? "dry run: would restore" : "restored", r->files,
		            text_plural((int64_t)r->files, "file", "files"), bytes, where, o->into,
		            r->replaced ? (o->dry_run ? ", replacing existing files"
		                                      : ", existing files replaced")
		                        : "");
	}
}

/* The audit record's arguments: "KEY into DIR", and whether it overwrites. */
static void files_args(const struct restore_files_options *o, const char *key, char *args,
                       size_t size)
{
	text_printf(args, size, "%s into %s%s", key, o->into, o->overwrite ? " (overwrite)" : "");
}

int restore_files_declined(const struct config *cfg, const struct restore_files_options *o,
                           char *err, size_t errlen)
{
	char key[512], id[AUDIT_ID_SIZE], args[1200];
	if (restore_files_key(o->key, key, sizeof(key), err, errlen) != 0)
		return -1;
	files_args(o, key, args, sizeof(args));
	audit_new_id(id);
	struct audit_record run = {.id = id,
	                           .action = RESTORE_FILES_ACTION,
	                           .target = backup_target_of(cfg, o->target),
	                           .arguments = args};
	return audit_write_not_run(cfg->recovery.audit_log, &run, "declined",
	                           "not confirmed by the operator: nothing written", err, errlen);
}

int restore_files(const struct config *cfg, const struct restore_files_options *o,
                  const struct backup_hooks *hooks, struct restore_files_result *r)
{
	memset(r, 0, sizeof(*r));
	char err[1024] = "", key[512], id[AUDIT_ID_SIZE], args[1200], where[1100], audit_err[512];
	int64_t t0 = clock_monotonic_ms();
	const char *url = backup_target_of(cfg, o->target);
	struct manifest m;
	memset(&m, 0, sizeof(m));
	struct sink *sink = NULL;
	bool audited = false;
	int rc = -1;
	r->refused = true; /* until something may have been written */

	if (!url || !*url) {
		text_printf(err, sizeof(err),
		            "no target: set [backup] target or give --target URL");
		goto done;
	}
	if (!o->into || !*o->into) {
		text_printf(err, sizeof(err), "no directory to restore into (--into DIR)");
		goto done;
	}
	if (restore_files_key(o->key, key, sizeof(key), err, sizeof(err)) != 0)
		goto done;
	sink = sink_open(url, cfg, err, sizeof(err));
	if (!sink)
		goto done;
	backup_hooks_to_sink(hooks, sink);
	text_printf(where, sizeof(where), "%s/%s", sink->display, key);
	files_args(o, key, args, sizeof(args));
	if (load_manifest(sink, key, &m, err, sizeof(err)) != 0)
		goto done;
	r->failed = xcalloc(m.file_count + 1, sizeof(*r->failed));

	audit_new_id(id);
	struct audit_record run = {.id = id,
	                           .action = RESTORE_FILES_ACTION,
	                           .target = url,
	                           .arguments = args,
	                           .dry_run = o->dry_run};
	if (!o->dry_run && cfg->recovery.read_only) {
		text_printf(
		    err, sizeof(err),
		    "read-only mode: restore files writes into %s and is not run (--dry-run "
		    "shows what it would write)",
		    o->into);
		r->not_begun = true;
		(void)audit_write_not_run(cfg->recovery.audit_log, &run, "refused", err, audit_err,
		                          sizeof(audit_err));
		goto done;
	}
	if (audit_write_phase(cfg->recovery.audit_log, &run, NULL, NULL, -1, audit_err,
	                      sizeof(audit_err)) != 0) {
		text_printf(err, sizeof(err), "refusing to restore: cannot write the audit log: %s",
		            audit_err);
		r->not_begun = true;
		goto done;
	}
	audited = true;
	if (preflight(o, &m, r, err, sizeof(err)) != 0 || o->dry_run) {
		summarise(o, where, &m, r, err, sizeof(err));
		rc = r->failures ? -1 : 0;
		goto done;
	}
	r->refused = false;
	restore_all(sink, &m, o, hooks, r, t0, err, sizeof(err));
	summarise(o, where, &m, r, err, sizeof(err));
	rc = r->failures || r->cancelled ? -1 : 0;
done:
	r->duration_ms = clock_monotonic_ms() - t0;
	if (rc != 0)
		text_printf(r->message, sizeof(r->message), "restore files %s: %s",
		            r->refused ? "refused" : "failed", err);
	redact_text(r->message, sizeof(r->message));
	if (audited) {
		const char *result = rc == 0        ? "ok"
		                     : r->cancelled ? "cancelled"
		                     : r->refused   ? "refused"
		                                    : "failed";
		if (audit_write_outcome(cfg->recovery.audit_log, &run, result, r->duration_ms,
		                        r->message, sizeof(r->message)) != 0)
			rc = -1;
	}
	manifest_free_files(&m);
	sink_free(sink);
	return rc;
}
