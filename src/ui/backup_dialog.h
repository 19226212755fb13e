/* backup_dialog.h - the state and the text of the dashboard's backup menu,
 * without its jobs: the step it is at, what each key does to it, and what
 * it shows in ui_state's DIALOG_TEXT (title "Backups", text, footer).
 *
 * Steps: MENU (d/f/l/v, r: RESTORE, handed to restore_menu.h) → CONFIRM (the target shown; a
 * listing needs no confirmation) → RUNNING (progress; c asks CANCEL_ASK) → DONE (the result). A key
 * returns the effect backup_menu.c carries out (start the job, cancel it, show its progress).
 * Backups run in read-only mode too: they only add objects at the target, and the menu says so.
 * Pure: no I/O, no threads, no curses, so the tests drive it key by key.
 */
#ifndef OPSDECK_UI_BACKUP_DIALOG_H
#define OPSDECK_UI_BACKUP_DIALOG_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "ui/panels.h"
#include "ui/term.h"

enum backup_step {
	BACKUP_STEP_IDLE,
	BACKUP_STEP_MENU,
	BACKUP_STEP_CONFIRM,
	BACKUP_STEP_RUNNING,
	BACKUP_STEP_CANCEL_ASK,
	BACKUP_STEP_DONE,
	BACKUP_STEP_RESTORE, /* r: the Restore… dialog (restore_dialog.h) owns the keys */
};

enum backup_kind {
	BACKUP_KIND_DB,
	BACKUP_KIND_FILES,
	BACKUP_KIND_LIST,
	BACKUP_KIND_VERIFY,
};

/* "backup db", "backup files", "backup list", "backup verify" by kind. */
const char *backup_kind_title(enum backup_kind kind);

/* What a key asks of backup_menu.c. */
enum backup_effect {
	BACKUP_EFFECT_NONE,
	BACKUP_EFFECT_START,        /* start the job of `kind` */
	BACKUP_EFFECT_CANCEL_JOB,   /* cancel the running job, then show its progress */
	BACKUP_EFFECT_SHOW_RUNNING, /* show the running job's progress */
	BACKUP_EFFECT_RESTORE,      /* open Restore… (restore_menu.h) */
};

struct backup_dialog {
	const struct config *cfg; /* borrowed */
	enum backup_step step;
	enum backup_kind kind;
	bool shown; /* the dialog is on screen and owns the keys */
	/* under the target: the newest backup and the last drill
	 * (backup_dialog_last); "" shows nothing */
	char last[320];
};

/* The newest complete database backup and the last drill, for the menu:
 * "Newest backup 3h00m ago; last drill ok 2h00m ago, RTO 4.2 s"; "" when
 * the backups were not listed yet. Pure. */
struct backup_status;
struct drill_status;
void backup_dialog_last(const struct backup_status *b, const struct drill_status *drill,
                        int64_t now_ms, char *dst, size_t size);

/* The menu (the target, the newest backup and last drill, the choices). */
void backup_dialog_menu(struct backup_dialog *d, struct ui_state *st);

/* One key: the new state and what backup_menu.c must do. Up/Down scroll
 * the text. */
enum backup_effect backup_dialog_key(struct backup_dialog *d, const struct ui_key_event *ev,
                                     struct ui_state *st);

/* The running job's progress: its latest line ("" before the first) and
 * done of total units (total 0: unknown). */
void backup_dialog_running(struct backup_dialog *d, struct ui_state *st, const char *line,
                           uint64_t done, uint64_t total);

/* Shows a text in the dialog with a footer of key hints. */
void backup_dialog_show(struct backup_dialog *d, struct ui_state *st, const char *footer,
                        const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Takes the dialog off the screen (a running job goes on). */
void backup_dialog_hide(struct backup_dialog *d, struct ui_state *st);

/* The configured target, or what to configure. */
const char *backup_dialog_target(const struct config *cfg);

#endif
