/* recovery.c - guided recovery in the dashboard (see recovery.h).
 *
 * States: CHOOSE (the issue's actions, availability shown) → PID (for
 * cancel-query/terminate-query) → PREVIEW (the dry run as a job) → CONFIRM
 * (the name typed, or y/N) → RUN (the action and the re-check as a job) →
 * DONE. The task a job works on is shared with the UI thread: the output
 * it accumulates is under the task's mutex; everything else is written by
 * the worker before it returns and read by the UI only after the job ended.
 */
#include "ui/recovery.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "job/actions.h"
#include "job/recheck.h"
#include "job/runner.h"
#include "util/clock.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

#define OUTPUT_CAP 65536
/* Output lines shown while a job runs (the newest). */
#define LIVE_LINES 14
/* Sessions offered for cancel-query / terminate-query. */
#define PICK_SESSIONS 12

enum recovery_step {
	STEP_NONE = 0,
	STEP_CHOOSE,
	STEP_PID,
	STEP_PREVIEW,
	STEP_CONFIRM,
	STEP_RUN,
	STEP_DONE,
};

/* What a job works on. */
struct recovery_task {
	const struct config *cfg;
	const struct action *action;
	int pid;
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
	struct action_session sessions[PICK_SESSIONS];
	int session_count; /* -1: the listing failed (err) */
};

struct recovery {
	const struct config *cfg;
	int wake_fd;
	enum recovery_step step;
	char issue_id[64];
	char issue_message[256];
	const struct action *choices[ISSUE_MAX_ACTIONS + 2];
	int choice_count;
	int selected;
	const struct action *action;
	int pid;          /* for cancel-query / terminate-query */
	char input[64];   /* the pid or the typed confirmation being typed */
	char notice[256]; /* one line under the prompt */
	struct action_session sessions[PICK_SESSIONS]; /* the pid step's choices */
	int session_count;                             /* -1 while listing */
	int session_selected;
	char sessions_err[256];
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
		t->session_count = action_list_sessions(t->cfg, t->sessions, PICK_SESSIONS, t->err,
		                                        sizeof(t->err));
		return t->session_count < 0 ? -1 : 0;
	}
	struct action_run run = {
	    .cfg = t->cfg,
	    .pid = t->pid,
	    .job = job,
	    /* so that Esc or a signal stops a running restart_command too */
	    .cancel = job_cancel_flag(job),
	    .on_line = task_line,
	    .on_line_arg = t,
	};
	t->status = action_execute(t->action, &run, t->dry_run, t->err, sizeof(t->err));
	text_copy(t->summary, run.summary, sizeof(t->summary));
	if (!t->dry_run && t->status == ACTION_OK) {
		struct strbuf out;
		strbuf_init(&out, 0);
		job_report(job, run.done, 0, "re-checking");
		t->still_present = recheck_run(t->cfg, check_probe_every_poll, t->action->name,
		                               t->focus_id, &t->before, &t->before_issues, 3, &out);
		t->recheck = strbuf_take(&out);
	}
	if (t->status == ACTION_OK)
		job_set_result(job, "%s", t->summary);
	else
		job_set_result(job, "%s", t->err);
	return t->status == ACTION_OK ? 0 : -1;
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
	return r->step != STEP_NONE;
}

static void recovery_close(struct recovery *r, struct ui_state *st)
{
	recovery_end_job(r);
	r->step = STEP_NONE;
	st->dialog = DIALOG_NONE;
	st->dialog_footer[0] = '\0';
}

/* Appends the last `lines` lines of text to b. */
static void tail_lines(struct strbuf *b, const char *text, int lines)
{
	int count = 0;
	for (const char *p = text; *p; p++)
		if (*p == '\n')
			count++;
	const char *start = text;
	for (int skip = count - lines; skip > 0 && *start; start++)
		if (*start == '\n')
			skip--;
	if (start != text)
		strbuf_puts(b, "...\n");
	strbuf_puts(b, start);
}

/* Fills the dialog for the current step. */
static void recovery_render(struct recovery *r, struct ui_state *st)
{
	struct strbuf b;
	strbuf_init(&b, UI_DIALOG_TEXT - 1);
	char *output = r->task ? task_output(r->task) : NULL;
	const char *name = r->action ? r->action->name : "";
	st->dialog = DIALOG_TEXT;
	st->dialog_scroll = 0;
	if (r->issue_message[0])
		strbuf_printf(&b, "Issue: %s\n\n", r->issue_message);
	switch (r->step) {
	case STEP_NONE:
		break;
	case STEP_CHOOSE:
		snprintf(st->dialog_title, sizeof(st->dialog_title), "Recovery: choose an action");
		for (int i = 0; i < r->choice_count; i++) {
			const struct action *a = r->choices[i];
			char why[256];
			bool ok = action_available(a, r->cfg, why, sizeof(why));
			strbuf_printf(&b, "%s %d) %s%s: %s\n", i == r->selected ? ">" : " ", i + 1,
			              a->name, a->destructive ? " [destructive]" : "", a->summary);
			if (!ok)
				strbuf_printf(&b, "      not available: %s\n", why);
		}
		snprintf(st->dialog_footer, sizeof(st->dialog_footer),
		         "Up/Down select  Enter dry run  Esc cancel");
		break;
	case STEP_PID:
		snprintf(st->dialog_title, sizeof(st->dialog_title), "Recovery: %s", name);
		strbuf_printf(&b,
		              "%s acts on one session of the app's. opsdeck's own session, "
		              "superusers' and replication sessions are never touched.\n\n",
		              name);
		if (r->session_count < 0)
			strbuf_puts(&b, "Listing the app's busy sessions...\n");
		else if (r->sessions_err[0])
			strbuf_printf(&b, "Cannot list the sessions: %s\n", r->sessions_err);
		else if (r->session_count == 0)
			strbuf_puts(&b, "None of the app's sessions is busy right now.\n");
		else
			strbuf_printf(&b, "  %-8s %-8s %-20s %s\n", "pid", "age", "state", "query");
		for (int i = 0; i < r->session_count; i++) {
			const struct action_session *se = &r->sessions[i];
			char age[32];
			text_format_duration(age, sizeof(age), se->age_ms);
			strbuf_printf(&b, "%s %-8d %-8s %-20s %.60s\n",
			              i == r->session_selected ? ">" : " ", se->pid, age, se->state,
			              se->query);
		}
		strbuf_printf(&b, "\nPID: %s_", r->input);
		snprintf(st->dialog_footer, sizeof(st->dialog_footer),
		         "Up/Down pick  digits type  Enter dry run  Esc cancel");
		break;
	case STEP_PREVIEW:
		snprintf(st->dialog_title, sizeof(st->dialog_title), "Recovery: %s (dry run)",
		         name);
		strbuf_puts(&b, "Dry run: what it would touch...\n\n");
		if (output)
			tail_lines(&b, output, LIVE_LINES);
		snprintf(st->dialog_footer, sizeof(st->dialog_footer), "Esc cancel");
		break;
	case STEP_CONFIRM:
		snprintf(st->dialog_title, sizeof(st->dialog_title), "Recovery: %s (dry run)",
		         name);
		strbuf_puts(&b, output ? output : "");
		if (r->action->destructive)
			strbuf_printf(&b, "\n%s is destructive. Type its name to run it:\n> %s_\n",
			              name, r->input);
		else
			strbuf_printf(&b, "\nRun %s? y/N\n", name);
		if (r->notice[0])
			strbuf_printf(&b, "%s\n", r->notice);
		snprintf(st->dialog_footer, sizeof(st->dialog_footer), "%s",
		         r->action->destructive ? "Enter run  Esc cancel" : "y run  n/Esc cancel");
		break;
	case STEP_RUN:
		snprintf(st->dialog_title, sizeof(st->dialog_title), "Recovery: %s (running)",
		         name);
		strbuf_printf(&b, "Running %s...\n\n", name);
		if (output)
			tail_lines(&b, output, LIVE_LINES);
		snprintf(st->dialog_footer, sizeof(st->dialog_footer), "Esc stop");
		break;
	case STEP_DONE: {
		struct recovery_task *t = r->task;
		snprintf(st->dialog_title, sizeof(st->dialog_title), "Recovery: %s (%s)", name,
		         t && t->status == ACTION_OK ? "done" : "failed");
		if (t && t->status == ACTION_OK)
			strbuf_printf(&b, "%s: %s\n", name, t->summary);
		else if (t)
			strbuf_printf(&b, "%s did not complete: %s\n", name, t->err);
		if (t && t->recheck)
			strbuf_printf(&b, "\nRe-check:\n%s", t->recheck);
		if (output && output[0])
			strbuf_printf(&b, "\nOutput:\n%s", output);
		snprintf(st->dialog_footer, sizeof(st->dialog_footer), "Esc close  Up/Down scroll");
		break;
	}
	}
	text_copy(st->dialog_text, strbuf_str(&b), sizeof(st->dialog_text));
	strbuf_free(&b);
	free(output);
}

/* Starts the dry run or the run as a job. */
static int recovery_start(struct recovery *r, bool dry_run, bool list_sessions,
                          struct activity_log *log)
{
	recovery_end_job(r);
	struct recovery_task *t = xcalloc(1, sizeof(*t));
	t->cfg = r->cfg;
	t->action = r->action;
	t->pid = r->action->needs & ACTION_NEEDS_PID ? r->pid : 0;
	t->dry_run = dry_run;
	t->list_sessions = list_sessions;
	text_copy(t->focus_id, r->issue_id, sizeof(t->focus_id));
	t->before = *r->before;
	t->before_issues = *r->before_issues;
	pthread_mutex_init(&t->lock, NULL);
	strbuf_init(&t->output, OUTPUT_CAP);
	r->task = t;
	r->job = job_start(r->action->name, task_work, t, NULL, r->wake_fd);
	if (!r->job) {
		activity_add(log, clock_wall_ms(), UI_CRITICAL, "recovery: cannot start %s",
		             r->action->name);
		return -1;
	}
	if (!dry_run && !list_sessions)
		activity_add(log, clock_wall_ms(), UI_WARNING, "recovery: %s started%s%s",
		             r->action->name, r->issue_id[0] ? " for " : "", r->issue_id);
	return 0;
}

int recovery_open(struct recovery *r, const struct issue *issue, const struct snapshot *snap,
                  const struct diagnosis *diag, struct ui_state *st, struct activity_log *log,
                  char *msg, size_t msglen)
{
	(void)log;
	if (r->cfg->recovery.read_only) {
		snprintf(msg, msglen, "read-only mode: recovery actions are disabled");
		return -1;
	}
	recovery_end_job(r);
	r->choice_count = 0;
	r->issue_id[0] = r->issue_message[0] = '\0';
	if (issue) {
		for (int i = 0; i < issue->action_count; i++) {
			const struct action *a = action_find(issue->actions[i]);
			if (a)
				r->choices[r->choice_count++] = a;
		}
		if (r->choice_count == 0) {
			snprintf(msg, msglen, "no recovery action fits this issue (%s)",
			         ISSUE_TYPES[issue->type].name);
			return -1;
		}
		text_copy(r->issue_id, issue->id, sizeof(r->issue_id));
		text_copy(r->issue_message, issue->message, sizeof(r->issue_message));
	} else {
		r->choices[r->choice_count++] = action_find("cancel-query");
		r->choices[r->choice_count++] = action_find("terminate-query");
	}
	*r->before = *snap;
	*r->before_issues = *diag;
	r->selected = 0;
	r->action = NULL;
	r->pid = 0;
	r->input[0] = r->notice[0] = '\0';
	r->step = STEP_CHOOSE;
	recovery_render(r, st);
	return 0;
}

static void recovery_choose(struct recovery *r, struct ui_state *st, struct activity_log *log)
{
	const struct action *a = r->choices[r->selected];
	char why[256];
	if (!action_available(a, r->cfg, why, sizeof(why))) {
		snprintf(st->message, sizeof(st->message), "%s is not available: %.200s", a->name,
		         why);
		return;
	}
	r->action = a;
	r->input[0] = r->notice[0] = '\0';
	if (a->needs & ACTION_NEEDS_PID) {
		r->step = STEP_PID;
		r->session_count = -1;
		r->session_selected = 0;
		r->sessions_err[0] = '\0';
		if (recovery_start(r, true, true, log) < 0) {
			r->session_count = 0;
			text_copy(r->sessions_err, "cannot start the listing",
			          sizeof(r->sessions_err));
		}
		return;
	}
	r->step = STEP_PREVIEW;
	if (recovery_start(r, true, false, log) < 0)
		r->step = STEP_DONE;
}

/* Adds a printable ASCII character to the input. */
static void input_add(struct recovery *r, unsigned int ch)
{
	size_t n = strlen(r->input);
	if (ch >= 0x20 && ch < 0x7f && n + 1 < sizeof(r->input)) {
		r->input[n] = (char)ch;
		r->input[n + 1] = '\0';
	}
}

static void input_backspace(struct recovery *r)
{
	size_t n = strlen(r->input);
	if (n)
		r->input[n - 1] = '\0';
}

static void recovery_cancel(struct recovery *r, struct ui_state *st, struct activity_log *log)
{
	if (r->action && (r->step == STEP_CONFIRM || r->step == STEP_PREVIEW))
		activity_add(log, clock_wall_ms(), UI_NORMAL,
		             "recovery: %s cancelled by the operator", r->action->name);
	if (r->action && r->step == STEP_CONFIRM) {
		/* the dry run was shown and the operator backed off: on record
		 * (a local append, as quick as the Activity line) */
		char err[512];
		struct action_run run = {.cfg = r->cfg, .pid = r->pid};
		if (action_record_declined(r->action, &run, err, sizeof(err)) != 0)
			activity_add(log, clock_wall_ms(), UI_WARNING,
			             "recovery: the audit log was not written: %s", err);
	}
	recovery_close(r, st);
}

void recovery_key(struct recovery *r, const struct ui_key_event *ev, struct ui_state *st,
                  struct activity_log *log)
{
	bool esc = ev->key == UI_KEY_ESCAPE;
	switch (r->step) {
	case STEP_NONE:
		return;
	case STEP_CHOOSE:
		if (esc || (ev->key == UI_KEY_CHAR && ev->ch == 'q')) {
			recovery_close(r, st);
			return;
		}
		if (ev->key == UI_KEY_UP && r->selected > 0)
			r->selected--;
		else if (ev->key == UI_KEY_DOWN && r->selected + 1 < r->choice_count)
			r->selected++;
		else if (ev->key == UI_KEY_CHAR && ev->ch >= '1' &&
		         ev->ch < '1' + (unsigned)r->choice_count) {
			r->selected = (int)(ev->ch - '1');
			recovery_choose(r, st, log);
		} else if (ev->key == UI_KEY_ENTER)
			recovery_choose(r, st, log);
		break;
	case STEP_PID:
		if (esc) {
			recovery_close(r, st);
			return;
		}
		if ((ev->key == UI_KEY_UP || ev->key == UI_KEY_DOWN) && r->session_count > 0) {
			int n = r->session_selected + (ev->key == UI_KEY_UP ? -1 : 1);
			if (n >= 0 && n < r->session_count)
				r->session_selected = n;
			snprintf(r->input, sizeof(r->input), "%d",
			         r->sessions[r->session_selected].pid);
		} else if (ev->key == UI_KEY_CHAR && ev->ch >= '0' && ev->ch <= '9' &&
		           strlen(r->input) < 10)
			input_add(r, ev->ch);
		else if (ev->key == UI_KEY_BACKSPACE)
			input_backspace(r);
		else if (ev->key == UI_KEY_ENTER && atoi(r->input) > 0) {
			r->pid = atoi(r->input);
			r->input[0] = '\0';
			r->step = STEP_PREVIEW;
			if (recovery_start(r, true, false, log) < 0)
				r->step = STEP_DONE;
		}
		break;
	case STEP_PREVIEW:
		if (esc) {
			recovery_cancel(r, st, log);
			return;
		}
		break;
	case STEP_CONFIRM:
		if (esc) {
			recovery_cancel(r, st, log);
			return;
		}
		if (!r->action->destructive) {
			if (ev->key == UI_KEY_CHAR && (ev->ch == 'y' || ev->ch == 'Y')) {
				r->step = STEP_RUN;
				if (recovery_start(r, false, false, log) < 0)
					r->step = STEP_DONE;
			} else if (ev->key == UI_KEY_ENTER ||
			           (ev->key == UI_KEY_CHAR && (ev->ch == 'n' || ev->ch == 'N'))) {
				recovery_cancel(r, st, log);
				return;
			}
			break;
		}
		if (ev->key == UI_KEY_CHAR)
			input_add(r, ev->ch);
		else if (ev->key == UI_KEY_BACKSPACE)
			input_backspace(r);
		else if (ev->key == UI_KEY_ENTER) {
			if (strcmp(r->input, r->action->name) == 0) {
				r->step = STEP_RUN;
				if (recovery_start(r, false, false, log) < 0)
					r->step = STEP_DONE;
			} else {
				snprintf(
				    r->notice, sizeof(r->notice),
				    "'%s' is not '%s': type the name exactly, or Esc to cancel",
				    r->input, r->action->name);
				r->input[0] = '\0';
			}
		}
		break;
	case STEP_RUN:
		if (esc && r->job) {
			job_cancel(r->job);
			snprintf(st->message, sizeof(st->message),
			         "stopping %s after its current step", r->action->name);
		}
		break;
	case STEP_DONE:
		if (esc || ev->key == UI_KEY_ENTER || (ev->key == UI_KEY_CHAR && ev->ch == 'q')) {
			recovery_close(r, st);
			return;
		}
		if (ev->key == UI_KEY_UP && st->dialog_scroll > 0)
			st->dialog_scroll--;
		else if (ev->key == UI_KEY_DOWN && st->dialog_scroll < 500)
			st->dialog_scroll++;
		return; /* keep the scroll */
	}
	if (r->step != STEP_NONE)
		recovery_render(r, st);
}

bool recovery_poll(struct recovery *r, struct ui_state *st, struct activity_log *log)
{
	recovery_reap(r, false);
	if (!r->job || (r->step != STEP_PREVIEW && r->step != STEP_RUN && r->step != STEP_PID))
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
	if (r->step == STEP_PID) {
		r->session_count = t->session_count < 0 ? 0 : t->session_count;
		memcpy(r->sessions, t->sessions, sizeof(r->sessions));
		if (t->session_count < 0)
			text_copy(r->sessions_err, t->err, sizeof(r->sessions_err));
		if (r->session_count > 0 && !r->input[0])
			snprintf(r->input, sizeof(r->input), "%d", r->sessions[0].pid);
		recovery_render(r, st);
		return false;
	}
	bool was_run = r->step == STEP_RUN;
	int64_t now = clock_wall_ms();
	if (!was_run) {
		if (t->status == ACTION_OK) {
			r->step = STEP_CONFIRM;
			r->input[0] = r->notice[0] = '\0';
		} else {
			r->step = STEP_DONE;
			activity_add(log, now, UI_CRITICAL, "recovery: %s dry run failed: %s",
			             r->action->name, t->err);
		}
		recovery_render(r, st);
		return false;
	}
	r->step = STEP_DONE;
	if (t->status == ACTION_OK)
		activity_add(log, now, UI_OK, "recovery: %s done: %s", r->action->name, t->summary);
	else
		activity_add(log, now, UI_CRITICAL, "recovery: %s %s: %s", r->action->name,
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
