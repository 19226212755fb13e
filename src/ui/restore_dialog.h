/* restore_dialog.h - the state and the text of the backup menu's
 * "Restore…": a database backup restored into a new database, without its
 * jobs (restore_menu.c runs them). Shown in ui_state's DIALOG_TEXT.
 *
 * Steps: LISTING (the catalog read off the UI thread) → PICK (the complete
 * database backups, newest first: Up/Down, Enter, Esc) → NAME (the database
 * to create, DB_restore_YYYYMMDD offered, checked as an identifier, an
 * inline error) → PLANNING (the engine's dry run, off the UI thread: the
 * manifest read, the server asked whether the database exists and the role
 * may create it) → PREVIEW (its answer: what would be created from which
 * object, Enter goes on; or why it is refused, Enter goes back) → CONFIRM
 * (the database name typed) → RUNNING
 * (bytes, rate, ETA; c asks CANCEL_ASK) → DONE (the restored database, or
 * why it failed and that the new database was dropped). REFUSED says why
 * nothing can start: read-only mode (a restore creates a database) or no
 * target. A key returns the effect restore_menu.c carries out. Pure: no
 * I/O, no threads, no clock, no curses, so the tests drive it key by key.
 */
#ifndef OPSDECK_UI_RESTORE_DIALOG_H
#define OPSDECK_UI_RESTORE_DIALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "job/restore_db.h"
#include "ui/panels.h"
#include "ui/term.h"

enum restore_step {
	RESTORE_STEP_NONE = 0,
	RESTORE_STEP_REFUSED,
	RESTORE_STEP_LISTING,
	RESTORE_STEP_PICK,
	RESTORE_STEP_NAME,
	RESTORE_STEP_PLANNING,
	RESTORE_STEP_PREVIEW,
	RESTORE_STEP_CONFIRM,
	RESTORE_STEP_RUNNING,
	RESTORE_STEP_CANCEL_ASK,
	RESTORE_STEP_DONE,
};

/* What a key asks of restore_menu.c. */
enum restore_effect {
	RESTORE_EFFECT_NONE,       /* redraw */
	RESTORE_EFFECT_DRY_RUN,    /* the dry run of restoring `picked` into `database` */
	RESTORE_EFFECT_RUN,        /* restore `picked` into `database` */
	RESTORE_EFFECT_DECLINED,   /* the confirmation was left: audit it as declined */
	RESTORE_EFFECT_CANCEL_JOB, /* cancel the running restore (the new db is dropped) */
	RESTORE_EFFECT_HIDE,       /* take the dialog off the screen; a restore goes on */
	RESTORE_EFFECT_CLOSE,      /* done with the restore: back to the backup menu's idle */
};

/* Backups offered, newest first; older ones are named by `backup list`. */
#define RESTORE_PICK_MAX 64
/* Rows of the picker shown at once, so that it fits a 70x20 terminal. */
#define RESTORE_PICK_ROWS 6
struct restore_choice {
	char key[512];       /* as `backup list` prints it, sanitised */
	int64_t modified_ms; /* wall clock, when it was stored */
	uint64_t size;       /* stored bytes */
};

struct restore_dialog {
	const struct config *cfg; /* borrowed */
	enum restore_step step;
	char source_db[RESTORE_DB_NAME_MAX + 1]; /* the app's database, for the default name */
	char today[9];                           /* YYYYMMDD (UTC), for the default name */
	struct restore_choice choices[RESTORE_PICK_MAX];
	int choice_count;
	int more; /* complete db backups not offered (past RESTORE_PICK_MAX) */
	int selected;
	char database[RESTORE_DB_NAME_MAX + 1]; /* the chosen target, from PREVIEW on */
	char input[RESTORE_DB_NAME_MAX + 1];    /* the name or the confirmation being typed */
	char notice[256];                       /* one line under the prompt */
	char text[UI_DIALOG_TEXT]; /* LISTING's error, PREVIEW's dry run, RUNNING's line, DONE's
	                              result */
	bool ok;                   /* PREVIEW: the dry run passed; DONE: the restore worked */
};

/* The default target name, SOURCE_restore_YYYYMMDD, cut to fit (a source
 * that restore_db_name_check refuses gives restore_YYYYMMDD). */
void restore_default_name(char *dst, size_t size, const char *source_db, const char *today);

/* "12.3 of 45.6 MB, 5.1 MB/s, ETA 7 s" (total 0: no ETA, no "of"). */
void restore_progress_line(char *dst, size_t size, uint64_t done, uint64_t total,
                           int64_t elapsed_ms);

/* Opens at LISTING, or at REFUSED (read-only mode, no target). source_db
 * (the app's database, may be "") and today (YYYYMMDD) give the default
 * name. Returns whether the listing must be started. */
bool restore_dialog_open(struct restore_dialog *d, const struct config *cfg, const char *source_db,
                         const char *today);

/* The listing ended: the complete database backups, newest first (count
 * -1: it failed, err says why). Copies what it keeps. */
void restore_dialog_listed(struct restore_dialog *d, const struct restore_choice *choices,
                           int count, const char *err);

/* One key: the new state, and what restore_menu.c must do. */
enum restore_effect restore_dialog_key(struct restore_dialog *d, const struct ui_key_event *ev);

/* The dry run of restoring key into database ended: ok and the engine's
 * message (what it would do, or why it refuses). Ignored, returning false,
 * unless the dialog is still PLANNING that same key and database: the
 * caller then runs it again. */
bool restore_dialog_planned(struct restore_dialog *d, const char *key, const char *database,
                            bool ok, const char *message);

/* The running restore's latest line ("" before the first). */
void restore_dialog_progress(struct restore_dialog *d, const char *line);

/* The restore ended: ok, and its result line. */
void restore_dialog_ended(struct restore_dialog *d, bool ok, const char *result);

/* Fills st's dialog (title, text, footer) for the current step. */
void restore_dialog_render(const struct restore_dialog *d, struct ui_state *st);

#endif
