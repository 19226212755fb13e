/* dashboard.h - `opsdeck` with no verb: the live dashboard.
 *
 * The UI thread owns the terminal and sleeps in poll() on it, on the
 * workers' wake-up pipe and on a self-pipe for SIGINT/SIGTERM/SIGHUP; it
 * redraws when a key arrives, a worker publishes, or once a second for the
 * ages and "waiting" timers. Exit status: 0 after q, 128+signo after a
 * signal, DASHBOARD_EXIT_USAGE for a terminal it cannot use, 1 when it
 * cannot start (no memory, no pipe, libcurl).
 */
#ifndef OPSDECK_UI_DASHBOARD_H
#define OPSDECK_UI_DASHBOARD_H

#include <stdbool.h>

#include "config/config.h"

/* The command line's usage and configuration error status (cmd.h's
 * EXIT_USAGE, which checks that they agree). */
#define DASHBOARD_EXIT_USAGE 2

/* What the command line decides beyond the configuration. */
struct dashboard_options {
	bool no_color;           /* --no-color: the mono theme, whatever the configuration says */
	const char *environment; /* -e NAME, shown in the header; NULL: $NODE_ENV */
	bool read_only;          /* --read-only: also for an environment switched to */
};

/* True when stdin and stdout are terminals and TERM is set and not "dumb". */
bool dashboard_terminal_usable(void);

/* Runs the dashboard until q or a signal and returns the exit status.
 * Takes `cfg`, a loaded configuration allocated with calloc: it is freed on
 * return, unless probe threads that did not stop in time still read it;
 * then it is left to the process exit. */
int dashboard_run(struct config *cfg, const struct dashboard_options *opts);

#endif
