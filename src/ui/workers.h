/* workers.h - the dashboard's probe threads (DESIGN.md "Threads").
 *
 * One thread per row of the check table (check/check.h) that has a probe
 * and is polled every time (the database row fills the request metrics and
 * slow queries too), and optionally per CHECK_SELDOM row (the backup
 * listing, for a poller without a backup menu), each on its own schedule: it
 * probes, publishes its part of the shared Snapshot under the mutex, writes
 * one byte to the wake-up fd, then sleeps for the interval (or until a
 * refresh, an interval change or the stop). A hung backend therefore delays
 * only its own part; the UI thread reads how long each probe has been in
 * flight to show "waiting 4.2 s".
 *
 * The caller must have called probe_global_init() first, and keeps `cfg`
 * alive until workers_stop() returned 0 (or forever, if it returned -1).
 * All functions are for the UI thread.
 */
#ifndef OPSDECK_UI_WORKERS_H
#define OPSDECK_UI_WORKERS_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "model/snapshot.h"
#include "check/check.h"

struct workers;

/* What the UI copies out: the Snapshot, and per row of CHECKS the
 * generation (bumped when its worker publishes; rows without a worker stay
 * 0) and how long its probe has been running (0 when idle). */
struct workers_view {
	struct snapshot snap;
	uint64_t generation[CHECK_COUNT];
	int64_t running_ms[CHECK_COUNT];
	int64_t finished_at_ms[CHECK_COUNT]; /* monotonic end of the row's last
	                                        completed probe; 0: none yet */
	int64_t duration_ms[CHECK_COUNT];    /* how long that probe took */
	int64_t published_at_ms;             /* wall clock of the newest publish, 0 if none */
};

/* Starts the threads (with SIGINT, SIGTERM, SIGHUP and SIGWINCH blocked in
 * them, so signals reach the UI thread). seldom_interval_ms > 0 adds a
 * thread per CHECK_SELDOM row, probing every seldom_interval_ms (at least
 * the interval); 0 leaves those rows to their owner (the backup menu).
 * Returns 0, or -1 with why in err. */
int workers_start(struct workers **out, const struct config *cfg, int64_t interval_ms,
                  int64_t seldom_interval_ms, int wake_fd, char *err, size_t errlen);

/* Copies the shared state under the mutex. */
void workers_copy(struct workers *w, struct workers_view *out);

/* Every idle worker probes now (a busy one finishes its probe first). */
void workers_refresh(struct workers *w);
void workers_set_interval(struct workers *w, int64_t interval_ms);
void workers_set_paused(struct workers *w, bool paused);

/* Asks the threads to stop and waits up to `wait_ms` for them. Returns 0
 * when all have ended and everything is freed; -1 when some are still in a
 * probe: they are left to the process exit (w and cfg must stay valid). */
int workers_stop(struct workers *w, int64_t wait_ms);

#endif
