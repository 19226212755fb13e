/* dashboard.h - `opsdeck` with no verb: the live dashboard.
 *
 * The UI thread owns the terminal and sleeps in poll() on it, on the
 * workers' wake-up pipe and on a self-pipe for SIGINT/SIGTERM/SIGHUP; it
 * redraws when a key arrives, a worker publishes, or once a second for the
 * ages and "waiting" timers. Exit status: 0 after q, 128+signo after a
 * signal, 2 for usage/configuration errors or a terminal it cannot use.
 */
#ifndef OPSDECK_UI_DASHBOARD_H
#define OPSDECK_UI_DASHBOARD_H

#include <stdbool.h>

#include "cmd/cmd.h"

/* True when stdin and stdout are terminals and TERM is set and not "dumb". */
bool dashboard_terminal_usable(void);

/* Runs the dashboard until q or a signal; returns the exit status. */
int dashboard_run(const struct cli_options *opts);

#endif
