/* lock.h - one writer per history directory: DIR/record.lock, held with
 * flock(2) for as long as the writer writes and holding its pid and role
 * ("PID ROLE\n"); and one sender of notifications: DIR/notify.lock
 * (notify/notifier.h).
 *
 * The writer is `opsdeck record` (role "record") or, while none runs, a
 * dashboard (role "dashboard", history/writer.h). A recorder that starts
 * while a dashboard writes claims the directory: it leaves its pid in
 * DIR/record.wanted, the dashboard lets go within a second and goes on
 * reading, and takes the lock again once no recorder holds it.
 *
 * The kernel drops the lock when the holder exits, however it exits
 * (SIGKILL included), so a stale lock file never blocks a new writer; a
 * record.wanted left by a recorder that died is ignored (its pid is gone).
 */
#ifndef OPSDECK_HISTORY_LOCK_H
#define OPSDECK_HISTORY_LOCK_H

#include <stddef.h>
#include <sys/types.h>

#include <stdbool.h>
#include <stdint.h>

#define HISTORY_RECORD_LOCK "record.lock"
#define HISTORY_NOTIFY_LOCK "notify.lock"
#define HISTORY_WANTED_FILE "record.wanted"

#define HISTORY_ROLE_RECORDER  "record"
#define HISTORY_ROLE_DASHBOARD "dashboard"

/* Who holds a lock, as its file says: pid 0 and role "" when it does not. */
struct history_lock_holder {
	pid_t pid;
	char role[16];
};

/* Takes the lock `name` (above) of dir for `role` (written beside the pid).
 * Returns 0 with *fd the descriptor that holds it (history_lock_release
 * gives it up); 1 when another process holds it, with *holder filled; -1
 * with one line in err when the lock file cannot be opened. */
int history_lock_acquire(const char *dir, const char *name, const char *role, int *fd,
                         struct history_lock_holder *holder, char *err, size_t err_size);

/* Whether a process holds the lock `name` of dir, without taking it: 1 with
 * *holder filled, 0 when none does (or there is no lock file), -1 when it
 * cannot be told (err says why). */
int history_lock_probe(const char *dir, const char *name, struct history_lock_holder *holder,
                       char *err, size_t err_size);

/* The recorder's way in: history_lock_acquire of record.lock as "record",
 * and when a dashboard holds it, asks it to let go (record.wanted) and
 * tries again every 100 ms for up to wait_ms. Returns as
 * history_lock_acquire; record.wanted is gone on every path. */
int history_lock_claim(const char *dir, int64_t wait_ms, int *fd,
                       struct history_lock_holder *holder, char *err, size_t err_size);

/* Whether a live recorder waits for record.lock (a dashboard holding it
 * lets go; one not holding it does not take it). A record.wanted whose
 * recorder is gone is removed. */
bool history_lock_wanted(const char *dir);

/* Releases the lock (closes fd); -1 is a no-op. */
void history_lock_release(int fd);

#endif
