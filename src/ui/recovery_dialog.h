/* recovery_dialog.h - the state and the text of the dashboard's recovery
 * dialog, without its jobs: the step it is at, what each key does to it,
 * and what it shows in ui_state's DIALOG_TEXT (title, text, footer).
 *
 * Steps: CHOOSE (the issue's actions, availability shown, the first
 * available one preselected) → PID (for the actions that need a pid: the
 * sessions by role, blockers first and preselected; a session the action
 * cannot affect is refused there and the action that works is offered
 * instead) → PREVIEW (the dry run running) → CONFIRM (the
 * name typed, or y/N) → RUN (the action and the re-check running) → DONE.
 * In read-only mode ([recovery] read_only, --read-only) the dry run ends at
 * READ_ONLY instead of CONFIRM: its output and why the run is refused; no
 * run is started and no confirmation asked for.
 * A key returns the effect recovery.c carries out (start a job, record a
 * declined confirmation, close); the job's outcome comes back through
 * recovery_dialog_sessions() and recovery_dialog_job_ended(). Pure: no I/O,
 * no threads, no curses, so the tests drive it key by key.
 */
#ifndef OPSDECK_UI_RECOVERY_DIALOG_H
#define OPSDECK_UI_RECOVERY_DIALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "job/actions.h"
#include "model/issue.h"
#include "ui/panels.h"
#include "ui/term.h"

enum recovery_step {
	RECOVERY_STEP_NONE = 0,
	RECOVERY_STEP_CHOOSE,
	RECOVERY_STEP_PID,
	RECOVERY_STEP_PREVIEW,
	RECOVERY_STEP_CONFIRM,
	RECOVERY_STEP_RUN,
	RECOVERY_STEP_DONE,
	RECOVERY_STEP_READ_ONLY,
};

/* What a key asks of recovery.c. */
enum recovery_effect {
	RECOVERY_EFFECT_NONE,          /* redraw */
	RECOVERY_EFFECT_KEEP,          /* nothing, not even a redraw (the scroll stays) */
	RECOVERY_EFFECT_CLOSE,         /* end any job and close */
	RECOVERY_EFFECT_CANCEL,        /* the operator backed off the dry run or the
	                                  confirmation: on record, then close */
	RECOVERY_EFFECT_LIST_SESSIONS, /* start listing the app's busy sessions */
	RECOVERY_EFFECT_DRY_RUN,       /* start the dry run of `action` */
	RECOVERY_EFFECT_RUN,           /* start the run of `action` */
	RECOVERY_EFFECT_STOP,          /* ask the running job to stop */
};

/* Sessions offered for the actions that need a pid. */
#define RECOVERY_PICK_SESSIONS 12

/* The job of the current step as far as it has come (all borrowed). */
struct recovery_job_view {
	bool present;        /* a dry run or a run was started */
	const char *output;  /* the lines it said so far, or NULL */
	bool ok;             /* it went through (ACTION_OK or ACTION_STILL_PRESENT) */
	bool still_present;  /* it ran, and an issue it addresses is still present */
	const char *summary; /* its result line */
	const char *err;     /* why it did not complete */
	const char *recheck; /* before -> after lines, or NULL */
};

struct recovery_dialog {
	const struct config *cfg; /* borrowed */
	enum recovery_step step;
	char issue_id[64];
	char issue_message[256];
	const struct action *choices[ISSUE_MAX_ACTIONS + 2];
	int choice_count;
	int selected;
	const struct action *action; /* the chosen one, from PID on */
	int pid;                     /* for the actions that need one */
	int64_t backend_start_us;    /* terminate-blocker: of the pid its dry run showed */
	char input[64];              /* the pid or the typed confirmation being typed */
	char notice[256];            /* one line under the prompt */
	struct action_session sessions[RECOVERY_PICK_SESSIONS]; /* the pid step's choices */
	int session_count;                                      /* -1 while listing */
	int session_selected;
	char sessions_err[256];
};

/* Opens the dialog at CHOOSE with the actions suggested for `issue` (NULL:
 * the actions that need a pid, as from the Slow queries panel), in
 * read-only mode too (for their dry runs). Returns 0, or -1 with why not in
 * msg (no action fits) and the dialog unchanged. cfg is borrowed. */
int recovery_dialog_open(struct recovery_dialog *d, const struct config *cfg,
                         const struct issue *issue, char *msg, size_t msglen);

/* Opens the dialog at the dry run of `action` on `pid` (the Locks view's
 * t and c), for the issue of that pid when there is one (NULL: none), in
 * read-only mode too. Returns 0, or -1 with why not in msg (the action is
 * not available here) and the dialog unchanged. */
int recovery_dialog_open_pid(struct recovery_dialog *d, const struct config *cfg,
                             const struct action *action, int pid, const struct issue *issue,
                             char *msg, size_t msglen);

/* One key: the new state, and what recovery.c must do. May set
 * st->message (an action not available) and, at DONE, st->dialog_scroll. */
enum recovery_effect recovery_dialog_key(struct recovery_dialog *d, const struct ui_key_event *ev,
                                         struct ui_state *st);

/* The listing of the sessions ended: count of them (err "" when it
 * worked; count -1 and err when it failed), in action_list_sessions' order.
 * The first pid (a blocker, when there is one) is offered. */
void recovery_dialog_sessions(struct recovery_dialog *d, const struct action_session *sessions,
                              int count, const char *err);

/* The dry run (PREVIEW → CONFIRM when ok, READ_ONLY when ok in read-only
 * mode, else DONE) or the run (RUN → DONE) ended. */
void recovery_dialog_job_ended(struct recovery_dialog *d, bool ok);

/* A job could not be started: the listing shows why, any other step ends
 * at DONE. */
void recovery_dialog_start_failed(struct recovery_dialog *d);

/* Closes the dialog in st. */
void recovery_dialog_close(struct recovery_dialog *d, struct ui_state *st);

/* Fills st's dialog (title, text, footer) for the current step; job may be
 * NULL when none was started. */
void recovery_dialog_render(const struct recovery_dialog *d, const struct recovery_job_view *job,
                            struct ui_state *st);

#endif
