/* backup_deadline.c - [backup] timeout as a cancel flag set by a watchdog
 * (see backup_deadline.h). */
#include "job/backup_deadline.h"

#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/text.h"

static void *watchdog(void *arg)
{
	struct backup_deadline *d = arg;
	struct timespec step = {0, BACKUP_DEADLINE_POLL_MS * 1000000L};
	while (!atomic_load(&d->stop)) {
		if (d->outer && atomic_load(d->outer)) {
			atomic_store(&d->cancel, atomic_load(d->outer));
			break;
		}
		if (clock_monotonic_ms() >= d->deadline_ms) {
			atomic_store(&d->fired, 1);
			atomic_store(&d->cancel, 1);
			break;
		}
		nanosleep(&step, NULL);
	}
	return NULL;
}

const struct backup_hooks *backup_deadline_start(struct backup_deadline *d,
                                                 const struct backup_hooks *hooks,
                                                 int64_t timeout_ms)
{
	memset(d, 0, sizeof(*d));
	if (hooks)
		d->hooks = *hooks;
	if (timeout_ms <= 0)
		return hooks ? hooks : &d->hooks;
	d->outer = hooks ? hooks->cancel : NULL;
	d->timeout_ms = timeout_ms;
	d->deadline_ms = clock_monotonic_ms() + timeout_ms;
	atomic_init(&d->cancel, 0);
	atomic_init(&d->fired, 0);
	atomic_init(&d->stop, 0);
	d->hooks.cancel = &d->cancel;
	d->running = pthread_create(&d->thread, NULL, watchdog, d) == 0;
	if (!d->running) /* no thread: the caller's hooks, without the deadline */
		d->hooks.cancel = d->outer;
	return &d->hooks;
}

void backup_deadline_stop(struct backup_deadline *d)
{
	if (!d->running)
		return;
	atomic_store(&d->stop, 1);
	pthread_join(d->thread, NULL);
	d->running = false;
}

bool backup_deadline_fired(struct backup_deadline *d, char *err, size_t errlen)
{
	if (d->timeout_ms <= 0 || !atomic_load(&d->fired))
		return false;
	static const struct {
		int64_t ms;
		const char *unit;
	} units[] = {{3600000, "h"}, {60000, "min"}, {1000, "s"}, {1, "ms"}};
	int64_t ms = d->timeout_ms;
	size_t u = 0;
	while (ms % units[u].ms != 0)
		u++;
	text_printf(err, errlen, "timed out after %lld %s ([backup] timeout)",
	            (long long)(ms / units[u].ms), units[u].unit);
	return true;
}
