/* restore_menu.h - the backup menu's Restore…: the jobs behind the steps of
 * restore_dialog.c. The catalog is listed on a job (job/runner.h) so a slow
 * target never stalls the dashboard; the restore itself runs on another,
 * through the restore engine (job/restore_db.h: the audit records, the
 * read-only refusal, the drop of a failed restore), its progress reported at
 * most every RESTORE_MENU_REPORT_MS so a fast stream does not make the
 * screen redraw without pause. Closing the dialog leaves a restore
 * running; restore_menu_open shows it again. All functions are for the UI
 * thread; no curses here.
 */
#ifndef OPSDECK_UI_RESTORE_MENU_H
#define OPSDECK_UI_RESTORE_MENU_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "ui/activity.h"
#include "ui/panels.h"
#include "ui/term.h"

#define RESTORE_MENU_REPORT_MS 250

struct restore_menu;

/* cfg is borrowed and must outlive the menu; wake_fd gets a byte when a
 * job reports. Never NULL. */
struct restore_menu *restore_menu_new(const struct config *cfg, int wake_fd);
/* Cancels a running restore (its new database is dropped) and waits. NULL
 * ok. */
void restore_menu_free(struct restore_menu *m);

/* Opens the dialog: the running restore's progress, or a new restore (the
 * listing started), or why it is refused. */
void restore_menu_open(struct restore_menu *m, struct ui_state *st);
/* Whether the restore dialog is on screen and owns the keys. */
bool restore_menu_active(const struct restore_menu *m);
/* Whether a restore is running (the backup menu shows it on `b`). */
bool restore_menu_running(const struct restore_menu *m);
/* A key while active. Returns false when the operator left the restore
 * dialog (the caller shows the backup menu again, or nothing when the
 * dialog was only hidden: *hidden set). */
bool restore_menu_key(struct restore_menu *m, const struct ui_key_event *ev, struct ui_state *st,
                      struct activity_log *log, bool *hidden);
/* After a wake-up: takes the jobs' progress and results. */
void restore_menu_poll(struct restore_menu *m, struct ui_state *st, struct activity_log *log);

#endif
