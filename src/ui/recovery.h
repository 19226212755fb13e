/* recovery.h - the dashboard's guided recovery (issue → action → dry run →
 * confirmation → run → re-check), as a small state machine behind the
 * dialog (ui_state's DIALOG_TEXT, title, text and footer).
 *
 * The dry run and the run are jobs (job/runner.h) on their own threads: the
 * UI thread only starts them, reads their progress after a wake-up and draws
 * it. Everything is recorded in Activity, and by the actions themselves in
 * the audit log. Esc cancels at any step before the run; during the run it
 * asks the job to stop (a running restart_command is killed). All
 * functions are for the UI thread; no curses here.
 */
#ifndef OPSDECK_UI_RECOVERY_H
#define OPSDECK_UI_RECOVERY_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "model/issue.h"
#include "model/snapshot.h"
#include "ui/activity.h"
#include "ui/panels.h"
#include "ui/term.h"

struct recovery;

/* cfg is borrowed and must outlive the recovery; wake_fd gets a byte at
 * each progress report of a job. Never NULL. */
struct recovery *recovery_new(const struct config *cfg, int wake_fd);
/* Cancels a running job and waits for it. NULL is a no-op. */
void recovery_free(struct recovery *r);

/* Opens the flow: the actions suggested for `issue` (NULL: cancel-query and
 * terminate-query, as from the Slow queries panel). snap and diag are the
 * "before" of the re-check (copied). Returns 0 with the dialog open in st,
 * or -1 with why not in msg (no action fits). In read-only mode the
 * dialog offers the dry runs and refuses the runs (recovery_dialog.h). */
int recovery_open(struct recovery *r, const struct issue *issue, const struct snapshot *snap,
                  const struct diagnosis *diag, struct ui_state *st, struct activity_log *log,
                  char *msg, size_t msglen);

/* Opens the flow at the dry run of the action called `action` on `pid`
 * (the Locks view's t and c), for `issue` when one names that pid (NULL:
 * none); then as recovery_open. Returns 0, or -1 with why not in msg. */
int recovery_open_pid(struct recovery *r, const char *action, int pid, const struct issue *issue,
                      const struct snapshot *snap, const struct diagnosis *diag,
                      struct ui_state *st, struct activity_log *log, char *msg, size_t msglen);

/* Whether the flow owns the dialog and the keys. */
bool recovery_active(const struct recovery *r);
/* Whether an action (or a dry run walked away from) is still running. */
bool recovery_running(const struct recovery *r);

/* A key while active; always consumed. */
void recovery_key(struct recovery *r, const struct ui_key_event *ev, struct ui_state *st,
                  struct activity_log *log);

/* After a wake-up: takes the job's progress into the dialog. Returns true
 * when a run (not a dry run) has just finished, so the caller refreshes the
 * panels. */
bool recovery_poll(struct recovery *r, struct ui_state *st, struct activity_log *log);

#endif
