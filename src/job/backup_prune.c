/* backup_prune.c - the prune verb: the retention policy applied to a
 * target, and the unfinished writes older than 24 h removed (see
 * backup_prune.h). */
#include "job/backup_prune.h"

#include <stdlib.h>
#include <string.h>

#include "job/audit.h"
#include "job/backup_common.h"
#include "model/redact.h"
#include "repo/backup_name.h"
#include "repo/catalog.h"
#include "util/clock.h"
#include "util/text.h"
#include "util/xalloc.h"

#define PRUNE_ACTION "backup-prune"

int backup_prune_policy(const struct config *cfg, struct retention_policy *p, char *err,
                        size_t errlen)
{
	p->keep_last = cfg->backup.keep_last;
	p->keep_daily = cfg->backup.keep_daily;
	p->keep_weekly = cfg->backup.keep_weekly;
	p->keep_monthly = cfg->backup.keep_monthly;
	if (!retention_policy_empty(p))
		return 0;
	text_printf(err, errlen,
	            "refusing to prune: no retention policy: [backup] keep_last, keep_daily, "
	            "keep_weekly and keep_monthly are all 0 or unset in %s; set at least one "
	            "(e.g. keep_daily = 7)",
	            cfg->path && *cfg->path ? cfg->path : "the configuration (built-in defaults)");
	return -1;
}

static int entry_key_compare(const void *a, const void *b)
{
	return strcmp(((const struct sink_entry *)a)->key, ((const struct sink_entry *)b)->key);
}

static int backup_newest_first(const void *a, const void *b)
{
	const struct prune_backup *x = a, *y = b;
	if (x->created_ms != y->created_ms)
		return x->created_ms > y->created_ms ? -1 : 1;
	return strcmp(y->key, x->key);
}

/* The index of the first object whose key is >= key (objects sorted). */
static size_t objects_lower_bound(const struct prune_plan *plan, const char *key)
{
	size_t lo = 0, hi = plan->object_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(plan->objects[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool objects_have(const struct prune_plan *plan, const char *key)
{
	size_t at = objects_lower_bound(plan, key);
	return at < plan->object_count && strcmp(plan->objects[at].key, key) == 0;
}

/* Fills plan->backups from the catalog: each complete one checked against
 * its manifest (a manifest that cannot be read stops the plan). */
static int plan_backups(struct sink *sink, struct prune_plan *plan, int64_t now_ms, char *err,
                        size_t errlen)
{
	struct backup_entry *e = NULL;
	size_t n = 0;
	if (catalog_list(sink, false, &e, &n, err, errlen) != 0)
		return -1;
	int rc = -1;
	struct retention_item *items = xcalloc(n ? n : 1, sizeof(*items));
	char(*series)[600] = xcalloc(n ? n : 1, sizeof(*series));
	plan->backups = xcalloc(n ? n : 1, sizeof(*plan->backups));
	for (size_t i = 0; i < n; i++) {
		char why[512];
		if (e[i].complete && catalog_check(sink, &e[i], plan->objects, plan->object_count,
		                                   why, sizeof(why)) != 0) {
			text_printf(err, errlen, "cannot read the manifest of %s: %s", e[i].key,
			            why);
			goto done;
		}
		struct prune_backup *b = &plan->backups[plan->count++];
		b->key = xstrdup(e[i].key);
		text_copy(b->kind, e[i].kind, sizeof(b->kind));
		b->size = e[i].size;
		b->complete = e[i].complete;
		text_copy(b->problem, e[i].problem, sizeof(b->problem));
		if (!backup_name_time(b->key, &b->created_ms))
			b->created_ms = e[i].modified_ms;
		char name_series[512];
		backup_name_series(b->key, name_series, sizeof(name_series));
		text_printf(series[i], sizeof(series[i]), "%s:%s", b->kind, name_series);
		items[i] = (struct retention_item){.key = b->key,
		                                   .series = series[i],
		                                   .created_ms = b->created_ms,
		                                   .modified_ms = e[i].modified_ms,
		                                   .complete = b->complete};
	}
	if (retention_decide(&plan->policy, now_ms, items, plan->count) != 0) {
		text_printf(err, errlen, "out of memory deciding what to keep");
		goto done;
	}
	for (size_t i = 0; i < plan->count; i++) {
		struct prune_backup *b = &plan->backups[i];
		b->keep = items[i].keep;
		if (b->problem[0])
			text_printf(b->reason, sizeof(b->reason), "damaged%s: %s",
			            b->keep ? ", changed within the last hour" : "", b->problem);
		else
			text_copy(b->reason, items[i].reason, sizeof(b->reason));
		if (!b->keep) {
			plan->delete_count++;
			plan->delete_bytes += b->size;
		}
	}
	if (plan->count)
		qsort(plan->backups, plan->count, sizeof(*plan->backups), backup_newest_first);
	rc = 0;
done:
	free(items);
	free(series);
	backup_entries_free(e, n);
	return rc;
}

int backup_prune_plan(const struct config *cfg, const char *target, int64_t now_ms,
                      struct prune_plan *plan, char *err, size_t errlen)
{
	memset(plan, 0, sizeof(*plan));
	if (backup_prune_policy(cfg, &plan->policy, err, errlen) != 0)
		return -1;
	const char *url = backup_target_of(cfg, target);
	text_copy(plan->target, url, sizeof(plan->target));
	struct sink *sink = sink_open(url, cfg, err, errlen);
	if (!sink)
		return -1;
	int rc = -1;
	if (sink->ops->list(sink, &plan->objects, &plan->object_count, err, errlen) != 0)
		goto done;
	if (plan->object_count)
		qsort(plan->objects, plan->object_count, sizeof(*plan->objects), entry_key_compare);
	if (plan_backups(sink, plan, now_ms, err, errlen) != 0)
		goto done;
	if (catalog_unfinished(sink, &plan->unfinished, &plan->unfinished_count, err, errlen) != 0)
		goto done;
	while (plan->stale_count < plan->unfinished_count &&
	       now_ms - plan->unfinished[plan->stale_count].modified_ms >=
	           PRUNE_UNFINISHED_MAX_AGE_MS)
		plan->stale_count++;
	rc = 0;
done:
	sink_free(sink);
	return rc;
}

void backup_prune_plan_free(struct prune_plan *plan)
{
	for (size_t i = 0; i < plan->count; i++)
		free(plan->backups[i].key);
	free(plan->backups);
	sink_entries_free(plan->objects, plan->object_count);
	sink_entries_free(plan->unfinished, plan->unfinished_count);
	memset(plan, 0, sizeof(*plan));
}

static void say(const struct backup_hooks *hooks, const char *line)
{
	if (hooks && hooks->log)
		hooks->log(hooks->ctx, line);
}

/* A step that failed: counted, said, and the first one kept for the
 * result. */
static void step_failed(struct prune_result *r, const struct backup_hooks *hooks, char *first,
                        size_t firstlen, const char *what)
{
	if (r->failed++ == 0)
		text_copy(first, what, firstlen);
	say(hooks, what);
}

/* Deletes one backup: its manifest first, then its object(s). */
static void delete_backup(struct sink *sink, const struct prune_plan *plan,
                          const struct prune_backup *b, const struct backup_hooks *hooks,
                          struct prune_result *r, char *first, size_t firstlen)
{
	bool db = strcmp(b->kind, "db") == 0;
	char mkey[1200], err[512], line[1600];
	text_printf(mkey, sizeof(mkey), "%s%s", b->key, db ? ".json" : ".files.json");
	if (objects_have(plan, mkey) && sink->ops->remove(sink, mkey, err, sizeof(err)) != 0) {
		text_printf(line, sizeof(line), "cannot delete %s (so %s stays): %s", mkey, b->key,
		            err);
		step_failed(r, hooks, first, firstlen, line);
		return;
	}
	size_t failed = r->failed;
	if (db) {
		if (objects_have(plan, b->key) &&
		    sink->ops->remove(sink, b->key, err, sizeof(err)) != 0) {
			text_printf(line, sizeof(line), "cannot delete %s: %s", b->key, err);
			step_failed(r, hooks, first, firstlen, line);
		}
	} else {
		char dir[1100];
		text_printf(dir, sizeof(dir), "%s/", b->key);
		size_t dlen = strlen(dir);
		for (size_t i = objects_lower_bound(plan, dir);
		     i < plan->object_count && strncmp(plan->objects[i].key, dir, dlen) == 0; i++) {
			if (sink->ops->remove(sink, plan->objects[i].key, err, sizeof(err)) != 0) {
				text_printf(line, sizeof(line), "cannot delete %s: %s",
				            plan->objects[i].key, err);
				step_failed(r, hooks, first, firstlen, line);
			}
		}
	}
	if (r->failed != failed)
		return;
	r->deleted++;
	r->deleted_bytes += b->size;
	text_printf(line, sizeof(line), "deleted %s (%.1f MB; %s)", b->key, (double)b->size / 1e6,
	            b->reason);
	say(hooks, line);
}

/* Removes one stale unfinished write. */
static void remove_unfinished(struct sink *sink, const struct sink_entry *u,
                              const struct backup_hooks *hooks, struct prune_result *r, char *first,
                              size_t firstlen)
{
	char err[512], line[1600];
	if (!sink->ops->discard) {
		text_printf(err, sizeof(err), "this target cannot remove it");
	} else if (sink->ops->discard(sink, u, err, sizeof(err)) == 0) {
		r->removed++;
		if (u->upload_id)
			text_printf(line, sizeof(line),
			            "aborted the unfinished upload %s (upload id %s)", u->key,
			            u->upload_id);
		else
			text_printf(line, sizeof(line), "removed %s.partial", u->key);
		say(hooks, line);
		return;
	}
	text_printf(line, sizeof(line), "cannot remove the unfinished write %s: %s", u->key, err);
	step_failed(r, hooks, first, firstlen, line);
}

static void prune_summary(const struct prune_plan *plan, struct prune_result *r, const char *first)
{
	size_t kept = plan->count - plan->delete_count;
	char *m = r->message;
	size_t size = sizeof(r->message);
	text_printf(m, size,
	            "pruned %s: deleted %zu of %zu %s (%.1f MB), removed %zu unfinished %s; "
	            "kept %zu",
	            plan->target, r->deleted, plan->delete_count,
	            text_plural((int64_t)plan->delete_count, "backup", "backups"),
	            (double)r->deleted_bytes / 1e6, r->removed,
	            text_plural((int64_t)r->removed, "write", "writes"), kept);
	size_t len = strlen(m);
	if (r->cancelled)
		text_printf(m + len, size - len, "; cancelled");
	len = strlen(m);
	if (r->failed)
		text_printf(m + len, size - len, "; %zu %s failed (first: %s)", r->failed,
		            text_plural((int64_t)r->failed, "step", "steps"), first);
	redact_text(m, size);
}

/* What a run is about to do, for the attempt record. */
static void plan_detail(const struct prune_plan *plan, char *dst, size_t size)
{
	text_printf(dst, size, "delete %zu of %zu %s, remove %zu unfinished %s", plan->delete_count,
	            plan->count, text_plural((int64_t)plan->count, "backup", "backups"),
	            plan->stale_count, text_plural((int64_t)plan->stale_count, "write", "writes"));
}

int backup_prune_declined(const struct config *cfg, const char *target,
                          const struct prune_plan *plan, char *err, size_t errlen)
{
	const char *url = backup_target_of(cfg, target);
	char id[AUDIT_ID_SIZE], detail[256];
	audit_new_id(id);
	plan_detail(plan, detail, sizeof(detail));
	struct audit_record run = {
	    .id = id, .action = PRUNE_ACTION, .target = url, .detail = detail};
	return audit_write_not_run(cfg->recovery.audit_log, &run, "declined",
	                           "not confirmed: nothing deleted", err, errlen);
}

int backup_prune_run(const struct config *cfg, const char *target, const struct prune_plan *plan,
                     const struct backup_hooks *hooks, struct prune_result *r)
{
	memset(r, 0, sizeof(*r));
	int64_t t0 = clock_monotonic_ms();
	const char *url = backup_target_of(cfg, target);
	char id[AUDIT_ID_SIZE], err[1024] = "", first[1024] = "", detail[256];
	audit_new_id(id);
	plan_detail(plan, detail, sizeof(detail));
	if (cfg->recovery.read_only) {
		r->refused = true;
		text_printf(r->message, sizeof(r->message),
		            "refusing to prune in read-only mode (--read-only or [recovery] "
		            "read_only); --dry-run shows what it would delete");
		struct audit_record run = {
		    .id = id, .action = PRUNE_ACTION, .target = url, .detail = detail};
		(void)audit_write_not_run(cfg->recovery.audit_log, &run, "refused", r->message, err,
		                          sizeof(err));
		return -1;
	}
	struct sink *sink = sink_open(url, cfg, err, sizeof(err));
	if (!sink) {
		r->refused = true;
		text_printf(r->message, sizeof(r->message), "prune: %s", err);
		return -1;
	}
	backup_hooks_to_sink(hooks, sink);
	if (backup_audit(cfg, id, PRUNE_ACTION, url, NULL, detail, -1, NULL, err, sizeof(err)) !=
	    0) {
		r->refused = true;
		text_printf(r->message, sizeof(r->message),
		            "refusing to prune: cannot write the audit log: %s", err);
		sink_free(sink);
		return -1;
	}
	for (size_t i = 0; i < plan->count && !r->cancelled; i++) {
		if (plan->backups[i].keep)
			continue;
		r->cancelled = backup_hooks_cancelled(hooks);
		if (!r->cancelled)
			delete_backup(sink, plan, &plan->backups[i], hooks, r, first,
			              sizeof(first));
	}
	for (size_t i = 0; i < plan->stale_count && !r->cancelled; i++) {
		r->cancelled = backup_hooks_cancelled(hooks);
		if (!r->cancelled)
			remove_unfinished(sink, &plan->unfinished[i], hooks, r, first,
			                  sizeof(first));
	}
	sink_free(sink);
	prune_summary(plan, r, first);
	int rc = r->failed || r->cancelled ? -1 : 0;
	const char *result = rc == 0 ? "ok" : (r->cancelled ? "cancelled" : "failed");
	struct audit_record run = {.id = id, .action = PRUNE_ACTION, .target = url};
	if (audit_write_outcome(cfg->recovery.audit_log, &run, result, clock_monotonic_ms() - t0,
	                        r->message, sizeof(r->message)) != 0)
		rc = -1;
	return rc;
}
