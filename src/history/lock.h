/* lock.h - one recorder per history directory: DIR/record.lock, held with
 * flock(2) for as long as the recorder runs and holding its pid; and one
 * sender of notifications: DIR/notify.lock (notify/notifier.h).
 *
 * The kernel drops the lock when the holder exits, however it exits
 * (SIGKILL included), so a stale lock file never blocks a new recorder.
 */
#ifndef OPSDECK_HISTORY_LOCK_H
#define OPSDECK_HISTORY_LOCK_H

#include <stddef.h>
#include <sys/types.h>

#define HISTORY_RECORD_LOCK "record.lock"
#define HISTORY_NOTIFY_LOCK "notify.lock"

/* Takes the lock `name` (above) of dir. Returns 0 with *fd the descriptor that holds it
 * (history_lock_release gives it up); 1 when another process holds it, with
 * *holder its pid (0 when the file does not say); -1 with one line in err
 * when the lock file cannot be opened. */
int history_lock_acquire(const char *dir, const char *name, int *fd, pid_t *holder, char *err,
                         size_t err_size);

/* Whether a process holds the lock `name` of dir, without taking it: 1 with
 * *holder its pid, 0 when none does (or there is no lock file), -1 when it
 * cannot be told (err says why). */
int history_lock_probe(const char *dir, const char *name, pid_t *holder, char *err,
                       size_t err_size);

/* Releases the lock (closes fd); -1 is a no-op. */
void history_lock_release(int fd);

#endif
