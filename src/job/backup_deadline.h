/* backup_deadline.h - [backup] timeout: a backup that runs past it is
 * cancelled like a SIGTERM cancels it (pg_dump stopped, the S3 transfers in
 * flight ended, the upload aborted, no manifest), and says "timed out after
 * X"; internal to job/.
 *
 * backup_deadline_start gives the hooks the backup runs with: the caller's,
 * with a cancel flag of the deadline's own that a watchdog thread sets when
 * the deadline passes or the caller's cancel flag is set (so a signal
 * still cancels at once, within BACKUP_DEADLINE_POLL_MS). Without a timeout
 * they are the caller's hooks, unchanged, and no thread runs.
 */
#ifndef OPSDECK_JOB_BACKUP_DEADLINE_H
#define OPSDECK_JOB_BACKUP_DEADLINE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "job/backup.h"

#define BACKUP_DEADLINE_POLL_MS 50

struct backup_deadline {
	struct backup_hooks hooks; /* what the backup runs with */
	const atomic_int *outer;   /* the caller's cancel flag, or NULL */
	int64_t timeout_ms;
	int64_t deadline_ms; /* CLOCK_MONOTONIC */
	atomic_int cancel;   /* set by the watchdog */
	atomic_int fired;    /* the deadline passed (not a signal) */
	atomic_int stop;
	pthread_t thread;
	bool running;
};

/* Starts the watchdog when timeout_ms > 0 (from now); returns the hooks to
 * run the backup with (never NULL; hooks may be NULL). Borrowed from d. */
const struct backup_hooks *backup_deadline_start(struct backup_deadline *d,
                                                 const struct backup_hooks *hooks,
                                                 int64_t timeout_ms);

/* Stops the watchdog (safe when none runs). */
void backup_deadline_stop(struct backup_deadline *d);

/* Whether the deadline passed and cancelled the backup; then err gets
 * "timed out after 1 s ([backup] timeout)". */
bool backup_deadline_fired(struct backup_deadline *d, char *err, size_t errlen);

#endif
