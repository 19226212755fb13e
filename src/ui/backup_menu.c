/* backup_menu.c - the dashboard's backup menu (see backup_menu.h). */
#include "ui/backup_menu.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job/backup.h"
#include "job/runner.h"
#include "model/snapshot.h"
#include "util/clock.h"
#include "util/text.h"
#include "util/xalloc.h"

#define ACTIVITY_EVERY_MS 10000

enum menu_step { STEP_IDLE, STEP_MENU, STEP_CONFIRM, STEP_RUNNING, STEP_CANCEL_ASK, STEP_DONE };
enum menu_kind { KIND_DB, KIND_FILES, KIND_LIST, KIND_VERIFY };

static const char *const KIND_TITLES[] = {"backup db", "backup files", "backup list",
                                          "backup verify"};

struct menu_task {
	const struct config *cfg;
	enum menu_kind kind;
	struct job *job;
	atomic_int cancel;
	const atomic_int *abandon; /* may be NULL */
	pthread_mutex_t lock;
	char text[UI_DIALOG_TEXT]; /* list / verify output */
};

struct backup_menu {
	const struct config *cfg;
	int wake_fd;
	enum menu_step step;
	enum menu_kind kind;
	bool shown;
	struct menu_task *task;
	int64_t last_activity_ms;
	char result[UI_DIALOG_TEXT];
	/* the periodic listing for the diagnosis */
	pthread_mutex_t status_lock;
	struct backup_status status;
	pthread_t probe_thread;
	bool probe_started; /* a thread to join */
	atomic_bool probe_running;
	atomic_int probe_cancel; /* set when the menu is freed */
	int64_t probe_at_ms;     /* monotonic, of the last start; 0: never */
	const atomic_int *abandon;
};

static const char *target_text(const struct config *cfg)
{
	return cfg->backup.target && *cfg->backup.target ? cfg->backup.target
	                                                 : "not configured (set [backup] target)";
}

static void show(struct backup_menu *m, struct ui_state *st, const char *footer, const char *fmt,
                 ...) __attribute__((format(printf, 4, 5)));
static void show(struct backup_menu *m, struct ui_state *st, const char *footer, const char *fmt,
                 ...)
{
	m->shown = true;
	st->dialog = DIALOG_TEXT;
	text_copy(st->dialog_title, "Backups", sizeof(st->dialog_title));
	text_copy(st->dialog_footer, footer, sizeof(st->dialog_footer));
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st->dialog_text, sizeof(st->dialog_text), fmt, ap);
	va_end(ap);
}

/* The key bar's notice; long lines are cut. */
static void notice(struct ui_state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void notice(struct ui_state *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st->message, sizeof(st->message), fmt, ap);
	va_end(ap);
}

static void hide(struct backup_menu *m, struct ui_state *st)
{
	m->shown = false;
	st->dialog = DIALOG_NONE;
	st->dialog_footer[0] = '\0';
}

/* ------------------------------------------------------------ the job */

static void task_progress(void *ctx, const struct backup_progress *p)
{
	struct menu_task *t = ctx;
	char line[200];
	if (p->files_total)
		snprintf(line, sizeof(line), "%s: %llu/%llu files, %.1f MB in, %.1f MB stored",
		         p->phase, (unsigned long long)p->files_done,
		         (unsigned long long)p->files_total, (double)p->bytes_in / 1e6,
		         (double)p->bytes_out / 1e6);
	else
		snprintf(line, sizeof(line), "%s: %.1f MB read, %.1f MB stored, %.1f MB/s",
		         p->phase, (double)p->bytes_in / 1e6, (double)p->bytes_out / 1e6,
		         p->elapsed_ms > 0 ? (double)p->bytes_in / 1e3 / (double)p->elapsed_ms
		                           : 0.0);
	job_report(t->job, p->bytes_in, p->total, "%s", line);
}

static bool task_cancelled(void *ctx)
{
	struct menu_task *t = ctx;
	return job_cancelled(t->job);
}

static void task_set_text(struct menu_task *t, const char *text)
{
	pthread_mutex_lock(&t->lock);
	text_copy(t->text, text, sizeof(t->text));
	pthread_mutex_unlock(&t->lock);
}

static int task_list(struct menu_task *t, char *out, size_t outlen, char *err, size_t errlen)
{
	struct backup_entry *e = NULL;
	size_t n = 0;
	if (backup_list(t->cfg, NULL, &e, &n, err, errlen) != 0)
		return -1;
	int64_t now = clock_wall_ms();
	size_t used = (size_t)snprintf(out, outlen, "%zu backup(s) at %s, newest first:\n\n", n,
	                               target_text(t->cfg));
	for (size_t i = 0; i < n && used < outlen; i++) {
		char age[32];
		text_format_duration(age, sizeof(age), now - e[i].modified_ms);
		used += (size_t)snprintf(
		    out + used, outlen - used, "%-10s %-5s %9.1f MB  %-10s %s\n", age, e[i].kind,
		    (double)e[i].size / 1e6, e[i].complete ? "complete" : "INCOMPLETE", e[i].key);
	}
	backup_entries_free(e, n);
	return 0;
}

static int task_work(struct job *job, void *arg)
{
	struct menu_task *t = arg;
	t->job = job;
	struct backup_hooks hooks = {.progress = task_progress,
	                             .cancelled = task_cancelled,
	                             .ctx = t,
	                             .cancel = &t->cancel,
	                             .abandon = t->abandon};
	char err[1024] = "";
	int rc = -1;
	if (t->kind == KIND_DB || t->kind == KIND_FILES) {
		struct backup_result r;
		rc = t->kind == KIND_DB ? backup_db(t->cfg, NULL, &hooks, &r)
		                        : backup_files(t->cfg, NULL, NULL, NULL, 0, &hooks, &r);
		job_set_result(job, "%s", r.message);
		char text[UI_DIALOG_TEXT];
		size_t used = (size_t)snprintf(text, sizeof(text), "%s\n", r.message);
		for (size_t i = 0; i < r.failures && used < sizeof(text); i++)
			used += (size_t)snprintf(text + used, sizeof(text) - used, "  failed: %s\n",
			                         r.failed[i]);
		task_set_text(t, text);
		backup_result_free(&r);
	} else if (t->kind == KIND_LIST) {
		char text[UI_DIALOG_TEXT];
		rc = task_list(t, text, sizeof(text), err, sizeof(err));
		task_set_text(t, rc == 0 ? text : err);
		job_set_result(job, "%s", rc == 0 ? "listed the backups" : err);
	} else {
		/* verify the newest complete database backup */
		struct backup_entry *e = NULL;
		size_t n = 0;
		char message[1200];
		if (backup_list(t->cfg, NULL, &e, &n, err, sizeof(err)) == 0) {
			size_t i = 0;
			while (i < n && !(e[i].complete && strcmp(e[i].kind, "db") == 0))
				i++;
			if (i < n)
				rc = backup_verify(t->cfg, NULL, e[i].key, &hooks, message,
				                   sizeof(message));
			else
				snprintf(message, sizeof(message),
				         "no complete database backup to verify");
			backup_entries_free(e, n);
		} else {
			snprintf(message, sizeof(message), "verify failed: %s", err);
		}
		task_set_text(t, message);
		job_set_result(job, "%s", message);
	}
	return rc == 0 ? 0 : -1;
}

static void task_free(void *arg)
{
	(void)arg; /* owned by the menu, freed after job_free */
}

/* ------------------------------------------------------------ menu */

struct backup_menu *backup_menu_new(const struct config *cfg, int wake_fd)
{
	struct backup_menu *m = xcalloc(1, sizeof(*m));
	m->cfg = cfg;
	m->wake_fd = wake_fd;
	pthread_mutex_init(&m->status_lock, NULL);
	return m;
}

static void *probe_main(void *arg)
{
	struct backup_menu *m = arg;
	struct backup_status st;
	backup_probe(m->cfg, &m->probe_cancel, &st);
	pthread_mutex_lock(&m->status_lock);
	m->status = st;
	pthread_mutex_unlock(&m->status_lock);
	atomic_store(&m->probe_running, false);
	return NULL;
}

/* Starts a listing when none runs and the last is old enough (or force). */
static void probe_maybe(struct backup_menu *m, bool force)
{
	if (!m->cfg->backup.target || !*m->cfg->backup.target || atomic_load(&m->probe_running))
		return;
	int64_t now = clock_monotonic_ms();
	if (!force && m->probe_at_ms && now - m->probe_at_ms < BACKUP_MENU_PROBE_MS)
		return;
	if (m->probe_started)
		pthread_join(m->probe_thread, NULL);
	m->probe_started = false;
	m->probe_at_ms = now;
	atomic_store(&m->probe_running, true);
	if (pthread_create(&m->probe_thread, NULL, probe_main, m) == 0)
		m->probe_started = true;
	else
		atomic_store(&m->probe_running, false);
}

void backup_menu_status(struct backup_menu *m, struct backup_status *out)
{
	pthread_mutex_lock(&m->status_lock);
	*out = m->status;
	pthread_mutex_unlock(&m->status_lock);
}

static void task_end(struct backup_menu *m)
{
	if (!m->task)
		return;
	job_free(m->task->job);
	pthread_mutex_destroy(&m->task->lock);
	free(m->task);
	m->task = NULL;
}

void backup_menu_set_abandon(struct backup_menu *m, const atomic_int *flag)
{
	m->abandon = flag;
}

void backup_menu_stop(struct backup_menu *m, char *result, size_t size)
{
	if (result && size)
		result[0] = '\0';
	if (!m->task)
		return;
	struct job_progress p;
	job_progress(m->task->job, &p);
	atomic_store(&m->task->cancel, 1);
	job_cancel(m->task->job);
	job_free(m->task->job);
	m->task->job = NULL;
	if (p.state == JOB_RUNNING && result && size) {
		pthread_mutex_lock(&m->task->lock);
		snprintf(result, size, "%s: %.*s", KIND_TITLES[m->task->kind],
		         (int)strcspn(m->task->text, "\n"), m->task->text);
		pthread_mutex_unlock(&m->task->lock);
	}
	task_end(m);
}

void backup_menu_free(struct backup_menu *m)
{
	if (!m)
		return;
	backup_menu_stop(m, NULL, 0);
	atomic_store(&m->probe_cancel, 1); /* a listing in flight stops at once */
	if (m->probe_started)
		pthread_join(m->probe_thread, NULL);
	pthread_mutex_destroy(&m->status_lock);
	free(m);
}

static void show_menu(struct backup_menu *m, struct ui_state *st)
{
	m->step = STEP_MENU;
	show(m, st, "d/f/l/v choose  Esc close",
	     "Target: %s\n\n"
	     "  d  back up the database (pg_dump, gzip, streamed to the target)\n"
	     "  f  back up the files of %s\n"
	     "  l  list the backups at the target\n"
	     "  v  verify the newest database backup (download, SHA-256, gunzip)\n",
	     target_text(m->cfg),
	     m->cfg->backup.files_source && *m->cfg->backup.files_source
	         ? m->cfg->backup.files_source
	         : "[backup] files_source (not configured)");
}

static void show_running(struct backup_menu *m, struct ui_state *st)
{
	struct job_progress p;
	job_progress(m->task->job, &p);
	char pct[32] = "";
	if (p.total)
		snprintf(pct, sizeof(pct), " (about %d%%)",
		         (int)(p.done * 100 / p.total > 99 ? 99 : p.done * 100 / p.total));
	show(m, st, "c cancel the backup  Esc hide (keeps running)", "%s to %s\n\n%s%s\n",
	     KIND_TITLES[m->kind], target_text(m->cfg), p.line[0] ? p.line : "starting", pct);
}

void backup_menu_open(struct backup_menu *m, struct ui_state *st)
{
	if (m->task && (m->step == STEP_RUNNING || m->step == STEP_CANCEL_ASK)) {
		m->step = STEP_RUNNING;
		show_running(m, st);
		return;
	}
	show_menu(m, st);
}

bool backup_menu_active(const struct backup_menu *m)
{
	return m->shown;
}

static void start(struct backup_menu *m, struct ui_state *st, struct activity_log *log)
{
	struct menu_task *t = xcalloc(1, sizeof(*t));
	t->cfg = m->cfg;
	t->kind = m->kind;
	t->abandon = m->abandon;
	pthread_mutex_init(&t->lock, NULL);
	m->task = t;
	/* the job's pointer is set by task_work too; set it here for polls */
	t->job = job_start(KIND_TITLES[m->kind], task_work, t, task_free, m->wake_fd);
	if (!t->job) {
		pthread_mutex_destroy(&t->lock);
		free(t);
		m->task = NULL;
		show(m, st, "Esc close", "cannot start a thread for %s", KIND_TITLES[m->kind]);
		m->step = STEP_DONE;
		return;
	}
	m->step = STEP_RUNNING;
	m->last_activity_ms = clock_monotonic_ms();
	activity_add(log, clock_wall_ms(), UI_NORMAL, "%s to %s started", KIND_TITLES[m->kind],
	             target_text(m->cfg));
	show_running(m, st);
}

static void confirm(struct backup_menu *m, struct ui_state *st, enum menu_kind kind)
{
	m->kind = kind;
	if (!m->cfg->backup.target || !*m->cfg->backup.target) {
		m->step = STEP_DONE;
		show(m, st, "Esc close",
		     "No backup target: set [backup] target in the "
		     "configuration (s3://bucket/prefix or file:///dir).");
		return;
	}
	if (kind == KIND_LIST) {
		m->step = STEP_CONFIRM;
		return; /* no confirmation for reading */
	}
	m->step = STEP_CONFIRM;
	const char *what = kind == KIND_DB      ? "Back up the database"
	                   : kind == KIND_FILES ? "Back up the files of [backup] files_source"
	                                        : "Download and verify the newest backup";
	show(m, st, "y start  Esc back", "%s\n\nto: %s\n\nStart? (y / Esc)", what,
	     target_text(m->cfg));
}

void backup_menu_key(struct backup_menu *m, const struct ui_key_event *ev, struct ui_state *st,
                     struct activity_log *log)
{
	bool esc = ev->key == UI_KEY_ESCAPE;
	unsigned int ch = ev->key == UI_KEY_CHAR ? ev->ch : 0;
	if (ev->key == UI_KEY_UP || ev->key == UI_KEY_DOWN) {
		st->dialog_scroll += ev->key == UI_KEY_UP ? -1 : 1;
		if (st->dialog_scroll < 0)
			st->dialog_scroll = 0;
		return;
	}
	switch (m->step) {
	case STEP_MENU:
		if (esc || ch == 'q') {
			m->step = STEP_IDLE;
			hide(m, st);
		} else if (ch == 'd' || ch == 'f' || ch == 'l' || ch == 'v') {
			confirm(m, st,
			        ch == 'd'   ? KIND_DB
			        : ch == 'f' ? KIND_FILES
			        : ch == 'l' ? KIND_LIST
			                    : KIND_VERIFY);
			if (m->step == STEP_CONFIRM && m->kind == KIND_LIST)
				start(m, st, log);
		}
		break;
	case STEP_CONFIRM:
		if (ch == 'y' || ch == 'Y')
			start(m, st, log);
		else if (esc || ch == 'n')
			show_menu(m, st);
		break;
	case STEP_RUNNING:
		if (ch == 'c') {
			m->step = STEP_CANCEL_ASK;
			show(m, st, "y cancel it  n/Esc keep running",
			     "Cancel the running %s?\n\npg_dump is stopped and the upload aborted: "
			     "nothing is left at the target.\n\nCancel? (y / n)",
			     KIND_TITLES[m->kind]);
		} else if (esc || ch == 'q') {
			hide(m, st);
		}
		break;
	case STEP_CANCEL_ASK:
		if (ch == 'y' || ch == 'Y') {
			if (m->task) {
				atomic_store(&m->task->cancel, 1);
				job_cancel(m->task->job);
			}
			m->step = STEP_RUNNING;
			activity_add(log, clock_wall_ms(), UI_WARNING,
			             "%s: cancel asked by the operator", KIND_TITLES[m->kind]);
			show_running(m, st);
		} else if (esc || ch == 'n') {
			m->step = STEP_RUNNING;
			show_running(m, st);
		}
		break;
	case STEP_DONE:
	case STEP_IDLE:
	default:
		if (esc || ch == 'q' || ev->key == UI_KEY_ENTER) {
			m->step = STEP_IDLE;
			hide(m, st);
		}
		break;
	}
}

void backup_menu_poll(struct backup_menu *m, struct ui_state *st, struct activity_log *log)
{
	probe_maybe(m, false);
	if (!m->task)
		return;
	struct job_progress p;
	job_progress(m->task->job, &p);
	if (p.state == JOB_RUNNING) {
		notice(st, "%s: %s", KIND_TITLES[m->kind], p.line);
		int64_t now = clock_monotonic_ms();
		if (now - m->last_activity_ms >= ACTIVITY_EVERY_MS && p.line[0]) {
			m->last_activity_ms = now;
			activity_add(log, clock_wall_ms(), UI_DIM, "%s: %s", KIND_TITLES[m->kind],
			             p.line);
		}
		if (m->shown && m->step == STEP_RUNNING)
			show_running(m, st);
		return;
	}
	/* finished: the result to Activity, the dialog and the key bar */
	enum ui_element el = p.state == JOB_OK ? UI_OK : UI_CRITICAL;
	activity_add(log, clock_wall_ms(), el, "%s: %s", KIND_TITLES[m->kind], p.result);
	notice(st, "%s: %s", KIND_TITLES[m->kind],
	       p.state == JOB_OK ? "done" : "FAILED (see Activity)");
	pthread_mutex_lock(&m->task->lock);
	text_copy(m->result, m->task->text, sizeof(m->result));
	pthread_mutex_unlock(&m->task->lock);
	bool was_backup = m->kind == KIND_DB || m->kind == KIND_FILES;
	task_end(m);
	if (was_backup)
		probe_maybe(m, true); /* the diagnosis sees the new backup */
	m->step = STEP_DONE;
	if (m->shown)
		show(m, st, "Esc close  Up/Down scroll", "%s", m->result);
	else
		m->step = STEP_IDLE;
}
