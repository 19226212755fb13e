/* backup_menu.c - the dashboard's backup menu (see backup_menu.h): the jobs
 * behind the steps of backup_dialog.c. */
#include "ui/backup_menu.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job/backup.h"
#include "job/drill_state.h"
#include "job/runner.h"
#include "model/snapshot.h"
#include "ui/backup_dialog.h"
#include "ui/restore_menu.h"
#include "util/clock.h"
#include "util/text.h"
#include "util/xalloc.h"

#define ACTIVITY_EVERY_MS 10000

struct menu_task {
	const struct config *cfg;
	enum backup_kind kind;
	struct job *job;
	atomic_int cancel;
	const atomic_int *abandon; /* may be NULL */
	pthread_mutex_t lock;
	char text[UI_DIALOG_TEXT]; /* list / verify output */
};

struct backup_menu {
	const struct config *cfg;
	int wake_fd;
	struct backup_dialog dialog;
	struct menu_task *task;
	struct restore_menu *restore; /* r: Restore… */
	int64_t last_activity_ms;
	char result[UI_DIALOG_TEXT];
	/* the periodic listing for the diagnosis */
	pthread_mutex_t status_lock;
	struct backup_status status;
	struct drill_status drill; /* the last drill, read with the listing */
	pthread_t probe_thread;
	bool probe_started; /* a thread to join */
	atomic_bool probe_running;
	atomic_int probe_cancel; /* set when the menu is freed */
	int64_t probe_at_ms;     /* monotonic, of the last start; 0: never */
	const atomic_int *abandon;
};

/* The key bar's notice; long lines are cut. */
static void notice(struct ui_state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void notice(struct ui_state *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st->message, sizeof(st->message), fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------ the job */

static void task_progress(void *ctx, const struct backup_progress *p)
{
	struct menu_task *t = ctx;
	char line[200];
	if (p->files_total)
		snprintf(line, sizeof(line), "%s: %llu/%llu %s, %.1f MB in, %.1f MB stored",
		         p->phase, (unsigned long long)p->files_done,
		         (unsigned long long)p->files_total,
		         text_plural((int64_t)p->files_total, "file", "files"),
		         (double)p->bytes_in / 1e6, (double)p->bytes_out / 1e6);
	else if (strcmp(p->phase, "verifying") == 0)
		snprintf(line, sizeof(line), "verifying: %.1f of %.1f MB downloaded",
		         (double)p->bytes_in / 1e6, (double)p->total / 1e6);
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
	                               backup_dialog_target(t->cfg));
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
	if (t->kind == BACKUP_KIND_DB || t->kind == BACKUP_KIND_FILES) {
		struct backup_result r;
		rc = t->kind == BACKUP_KIND_DB
		         ? backup_db(t->cfg, NULL, &hooks, &r)
		         : backup_files(t->cfg, NULL, NULL, NULL, 0, &hooks, &r);
		job_set_result(job, "%s", r.message);
		char text[UI_DIALOG_TEXT];
		size_t used = (size_t)snprintf(text, sizeof(text), "%s\n", r.message);
		for (size_t i = 0; i < r.failures && used < sizeof(text); i++)
			used += (size_t)snprintf(text + used, sizeof(text) - used, "  failed: %s\n",
			                         r.failed[i]);
		task_set_text(t, text);
		backup_result_free(&r);
	} else if (t->kind == BACKUP_KIND_LIST) {
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
	m->dialog.cfg = cfg;
	m->restore = restore_menu_new(cfg, wake_fd);
	pthread_mutex_init(&m->status_lock, NULL);
	return m;
}

static void *probe_main(void *arg)
{
	struct backup_menu *m = arg;
	struct backup_status st;
	struct drill_status drill;
	backup_status_probe(m->cfg, &m->probe_cancel, &st);
	drill_state_read(m->cfg, &drill);
	pthread_mutex_lock(&m->status_lock);
	m->status = st;
	m->drill = drill;
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
		snprintf(result, size, "%s: %.*s", backup_kind_title(m->task->kind),
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
	restore_menu_free(m->restore);
	atomic_store(&m->probe_cancel, 1); /* a listing in flight stops at once */
	if (m->probe_started)
		pthread_join(m->probe_thread, NULL);
	pthread_mutex_destroy(&m->status_lock);
	free(m);
}

static void show_running(struct backup_menu *m, struct ui_state *st)
{
	struct job_progress p;
	job_progress(m->task->job, &p);
	backup_dialog_running(&m->dialog, st, p.line, p.done, p.total);
}

void backup_menu_open(struct backup_menu *m, struct ui_state *st)
{
	struct backup_dialog *d = &m->dialog;
	if (restore_menu_running(m->restore)) {
		d->step = BACKUP_STEP_RESTORE;
		d->shown = true;
		restore_menu_open(m->restore, st);
		return;
	}
	if (m->task && (d->step == BACKUP_STEP_RUNNING || d->step == BACKUP_STEP_CANCEL_ASK)) {
		d->step = BACKUP_STEP_RUNNING;
		show_running(m, st);
		return;
	}
	pthread_mutex_lock(&m->status_lock);
	backup_dialog_last(&m->status, &m->drill, clock_wall_ms(), d->last, sizeof(d->last));
	pthread_mutex_unlock(&m->status_lock);
	backup_dialog_menu(d, st);
}

bool backup_menu_active(const struct backup_menu *m)
{
	return m->dialog.shown;
}

bool backup_menu_running(const struct backup_menu *m)
{
	return m->task != NULL || restore_menu_running(m->restore);
}

static void start(struct backup_menu *m, struct ui_state *st, struct activity_log *log)
{
	struct backup_dialog *d = &m->dialog;
	const char *title = backup_kind_title(d->kind);
	struct menu_task *t = xcalloc(1, sizeof(*t));
	t->cfg = m->cfg;
	t->kind = d->kind;
	t->abandon = m->abandon;
	pthread_mutex_init(&t->lock, NULL);
	m->task = t;
	/* the job's pointer is set by task_work too; set it here for polls */
	t->job = job_start(title, task_work, t, task_free, m->wake_fd);
	if (!t->job) {
		pthread_mutex_destroy(&t->lock);
		free(t);
		m->task = NULL;
		backup_dialog_show(d, st, "Esc close", "cannot start a thread for %s", title);
		d->step = BACKUP_STEP_DONE;
		return;
	}
	d->step = BACKUP_STEP_RUNNING;
	m->last_activity_ms = clock_monotonic_ms();
	activity_add(log, clock_wall_ms(), UI_NORMAL, "%s to %s started", title,
	             backup_dialog_target(m->cfg));
	show_running(m, st);
}

/* A key for Restore…; leaving it shows the menu again, hiding it (a
 * restore running) takes the dialog off the screen. */
static void restore_key(struct backup_menu *m, const struct ui_key_event *ev, struct ui_state *st,
                        struct activity_log *log)
{
	bool hidden = false;
	if (restore_menu_key(m->restore, ev, st, log, &hidden))
		return;
	if (hidden) {
		backup_dialog_hide(&m->dialog, st);
		return;
	}
	st->dialog_scroll = 0;
	backup_dialog_menu(&m->dialog, st);
}

void backup_menu_key(struct backup_menu *m, const struct ui_key_event *ev, struct ui_state *st,
                     struct activity_log *log)
{
	if (m->dialog.step == BACKUP_STEP_RESTORE) {
		restore_key(m, ev, st, log);
		return;
	}
	switch (backup_dialog_key(&m->dialog, ev, st)) {
	case BACKUP_EFFECT_RESTORE:
		restore_menu_open(m->restore, st);
		break;
	case BACKUP_EFFECT_NONE:
		break;
	case BACKUP_EFFECT_START:
		start(m, st, log);
		break;
	case BACKUP_EFFECT_CANCEL_JOB:
		if (m->task) {
			atomic_store(&m->task->cancel, 1);
			job_cancel(m->task->job);
		}
		activity_add(log, clock_wall_ms(), UI_WARNING, "%s: cancel asked by the operator",
		             backup_kind_title(m->dialog.kind));
		show_running(m, st);
		break;
	case BACKUP_EFFECT_SHOW_RUNNING:
		show_running(m, st);
		break;
	}
}

void backup_menu_poll(struct backup_menu *m, struct ui_state *st, struct activity_log *log)
{
	probe_maybe(m, false);
	restore_menu_poll(m->restore, st, log);
	if (!m->task)
		return;
	struct job_progress p;
	job_progress(m->task->job, &p);
	if (p.state == JOB_RUNNING) {
		notice(st, "%s: %s", backup_kind_title(m->dialog.kind), p.line);
		int64_t now = clock_monotonic_ms();
		if (now - m->last_activity_ms >= ACTIVITY_EVERY_MS && p.line[0]) {
			m->last_activity_ms = now;
			activity_add(log, clock_wall_ms(), UI_DIM, "%s: %s",
			             backup_kind_title(m->dialog.kind), p.line);
		}
		if (m->dialog.shown && m->dialog.step == BACKUP_STEP_RUNNING)
			show_running(m, st);
		return;
	}
	/* finished: the result to Activity, the dialog and the key bar */
	enum ui_element el = p.state == JOB_OK ? UI_OK : UI_CRITICAL;
	activity_add(log, clock_wall_ms(), el, "%s: %s", backup_kind_title(m->dialog.kind),
	             p.result);
	notice(st, "%s: %s", backup_kind_title(m->dialog.kind),
	       p.state == JOB_OK ? "done" : "FAILED (see Activity)");
	pthread_mutex_lock(&m->task->lock);
	text_copy(m->result, m->task->text, sizeof(m->result));
	pthread_mutex_unlock(&m->task->lock);
	bool was_backup = m->dialog.kind == BACKUP_KIND_DB || m->dialog.kind == BACKUP_KIND_FILES;
	task_end(m);
	if (was_backup)
		probe_maybe(m, true); /* the diagnosis sees the new backup */
	m->dialog.step = BACKUP_STEP_DONE;
	if (m->dialog.shown)
		backup_dialog_show(&m->dialog, st, "Esc close", "%s", m->result);
	else
		m->dialog.step = BACKUP_STEP_IDLE;
}
