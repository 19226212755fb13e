/* recovery_dialog.c - the recovery dialog's steps, keys and text (see
 * recovery_dialog.h). */
#include "ui/recovery_dialog.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/text.h"

/* Output lines shown while a job runs (the newest). */
#define LIVE_LINES 14

int recovery_dialog_open(struct recovery_dialog *d, const struct config *cfg,
                         const struct issue *issue, char *msg, size_t msglen)
{
	const struct action *choices[ISSUE_MAX_ACTIONS + 2];
	int max = (int)(sizeof(choices) / sizeof(choices[0]));
	int count = 0;
	if (issue) {
		for (int i = 0; i < issue->action_count && count < max; i++) {
			const struct action *a = action_find(issue->actions[i]);
			if (a)
				choices[count++] = a;
		}
		if (count == 0) {
			snprintf(msg, msglen, "no recovery action fits this issue (%s)",
			         ISSUE_TYPES[issue->type].name);
			return -1;
		}
	} else {
		for (size_t i = 0; i < ACTION_COUNT && count < max; i++)
			if (ACTIONS[i].needs & ACTION_NEEDS_PID)
				choices[count++] = &ACTIONS[i];
	}
	memset(d, 0, sizeof(*d));
	d->cfg = cfg;
	memcpy(d->choices, choices, sizeof(choices));
	d->choice_count = count;
	/* the first suggestion that can run here: one Enter away */
	for (int i = count - 1; i >= 0; i--)
		if (action_available(choices[i], cfg, NULL, 0))
			d->selected = i;
	if (issue) {
		text_copy(d->issue_id, issue->id, sizeof(d->issue_id));
		text_copy(d->issue_message, issue->message, sizeof(d->issue_message));
	}
	d->step = RECOVERY_STEP_CHOOSE;
	/* A root blocker names its pid (root_blocker:PID): terminate-blocker
	 * acts on that one. When it is the only suggestion, there is nothing
	 * to choose: straight to its dry run, then the typed confirmation. */
	const char *subject = issue ? strchr(issue->id, ':') : NULL;
	if (issue && issue->type == ISSUE_ROOT_BLOCKER && subject)
		d->pid = atoi(subject + 1);
	if (issue && issue->type == ISSUE_ROOT_BLOCKER && count == 1 &&
	    (choices[0]->needs & ACTION_TAKES_PID) && action_available(choices[0], cfg, NULL, 0)) {
		d->action = choices[0];
		d->step = RECOVERY_STEP_PREVIEW;
	}
	return 0;
}

int recovery_dialog_open_pid(struct recovery_dialog *d, const struct config *cfg,
                             const struct action *action, int pid, const struct issue *issue,
                             char *msg, size_t msglen)
{
	char why[256];
	if (!action_available(action, cfg, why, sizeof(why))) {
		snprintf(msg, msglen, "%s is not available: %.200s", action->name, why);
		return -1;
	}
	memset(d, 0, sizeof(*d));
	d->cfg = cfg;
	d->choices[0] = action;
	d->choice_count = 1;
	d->action = action;
	d->pid = pid;
	if (issue) {
		text_copy(d->issue_id, issue->id, sizeof(d->issue_id));
		text_copy(d->issue_message, issue->message, sizeof(d->issue_message));
	}
	d->step = RECOVERY_STEP_PREVIEW;
	return 0;
}

void recovery_dialog_close(struct recovery_dialog *d, struct ui_state *st)
{
	d->step = RECOVERY_STEP_NONE;
	st->dialog = DIALOG_NONE;
	st->dialog_footer[0] = '\0';
}

/* Enter (or a digit) on a choice: the pid step or the dry run, unless the
 * action is not available here. */
static enum recovery_effect dialog_choose(struct recovery_dialog *d, struct ui_state *st)
{
	const struct action *a = d->choices[d->selected];
	char why[256];
	if (!action_available(a, d->cfg, why, sizeof(why))) {
		snprintf(st->message, sizeof(st->message), "%s is not available: %.200s", a->name,
		         why);
		return RECOVERY_EFFECT_NONE;
	}
	d->action = a;
	d->input[0] = d->notice[0] = '\0';
	if (a->needs & ACTION_NEEDS_PID) {
		d->step = RECOVERY_STEP_PID;
		d->session_count = -1;
		d->session_selected = 0;
		d->sessions_err[0] = '\0';
		return RECOVERY_EFFECT_LIST_SESSIONS;
	}
	d->step = RECOVERY_STEP_PREVIEW;
	return RECOVERY_EFFECT_DRY_RUN;
}

/* Adds a printable ASCII character to the input. */
static void input_add(struct recovery_dialog *d, unsigned int ch)
{
	size_t n = strlen(d->input);
	if (ch >= 0x20 && ch < 0x7f && n + 1 < sizeof(d->input)) {
		d->input[n] = (char)ch;
		d->input[n + 1] = '\0';
	}
}

static void input_backspace(struct recovery_dialog *d)
{
	size_t n = strlen(d->input);
	if (n)
		d->input[n - 1] = '\0';
}

static enum recovery_effect key_choose(struct recovery_dialog *d, const struct ui_key_event *ev,
                                       struct ui_state *st)
{
	if (ev->key == UI_KEY_ESCAPE || (ev->key == UI_KEY_CHAR && ev->ch == 'q'))
		return RECOVERY_EFFECT_CLOSE;
	if (ev->key == UI_KEY_UP && d->selected > 0)
		d->selected--;
	else if (ev->key == UI_KEY_DOWN && d->selected + 1 < d->choice_count)
		d->selected++;
	else if (ev->key == UI_KEY_CHAR && ev->ch >= '1' &&
	         ev->ch < '1' + (unsigned)d->choice_count) {
		d->selected = (int)(ev->ch - '1');
		return dialog_choose(d, st);
	} else if (ev->key == UI_KEY_ENTER)
		return dialog_choose(d, st);
	return RECOVERY_EFFECT_NONE;
}

/* The listed session of `pid`, or NULL (a pid typed by hand). */
static const struct action_session *listed_session(const struct recovery_dialog *d, int pid)
{
	for (int i = 0; i < d->session_count; i++)
		if (d->sessions[i].pid == pid)
			return &d->sessions[i];
	return NULL;
}

/* Enter on a pid: its dry run, unless the action cannot affect that
 * session (a query to cancel in one that runs none): then the notice says
 * so and the action that works (the registry's fallback) takes its place,
 * one more Enter away. */
static enum recovery_effect pid_choose(struct recovery_dialog *d, int pid)
{
	const struct action_session *se = listed_session(d, pid);
	if (se && !action_affects_session(d->action, se->state)) {
		const struct action *instead =
		    d->action->fallback ? action_find(d->action->fallback) : NULL;
		if (instead && !action_available(instead, d->cfg, NULL, 0))
			instead = NULL;
		snprintf(d->notice, sizeof(d->notice),
		         "pid %d is %.40s and runs no query: %s would do nothing. %s%s%s", pid,
		         se->state, d->action->name, instead ? "Offering " : "Esc cancel",
		         instead ? instead->name : "",
		         instead ? " instead: Enter dry run, Esc cancel" : "");
		if (instead)
			d->action = instead;
		return RECOVERY_EFFECT_NONE;
	}
	d->pid = pid;
	d->input[0] = d->notice[0] = '\0';
	d->step = RECOVERY_STEP_PREVIEW;
	return RECOVERY_EFFECT_DRY_RUN;
}

static enum recovery_effect key_pid(struct recovery_dialog *d, const struct ui_key_event *ev)
{
	if (ev->key == UI_KEY_ESCAPE)
		return RECOVERY_EFFECT_CLOSE;
	if ((ev->key == UI_KEY_UP || ev->key == UI_KEY_DOWN) && d->session_count > 0) {
		int n = d->session_selected + (ev->key == UI_KEY_UP ? -1 : 1);
		if (n >= 0 && n < d->session_count)
			d->session_selected = n;
		snprintf(d->input, sizeof(d->input), "%d", d->sessions[d->session_selected].pid);
	} else if (ev->key == UI_KEY_CHAR && ev->ch >= '0' && ev->ch <= '9' &&
	           strlen(d->input) < 10)
		input_add(d, ev->ch);
	else if (ev->key == UI_KEY_BACKSPACE)
		input_backspace(d);
	else if (ev->key == UI_KEY_ENTER && atoi(d->input) > 0)
		return pid_choose(d, atoi(d->input));
	return RECOVERY_EFFECT_NONE;
}

static enum recovery_effect key_confirm(struct recovery_dialog *d, const struct ui_key_event *ev)
{
	if (ev->key == UI_KEY_ESCAPE)
		return RECOVERY_EFFECT_CANCEL;
	if (!d->action->destructive) {
		if (ev->key == UI_KEY_CHAR && (ev->ch == 'y' || ev->ch == 'Y')) {
			d->step = RECOVERY_STEP_RUN;
			return RECOVERY_EFFECT_RUN;
		}
		if (ev->key == UI_KEY_ENTER ||
		    (ev->key == UI_KEY_CHAR && (ev->ch == 'n' || ev->ch == 'N')))
			return RECOVERY_EFFECT_CANCEL;
		return RECOVERY_EFFECT_NONE;
	}
	if (ev->key == UI_KEY_CHAR)
		input_add(d, ev->ch);
	else if (ev->key == UI_KEY_BACKSPACE)
		input_backspace(d);
	else if (ev->key == UI_KEY_ENTER) {
		if (strcmp(d->input, d->action->name) == 0) {
			d->step = RECOVERY_STEP_RUN;
			return RECOVERY_EFFECT_RUN;
		}
		snprintf(d->notice, sizeof(d->notice),
		         "'%s' is not '%s': type the name exactly, or Esc to cancel", d->input,
		         d->action->name);
		d->input[0] = '\0';
	}
	return RECOVERY_EFFECT_NONE;
}

enum recovery_effect recovery_dialog_key(struct recovery_dialog *d, const struct ui_key_event *ev,
                                         struct ui_state *st)
{
	bool esc = ev->key == UI_KEY_ESCAPE;
	switch (d->step) {
	case RECOVERY_STEP_NONE:
		return RECOVERY_EFFECT_KEEP;
	case RECOVERY_STEP_CHOOSE:
		return key_choose(d, ev, st);
	case RECOVERY_STEP_PID:
		return key_pid(d, ev);
	case RECOVERY_STEP_PREVIEW:
		return esc ? RECOVERY_EFFECT_CANCEL : RECOVERY_EFFECT_NONE;
	case RECOVERY_STEP_CONFIRM:
		return key_confirm(d, ev);
	case RECOVERY_STEP_RUN:
		return esc ? RECOVERY_EFFECT_STOP : RECOVERY_EFFECT_NONE;
	case RECOVERY_STEP_DONE:
	case RECOVERY_STEP_READ_ONLY:
		if (esc || ev->key == UI_KEY_ENTER || (ev->key == UI_KEY_CHAR && ev->ch == 'q'))
			return RECOVERY_EFFECT_CLOSE;
		if (ev->key == UI_KEY_UP && st->dialog_scroll > 0)
			st->dialog_scroll--;
		else if (ev->key == UI_KEY_DOWN && st->dialog_scroll < 500)
			st->dialog_scroll++;
		return RECOVERY_EFFECT_KEEP;
	}
	return RECOVERY_EFFECT_KEEP;
}

void recovery_dialog_sessions(struct recovery_dialog *d, const struct action_session *sessions,
                              int count, const char *err)
{
	d->session_count = count < 0 ? 0 : count;
	if (d->session_count > RECOVERY_PICK_SESSIONS)
		d->session_count = RECOVERY_PICK_SESSIONS;
	if (d->session_count > 0)
		memcpy(d->sessions, sessions, sizeof(d->sessions[0]) * (size_t)d->session_count);
	if (count < 0)
		text_copy(d->sessions_err, err, sizeof(d->sessions_err));
	if (d->session_count > 0 && !d->input[0])
		snprintf(d->input, sizeof(d->input), "%d", d->sessions[0].pid);
}

void recovery_dialog_job_ended(struct recovery_dialog *d, bool ok)
{
	if (d->step == RECOVERY_STEP_PREVIEW && ok && d->cfg->recovery.read_only) {
		d->step = RECOVERY_STEP_READ_ONLY;
	} else if (d->step == RECOVERY_STEP_PREVIEW && ok) {
		d->step = RECOVERY_STEP_CONFIRM;
		d->input[0] = d->notice[0] = '\0';
	} else {
		d->step = RECOVERY_STEP_DONE;
	}
}

void recovery_dialog_start_failed(struct recovery_dialog *d)
{
	if (d->step == RECOVERY_STEP_PID) {
		d->session_count = 0;
		text_copy(d->sessions_err, "cannot start the listing", sizeof(d->sessions_err));
	} else {
		d->step = RECOVERY_STEP_DONE;
	}
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

void recovery_dialog_render(const struct recovery_dialog *r, const struct recovery_job_view *job,
                            struct ui_state *st)
{
	struct strbuf b;
	strbuf_init(&b, UI_DIALOG_TEXT - 1);
	const char *output = job && job->present ? job->output : NULL;
	const char *name = r->action ? r->action->name : "";
	st->dialog = DIALOG_TEXT;
	st->dialog_scroll = 0;
	if (r->issue_message[0])
		strbuf_printf(&b, "Issue: %s\n\n", r->issue_message);
	switch (r->step) {
	case RECOVERY_STEP_NONE:
		break;
	case RECOVERY_STEP_CHOOSE:
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
		if (r->cfg->recovery.read_only)
			strbuf_puts(&b, "\nRead-only mode: dry runs only; no action is run.\n");
		snprintf(st->dialog_footer, sizeof(st->dialog_footer),
		         "Up/Down select  Enter dry run  Esc cancel");
		break;
	case RECOVERY_STEP_PID:
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
			strbuf_printf(&b, "  %-8s %-8s %-8s %-20s %s\n", "pid", "role", "age",
			              "state", "query");
		for (int i = 0; i < r->session_count; i++) {
			const struct action_session *se = &r->sessions[i];
			char age[32];
			text_format_duration(age, sizeof(age), se->age_ms);
			/* one line in the narrowest dialog: the query is cut */
			strbuf_printf(&b, "%s %-8d %-8s %-8s %-20s %.22s\n",
			              i == r->session_selected ? ">" : " ", se->pid,
			              se->role[0] ? se->role : "-", age, se->state, se->query);
		}
		strbuf_printf(&b, "\nPID: %s_", r->input);
		if (r->notice[0])
			strbuf_printf(&b, "\n%s", r->notice);
		snprintf(st->dialog_footer, sizeof(st->dialog_footer),
		         "Up/Down pick  digits type  Enter dry run  Esc cancel");
		break;
	case RECOVERY_STEP_PREVIEW:
		snprintf(st->dialog_title, sizeof(st->dialog_title), "Recovery: %s (dry run)",
		         name);
		strbuf_puts(&b, "Dry run: what it would touch...\n\n");
		if (output)
			tail_lines(&b, output, LIVE_LINES);
		snprintf(st->dialog_footer, sizeof(st->dialog_footer), "Esc cancel");
		break;
	case RECOVERY_STEP_CONFIRM:
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
	case RECOVERY_STEP_READ_ONLY: {
		char why[256];
		action_read_only_reason(r->action, why, sizeof(why));
		why[0] = (char)toupper((unsigned char)why[0]);
		snprintf(st->dialog_title, sizeof(st->dialog_title),
		         "Recovery: %s (dry run, read-only)", name);
		strbuf_puts(&b, output ? output : "");
		strbuf_printf(&b, "\n%s.\nThe dry run above changed nothing.\n", why);
		snprintf(st->dialog_footer, sizeof(st->dialog_footer), "Esc close");
		break;
	}
	case RECOVERY_STEP_RUN:
		snprintf(st->dialog_title, sizeof(st->dialog_title), "Recovery: %s (running)",
		         name);
		strbuf_printf(&b, "Running %s...\n\n", name);
		if (output)
			tail_lines(&b, output, LIVE_LINES);
		snprintf(st->dialog_footer, sizeof(st->dialog_footer), "Esc stop");
		break;
	case RECOVERY_STEP_DONE: {
		bool present = job && job->present;
		const char *outcome = present && job->still_present
		                          ? action_status_outcome(ACTION_STILL_PRESENT)
		                      : present && job->ok ? "done"
		                                           : "failed";
		snprintf(st->dialog_title, sizeof(st->dialog_title), "Recovery: %s (%s)", name,
		         outcome);
		if (present && job->still_present)
			strbuf_printf(&b, "%s %s: %s\n", name, outcome, job->summary);
		else if (present && job->ok)
			strbuf_printf(&b, "%s: %s\n", name, job->summary);
		else if (present)
			strbuf_printf(&b, "%s did not complete: %s\n", name, job->err);
		if (present && job->recheck)
			strbuf_printf(&b, "\nRe-check:\n%s", job->recheck);
		if (output && output[0])
			strbuf_printf(&b, "\nOutput:\n%s", output);
		snprintf(st->dialog_footer, sizeof(st->dialog_footer), "Esc close");
		break;
	}
	}
	text_copy(st->dialog_text, strbuf_str(&b), sizeof(st->dialog_text));
	strbuf_free(&b);
}
