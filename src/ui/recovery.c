/* recovery.c - guided recovery in the dashboard (see recovery.h): the jobs
 * behind the steps of recovery_dialog.c.
 *
 * The task a job works on is shared with the UI thread: the output it
 * accumulates is under the task's mutex; everything else is written by the
 * worker before it returns and read by the UI only after the job ended.
 */
#include "ui/recovery.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "job/actions.h"
#include "job/runner.h"
#include "ui/recovery_dialog.h"
#include "util/clock.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

#define OUTPUT_CAP 65536

/* What a job works on. */
struct recovery_task {
	const struct config *cfg;
	const struct action *action;
	int pid;
	int64_t backend_start_us; /* terminate-blocker: the backend shown; the dry
	                             run sets it (and pid) for the run */
	bool dry_run;
	bool list_sessions; /* only list the app's busy sessions (the pid step) */
	char focus_id[64];
	struct snapshot before;
	struct diagnosis before_issues;
	pthread_mutex_t lock;
	struct strbuf output; /* under lock */
	/* written by the worker before it returns */
	enum action_status status;
	char err[512];
	char summary[256];
	char *recheck; /* before -> after lines, or NULL */
	int still_present;
	struct action_session sessions[RECOVERY_PICK_SESSIONS];
	int session_count; /* -1: the listing failed (err) */
};

struct recovery {
	const struct config *cfg;
	int wake_fd;
	struct recovery_dialog dialog;
	struct snapshot *before;
	struct diagnosis *before_issues;
	struct job *job;
	struct recovery_task *task;
	/* Jobs the operator walked away from (Esc during a dry run or the pid
	 * listing) that were still waiting on a backend: reaped by
	 * recovery_poll once they end, so Esc never waits on the network. */
	struct {
		struct job *job;
		struct recovery_task *task;
	} abandoned[8];
	int abandoned_count;
};

/* ------------------------------------------------------------ the task */

static void task_line(const char *line, void *arg)
{
	struct recovery_task *t = arg;
	pthread_mutex_lock(&t->lock);
	strbuf_puts(&t->output, line);
	strbuf_putc(&t->output, '\n');
	pthread_mutex_unlock(&t->lock);
}

static int task_work(struct job *job, void *arg)
{
	struct recovery_task *t = arg;
	if (t->list_sessions) {
		t->session_count = action_list_sessions(t->cfg, t->sessions, RECOVERY_PICK_SESSIONS,
		                                        t->err, sizeof(t->err));
		return t->session_count < 0 ? -1 : 0;
	}
	struct strbuf out;
	strbuf_init(&out, 0);
	struct action_recheck recheck = {
	    .probe = check_probe_every_poll,
	    .before = &t->before,
	    .before_issues = &t->before_issues,
	    .focus_id = t->focus_id,
	    .attempts = 3,
	    .out = &out,
	};
	struct action_run run = {
	    .cfg = t->cfg,
	    .pid = t->pid,
	    .backend_start_us = t->backend_start_us,
	    .job = job,
	    /* so that Esc or a signal stops a running restart_command too */
	    .cancel = job_cancel_flag(job),
	    .on_line = task_line,
	    .on_line_arg = t,
	    .recheck = t->dry_run ? NULL : &recheck,
	};
	t->status = action_execute(t->action, &run, t->dry_run, t->err, sizeof(t->err));
	t->pid = run.pid;
	t->backend_start_us = run.backend_start_us;
	text_copy(t->summary, run.summary, sizeof(t->summary));
	bool went_through = t->status == ACTION_OK || t->status == ACTION_STILL_PRESENT;
	if (went_through && !t->dry_run) {
		t->still_present = recheck.still_present;
		t->recheck = strbuf_take(&out);
	}
	strbuf_free(&out);
	if (went_through)
		job_set_result(job, "%s", t->summary);
	else
		job_set_result(job, "%s", t->err);
	return went_through ? 0 : -1;
}

static void task_free(struct recovery_task *t)
{
	if (!t)
		return;
	pthread_mutex_destroy(&t->lock);
	strbuf_free(&t->output);
	free(t->recheck);
	free(t);
}

/* The task's output so far (allocated). */
static char *task_output(struct recovery_task *t)
{
	pthread_mutex_lock(&t->lock);
	char *text = xstrdup(strbuf_str(&t->output));
	pthread_mutex_unlock(&t->lock);
	return text;
}

/* ------------------------------------------------------------ state */

struct recovery *recovery_new(const struct config *cfg, int wake_fd)
{
	struct recovery *r = xcalloc(1, sizeof(*r));
	r->cfg = cfg;
	r->wake_fd = wake_fd;
	r->before = xmalloc(sizeof(*r->before));
	r->before_issues = xmalloc(sizeof(*r->before_issues));
	return r;
}

/* Frees the abandoned jobs that have ended; with `wait`, all of them. */
static void recovery_reap(struct recovery *r, bool wait)
{
	int kept = 0;
	for (int i = 0; i < r->abandoned_count; i++) {
		struct job_progress p;
		job_progress(r->abandoned[i].job, &p);
		if (p.state == JOB_RUNNING && !wait) {
			r->abandoned[kept++] = r->abandoned[i];
			continue;
		}
		job_free(r->abandoned[i].job);
		task_free(r->abandoned[i].task);
	}
	r->abandoned_count = kept;
}

static void recovery_end_job(struct recovery *r)
{
	if (r->job) {
		job_cancel(r->job);
		struct job_progress p;
		job_progress(r->job, &p);
		int n = sizeof(r->abandoned) / sizeof(r->abandoned[0]);
		if (p.state == JOB_RUNNING && r->abandoned_count < n) {
			r->abandoned[r->abandoned_count].job = r->job;
			r->abandoned[r->abandoned_count].task = r->task;
			r->abandoned_count++;
			r->job = NULL;
			r->task = NULL;
			return;
		}
		job_free(r->job);
		r->job = NULL;
	}
	task_free(r->task);
	r->task = NULL;
}

void recovery_free(struct recovery *r)
{
	if (!r)
		return;
	recovery_end_job(r);
	recovery_reap(r, true);
	free(r->before);
	free(r->before_issues);
	free(r);
}

bool recovery_active(const struct recovery *r)
{
	return r->dialog.step != RECOVERY_STEP_NONE;
}

bool recovery_running(const struct recovery *r)
{
	return r->job != NULL || r->abandoned_count > 0;
}

static void recovery_close(struct recovery *r, struct ui_state *st)
{
	recovery_end_job(r);
	recovery_dialog_close(&r->dialog, st);
}

/* Fills the dialog for the current step, with the job's output so far. */
static void recovery_render(struct recovery *r, struct ui_state *st)
{
	struct recovery_task *t = r->task;
	char *output = t ? task_output(t) : NULL;
	struct recovery_job_view job = {
	    .present = t != NULL,
	    .output = output,
	    .ok = t && (t->status == ACTION_OK || t->status == ACTION_STILL_PRESENT),
	    .still_present = t && t->status == ACTION_STILL_PRESENT,
	    .summary = t ? t->summary : "",
	    .err = t ? t->err : "",
	    .recheck = t ? t->recheck : NULL,
	};
	recovery_dialog_render(&r->dialog, &job, st);
	free(output);
}

/* Starts the dry run or the run as a job. */
static int recovery_start(struct recovery *r, bool dry_run, bool list_sessions,
                          struct activity_log *log)
{
	const struct recovery_dialog *d = &r->dialog;
	recovery_end_job(r);
	struct recovery_task *t = xcalloc(1, sizeof(*t));
	t->cfg = r->cfg;
	t->action = d->action;
	t->pid = d->action->needs & (ACTION_NEEDS_PID | ACTION_TAKES_PID) ? d->pid : 0;
	t->backend_start_us = d->action->needs & ACTION_TAKES_PID ? d->backend_start_us : 0;
	t->dry_run = dry_run;
	t->list_sessions = list_sessions;
	text_copy(t->focus_id, d->issue_id, sizeof(t->focus_id));
	t->before = *r->before;
	t->before_issues = *r->before_issues;
	pthread_mutex_init(&t->lock, NULL);
	strbuf_init(&t->output, OUTPUT_CAP);
	r->task = t;
	r->job = job_start(d->action->name, task_work, t, NULL, r->wake_fd);
	if (!r->job) {
		activity_add(log, clock_wall_ms(), UI_CRITICAL, "recovery: cannot start %s",
		             d->action->name);
		return -1;
	}
	if (!dry_run && !list_sessions)
		activity_add(log, clock_wall_ms(), UI_WARNING, "recovery: %s started%s%s",
		             d->action->name, d->issue_id[0] ? " for " : "", d->issue_id);
	return 0;
}

/* The dialog just opened: keeps the "before" of the re-check, starts the
 * dry run when the dialog opened at it, and draws. */
static void recovery_begin(struct recovery *r, const struct snapshot *snap,
                           const struct diagnosis *diag, struct ui_state *st,
                           struct activity_log *log)
{
	*r->before = *snap;
	*r->before_issues = *diag;
	if (r->dialog.step == RECOVERY_STEP_PREVIEW && recovery_start(r, true, false, log) < 0)
		recovery_dialog_start_failed(&r->dialog);
	recovery_render(r, st);
}

int recovery_open(struct recovery *r, const struct issue *issue, const struct snapshot *snap,
                  const struct diagnosis *diag, struct ui_state *st, struct activity_log *log,
                  char *msg, size_t msglen)
{
	recovery_end_job(r);
	if (recovery_dialog_open(&r->dialog, r->cfg, issue, msg, msglen) < 0)
		return -1;
	recovery_begin(r, snap, diag, st, log);
	return 0;
}

int recovery_open_pid(struct recovery *r, const char *action, int pid, const struct issue *issue,
                      const struct snapshot *snap, const struct diagnosis *diag,
                      struct ui_state *st, struct activity_log *log, char *msg, size_t msglen)
{
	const struct action *a = action_find(action);
	if (a == NULL) {
		snprintf(msg, msglen, "no action %s", action);
		return -1;
	}
	recovery_end_job(r);
	if (recovery_dialog_open_pid(&r->dialog, r->cfg, a, pid, issue, msg, msglen) < 0)
		return -1;
	recovery_begin(r, snap, diag, st, log);
	return 0;
}

/* The operator backed off the dry run or the confirmation: on Activity
 * and, once the dry run was shown, in the audit log (a local append, as
 * quick as the Activity line). */
static void recovery_cancel(struct recovery *r, struct ui_state *st, struct activity_log *log)
{
	const struct recovery_dialog *d = &r->dialog;
	activity_add(log, clock_wall_ms(), UI_NORMAL, "recovery: %s cancelled by the operator",
	             d->action->name);
	if (d->step == RECOVERY_STEP_CONFIRM) {
		char err[512];
		struct action_run run = {.cfg = r->cfg, .pid = d->pid};
		if (action_record_declined(d->action, &run, err, sizeof(err)) != 0)
			activity_add(log, clock_wall_ms(), UI_WARNING,
			             "recovery: the audit log was not written: %s", err);
	}
	recovery_close(r, st);
}

void recovery_key(struct recovery *r, const struct ui_key_event *ev, struct ui_state *st,
                  struct activity_log *log)
{
	struct recovery_dialog *d = &r->dialog;
	enum recovery_effect effect = recovery_dialog_key(d, ev, st);
	switch (effect) {
	case RECOVERY_EFFECT_KEEP:
		return;
	case RECOVERY_EFFECT_CLOSE:
		recovery_close(r, st);
		return;
	case RECOVERY_EFFECT_CANCEL:
		recovery_cancel(r, st, log);
		return;
	case RECOVERY_EFFECT_LIST_SESSIONS:
	case RECOVERY_EFFECT_DRY_RUN:
	case RECOVERY_EFFECT_RUN:
		if (recovery_start(r, effect != RECOVERY_EFFECT_RUN,
		                   effect == RECOVERY_EFFECT_LIST_SESSIONS, log) < 0)
			recovery_dialog_start_failed(d);
		break;
	case RECOVERY_EFFECT_STOP:
		if (r->job) {
			job_cancel(r->job);
			snprintf(st->message, sizeof(st->message),
			         "stopping %s after its current step", d->action->name);
		}
		break;
	case RECOVERY_EFFECT_NONE:
		break;
	}
	recovery_render(r, st);
}

bool recovery_poll(struct recovery *r, struct ui_state *st, struct activity_log *log)
{
	struct recovery_dialog *d = &r->dialog;
	recovery_reap(r, false);
	if (!r->job || (d->step != RECOVERY_STEP_PREVIEW && d->step != RECOVERY_STEP_RUN &&
	                d->step != RECOVERY_STEP_PID))
		return false;
	struct job_progress p;
	job_progress(r->job, &p);
	if (p.state == JOB_RUNNING) {
		recovery_render(r, st);
		return false;
	}
	job_free(r->job);
	r->job = NULL;
	struct recovery_task *t = r->task;
	if (d->step == RECOVERY_STEP_PID) {
		recovery_dialog_sessions(d, t->sessions, t->session_count, t->err);
		recovery_render(r, st);
		return false;
	}
	bool was_run = d->step == RECOVERY_STEP_RUN;
	int64_t now = clock_wall_ms();
	bool went_through = t->status == ACTION_OK || t->status == ACTION_STILL_PRESENT;
	if (!was_run && went_through && (d->action->needs & ACTION_TAKES_PID)) {
		/* the run acts on what the dry run showed, or refuses */
		d->pid = t->pid;
		d->backend_start_us = t->backend_start_us;
	}
	recovery_dialog_job_ended(d, went_through);
	if (!was_run) {
		if (!went_through)
			activity_add(log, now, UI_CRITICAL, "recovery: %s dry run failed: %s",
			             d->action->name, t->err);
		else if (d->step == RECOVERY_STEP_READ_ONLY)
			activity_add(log, now, UI_NORMAL,
			             "recovery: %s dry run shown, not run (read-only mode)",
			             d->action->name);
		recovery_render(r, st);
		return false;
	}
	if (went_through)
		activity_add(log, now, t->still_present ? UI_WARNING : UI_OK, "recovery: %s %s: %s",
		             d->action->name, action_status_outcome(t->status), t->summary);
	else
		activity_add(log, now, UI_CRITICAL, "recovery: %s %s: %s", d->action->name,
		             t->status == ACTION_CANCELLED ? "stopped" : "failed", t->err);
	/* One Activity line per re-checked issue. */
	for (const char *p2 = t->recheck; p2 && *p2;) {
		size_t n = strcspn(p2, "\n");
		if (strncmp(p2, "  now:", 6) != 0)
			activity_add(log, now, t->still_present ? UI_WARNING : UI_OK,
			             "re-check: %.*s", (int)n, p2);
		p2 += n;
		if (*p2 == '\n')
			p2++;
	}
	recovery_render(r, st);
	return true;
}
