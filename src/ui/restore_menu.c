/* restore_menu.c - the jobs behind the Restore… dialog (see restore_menu.h). */
#include "ui/restore_menu.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/pgurl.h"
#include "job/backup.h"
#include "job/restore_db.h"
#include "job/runner.h"
#include "ui/restore_dialog.h"
#include "util/clock.h"
#include "util/sanitize.h"
#include "util/text.h"
#include "util/xalloc.h"

enum task_kind { TASK_LIST, TASK_DRY_RUN, TASK_RESTORE };

/* What a job works on; owned by the menu, freed after job_free. */
struct restore_task {
	const struct config *cfg;
	enum task_kind kind;
	struct job *job;
	char key[512];
	char database[RESTORE_DB_NAME_MAX + 1];
	int64_t last_report_ms; /* monotonic; the worker's own */
	/* the listing's result, read once the job has ended */
	struct restore_choice *choices;
	int count;
	char err[512];
};

struct restore_menu {
	const struct config *cfg;
	int wake_fd;
	struct restore_dialog dialog;
	bool shown;
	struct restore_task *task;
};

/* ------------------------------------------------------------ the jobs */

static int task_list(struct restore_task *t)
{
	struct backup_entry *e = NULL;
	size_t n = 0;
	if (backup_list(t->cfg, NULL, &e, &n, t->err, sizeof(t->err)) != 0) {
		t->count = -1;
		return -1;
	}
	t->choices = xcalloc(n ? n : 1, sizeof(*t->choices));
	for (size_t i = 0; i < n; i++) {
		if (!e[i].complete || strcmp(e[i].kind, "db") != 0)
			continue;
		struct restore_choice *c = &t->choices[t->count++];
		sanitize_text(c->key, sizeof(c->key), e[i].key);
		c->modified_ms = e[i].modified_ms;
		c->size = e[i].size;
	}
	backup_entries_free(e, n);
	job_set_result(t->job, "%d complete database %s", t->count,
	               text_plural(t->count, "backup", "backups"));
	return 0;
}

/* Progress from the restore engine's thread: at most one report (one
 * wake-up, one redraw) every RESTORE_MENU_REPORT_MS. */
static void task_progress(struct restore_task *t, uint64_t done, uint64_t total, int64_t elapsed_ms,
                          bool last)
{
	int64_t now = clock_monotonic_ms();
	if (!last && t->last_report_ms && now - t->last_report_ms < RESTORE_MENU_REPORT_MS)
		return;
	t->last_report_ms = now;
	char line[160];
	restore_progress_line(line, sizeof(line), done, total, elapsed_ms);
	job_report(t->job, done, total, "%s", line);
}

static void task_hook_progress(void *ctx, const struct backup_progress *p)
{
	struct restore_task *t = ctx;
	task_progress(t, p->bytes_in, p->total, p->elapsed_ms, false);
}

static bool task_hook_cancelled(void *ctx)
{
	struct restore_task *t = ctx;
	return job_cancelled(t->job);
}

/* The restore engine (job/restore_db.h) with the audit records, the
 * read-only refusal and the drop of a failed restore; the dialog has
 * asked for the typed confirmation. As TASK_DRY_RUN, its dry run: the
 * same checks, nothing created. */
static int task_restore(struct restore_task *t)
{
	struct backup_hooks hooks = {.progress = task_hook_progress,
	                             .cancelled = task_hook_cancelled,
	                             .ctx = t,
	                             .cancel = job_cancel_flag(t->job)};
	struct restore_db_options o = {
	    .key = t->key, .into = t->database, .dry_run = t->kind == TASK_DRY_RUN};
	struct restore_db_result r;
	int rc = restore_db(t->cfg, &o, &hooks, &r);
	job_set_result(t->job, "%s", r.message);
	return rc;
}

static int task_work(struct job *job, void *arg)
{
	struct restore_task *t = arg;
	t->job = job;
	return t->kind == TASK_LIST ? task_list(t) : task_restore(t);
}

static void task_end(struct restore_menu *m)
{
	if (!m->task)
		return;
	job_free(m->task->job);
	free(m->task->choices);
	free(m->task);
	m->task = NULL;
}

/* Starts a job of kind; false (and the reason in the dialog) when no
 * thread can be started. */
static bool task_start(struct restore_menu *m, enum task_kind kind)
{
	struct restore_task *t = xcalloc(1, sizeof(*t));
	t->cfg = m->cfg;
	t->kind = kind;
	if (kind != TASK_LIST) {
		const struct restore_dialog *d = &m->dialog;
		text_copy(t->key, d->choices[d->selected].key, sizeof(t->key));
		text_copy(t->database, d->database, sizeof(t->database));
	}
	m->task = t;
	static const char *const names[] = {[TASK_LIST] = "backup list",
	                                    [TASK_DRY_RUN] = "restore dry run",
	                                    [TASK_RESTORE] = "restore"};
	t->job = job_start(names[kind], task_work, t, NULL, m->wake_fd);
	if (t->job)
		return true;
	free(t);
	m->task = NULL;
	restore_dialog_ended(&m->dialog, false, "cannot start a thread");
	return false;
}

/* One job at a time: when one ends, the one the dialog now waits for (a
 * listing asked for while a dry run was out, a dry run for a new name). */
static void task_next(struct restore_menu *m)
{
	if (m->task)
		return;
	if (m->dialog.step == RESTORE_STEP_LISTING)
		task_start(m, TASK_LIST);
	else if (m->dialog.step == RESTORE_STEP_PLANNING)
		task_start(m, TASK_DRY_RUN);
}

/* ------------------------------------------------------------ the menu */

struct restore_menu *restore_menu_new(const struct config *cfg, int wake_fd)
{
	struct restore_menu *m = xcalloc(1, sizeof(*m));
	m->cfg = cfg;
	m->wake_fd = wake_fd;
	return m;
}

void restore_menu_free(struct restore_menu *m)
{
	if (!m)
		return;
	if (m->task)
		job_cancel(m->task->job);
	task_end(m);
	free(m);
}

bool restore_menu_active(const struct restore_menu *m)
{
	return m->shown;
}

bool restore_menu_running(const struct restore_menu *m)
{
	return m->task && m->task->kind == TASK_RESTORE;
}

/* The app's database, for the default name ("" when the URL is bad). */
static void source_database(const struct config *cfg, char *dst, size_t size)
{
	struct pgurl url;
	char err[256];
	dst[0] = '\0';
	if (!cfg->database.url || !*cfg->database.url ||
	    pgurl_parse(cfg->database.url, 0, &url, err, sizeof(err)) != 0)
		return;
	text_copy(dst, url.dbname ? url.dbname : "", size);
	pgurl_free(&url);
}

void restore_menu_open(struct restore_menu *m, struct ui_state *st)
{
	m->shown = true;
	st->dialog_scroll = 0;
	if (restore_menu_running(m)) {
		restore_dialog_render(&m->dialog, st);
		return;
	}
	char source[RESTORE_DB_NAME_MAX + 1], today[16];
	source_database(m->cfg, source, sizeof(source));
	time_t now = (time_t)(clock_wall_ms() / 1000);
	struct tm tm;
	if (!gmtime_r(&now, &tm) || strftime(today, sizeof(today), "%Y%m%d", &tm) == 0)
		text_copy(today, "today", sizeof(today));
	/* a listing left running when the dialog was closed is taken up
	 * again rather than waited for: a slow target never blocks the UI; a
	 * dry run left running is waited for, then the listing starts */
	if (restore_dialog_open(&m->dialog, m->cfg, source, today))
		task_next(m);
	restore_dialog_render(&m->dialog, st);
}

/* The operator left the typed confirmation: on record, as a declined
 * confirmation is on the command line (a line appended to the audit log). */
static void declined(struct restore_menu *m, struct activity_log *log)
{
	const struct restore_dialog *d = &m->dialog;
	struct restore_db_options o = {.key = d->choices[d->selected].key, .into = d->database};
	char err[512];
	if (restore_db_declined(m->cfg, &o, err, sizeof(err)) != 0)
		activity_add(log, clock_wall_ms(), UI_WARNING,
		             "restore not confirmed; the audit log was not written: %s", err);
}

bool restore_menu_key(struct restore_menu *m, const struct ui_key_event *ev, struct ui_state *st,
                      struct activity_log *log, bool *hidden)
{
	*hidden = false;
	struct restore_dialog *d = &m->dialog;
	if (d->step != RESTORE_STEP_PICK && (ev->key == UI_KEY_UP || ev->key == UI_KEY_DOWN)) {
		st->dialog_scroll += ev->key == UI_KEY_UP ? -1 : 1;
		if (st->dialog_scroll < 0)
			st->dialog_scroll = 0;
		return true;
	}
	switch (restore_dialog_key(d, ev)) {
	case RESTORE_EFFECT_NONE:
		break;
	case RESTORE_EFFECT_DRY_RUN:
		task_next(m); /* or when the job still out has ended */
		break;
	case RESTORE_EFFECT_RUN:
		if (task_start(m, TASK_RESTORE))
			activity_add(log, clock_wall_ms(), UI_NORMAL, "restore %s into %s started",
			             d->choices[d->selected].key, d->database);
		break;
	case RESTORE_EFFECT_DECLINED:
		declined(m, log);
		break;
	case RESTORE_EFFECT_CANCEL_JOB:
		if (restore_menu_running(m))
			job_cancel(m->task->job);
		activity_add(log, clock_wall_ms(), UI_WARNING,
		             "restore: cancel asked by the operator");
		break;
	case RESTORE_EFFECT_HIDE:
		m->shown = false;
		*hidden = true;
		return false;
	case RESTORE_EFFECT_CLOSE:
		/* a listing in flight ends on its own; restore_menu_poll frees it */
		d->step = RESTORE_STEP_NONE;
		m->shown = false;
		return false;
	}
	restore_dialog_render(d, st);
	return true;
}

void restore_menu_poll(struct restore_menu *m, struct ui_state *st, struct activity_log *log)
{
	if (!m->task)
		return;
	struct restore_dialog *d = &m->dialog;
	struct job_progress p;
	job_progress(m->task->job, &p);
	if (p.state == JOB_RUNNING) {
		if (m->task->kind == TASK_RESTORE) {
			restore_dialog_progress(d, p.line);
			text_printf(st->message, sizeof(st->message), "restore into %s: %s",
			            d->database, p.line[0] ? p.line : "starting");
		}
	} else if (m->task->kind == TASK_LIST) {
		/* the job has ended: its fields are the UI thread's now */
		restore_dialog_listed(d, m->task->choices, m->task->count, m->task->err);
		task_end(m);
		task_next(m);
	} else if (m->task->kind == TASK_DRY_RUN) {
		/* an answer for a backup or name the operator has since changed
		 * is dropped: task_next asks again */
		(void)restore_dialog_planned(d, m->task->key, m->task->database, p.state == JOB_OK,
		                             p.result);
		task_end(m);
		task_next(m);
	} else {
		bool ok = p.state == JOB_OK;
		restore_dialog_ended(d, ok, p.result);
		activity_add(log, clock_wall_ms(), ok ? UI_OK : UI_CRITICAL, "restore into %s: %s",
		             d->database, p.result);
		text_printf(st->message, sizeof(st->message), "restore into %s: %s", d->database,
		            ok ? "done" : "FAILED (see Activity)");
		task_end(m);
	}
	if (m->shown)
		restore_dialog_render(d, st);
}
