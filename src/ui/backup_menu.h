/* backup_menu.h - the dashboard's `b` menu: database backup, files backup,
 * list, verify — a small state machine behind the dialog (ui_state's
 * DIALOG_TEXT, title, text and footer), like recovery.h.
 *
 * menu -> confirmation (the target shown) -> a job (job/runner.h) on its
 * own thread running the backup verbs (job/backup.h); its progress shows in the dialog, in the
 * key bar and, every few seconds, in Activity; the result lands in Activity
 * (and, from the verb, in the audit log). Closing the dialog leaves the
 * job running; `b` shows it again. Cancelling asks for a confirmation, then
 * stops pg_dump and aborts the upload at once. All functions are for the UI
 * thread; no curses here.
 */
#ifndef OPSDECK_UI_BACKUP_MENU_H
#define OPSDECK_UI_BACKUP_MENU_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "ui/activity.h"
#include "ui/panels.h"
#include "ui/term.h"

struct backup_menu;

/* cfg is borrowed and must outlive the menu; wake_fd gets a byte at each
 * progress report. Never NULL. */
struct backup_menu *backup_menu_new(const struct config *cfg, int wake_fd);
/* Cancels a running backup (the upload is aborted) and waits. NULL ok. */
void backup_menu_free(struct backup_menu *m);
/* A flag that, once non-zero (a second signal while the dashboard shuts
 * down), makes a backup give up its cleanup at once (job/backup.h,
 * abandon). Borrowed; set it before a backup starts. */
void backup_menu_set_abandon(struct backup_menu *m, const atomic_int *flag);
/* Cancels a running job and waits for it (the cleanup of a backup takes
 * 10 s at most, less once the abandon flag is set); its result line, with
 * what it left behind at the target, goes to result. "" when no job was
 * running. */
void backup_menu_stop(struct backup_menu *m, char *result, size_t size);

/* b: opens the menu, or the running job's progress. */
void backup_menu_open(struct backup_menu *m, struct ui_state *st);
/* Whether the menu owns the dialog and the keys. */
bool backup_menu_active(const struct backup_menu *m);
/* Whether a backup, listing, verify or restore job is running. */
bool backup_menu_running(const struct backup_menu *m);
/* A key while active; always consumed. */
void backup_menu_key(struct backup_menu *m, const struct ui_key_event *ev, struct ui_state *st,
                     struct activity_log *log);
/* The newest backup's age for the diagnosis: copies the latest listing
 * into out (nothing known yet: out->listed false). A listing runs on its
 * own thread every BACKUP_MENU_PROBE_MS (started from backup_menu_poll) and
 * after each backup. */
#define BACKUP_MENU_PROBE_MS (5 * 60 * 1000)
struct backup_status;
void backup_menu_status(struct backup_menu *m, struct backup_status *out);

/* After a wake-up: takes the job's progress and result. */
void backup_menu_poll(struct backup_menu *m, struct ui_state *st, struct activity_log *log);

#endif
