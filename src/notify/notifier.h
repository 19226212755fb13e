/* notifier.h - [notify] webhook_url: tells the team when an issue opens or
 * clears, when a backup, drill, restore or recovery action ends.
 *
 * One sender per history directory, so nothing is sent twice: the process
 * that holds DIR/notify.lock (flock). `opsdeck record` always takes it when
 * it can; the dashboard and the exporter take it only while no recorder
 * holds the history (history/lock.h), and give it up when one starts. What
 * was notified, and how far the audit log was read, is kept in
 * DIR/notify.json, so a restarted or succeeding sender carries on where the
 * last one stopped instead of repeating itself.
 *
 * All of it runs on the notifier's own thread: the caller hands over each
 * poll's diagnosis (a copy), which never waits on a webhook. Deliveries are
 * POSTs bounded by [notify] timeout; a connection error, HTTP 429 or 5xx is
 * retried after 1, 2, 4, 8 and 16 s, then given up. Rate: [notify]
 * max_per_hour (limit.h); damping: [notify] flap_window (tracker.h). Webhook
 * URLs are secrets: the log names a webhook by its number and host only.
 */
#ifndef OPSDECK_NOTIFY_NOTIFIER_H
#define OPSDECK_NOTIFY_NOTIFIER_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "model/issue.h"

enum notifier_role {
	NOTIFIER_RECORDER, /* `opsdeck record`: sends whenever it gets the lock */
	NOTIFIER_WATCHER,  /* dashboard, exporter: only while no recorder runs */
};

#define NOTIFY_RETRY_DELAYS_MS                                                                     \
	{                                                                                          \
		1000, 2000, 4000, 8000, 16000                                                      \
	}
#define NOTIFY_OUTBOX_MAX 128 /* messages waiting; past it the oldest is dropped */

struct notifier;

/* Starts the notifier thread for cfg (copied: the caller may free it), or
 * returns NULL when [notify] webhook_url is empty or [history] dir is not
 * set (then *why says so, for a log line, or is ""). environment: -e NAME
 * or "". */
struct notifier *notifier_start(const struct config *cfg, const char *environment,
                                enum notifier_role role, char *why, size_t why_size);

/* Hands over the issues of a poll (copied); returns at once. */
void notifier_observe(struct notifier *n, const struct diagnosis *d);

/* The next line the notifier has to say (a delivery given up, the sender
 * role taken or given up), for the caller to log on its own thread: 1 with
 * the line in buf, 0 when there is none. */
int notifier_take_log(struct notifier *n, char *buf, size_t size);

/* Stops the thread (a delivery in flight ends at its timeout), keeps what
 * was notified, gives up the lock and frees n; returns how many messages
 * were still waiting for delivery (and are dropped). NULL is a no-op. */
int notifier_stop(struct notifier *n);

/* The same without waiting (the dashboard's switch of environment): the
 * thread ends on its own after a delivery in flight, keeps what was told,
 * gives up the lock and frees n. */
void notifier_release(struct notifier *n);

#endif
