/* limit.h - [notify] max_per_hour: at most N messages in any hour.
 *
 * Pure: a ring of the send times of the last N messages. A message that
 * finds N sent within the hour is held back and counted; the next one that
 * may go carries that count (a NOTIFY_HELD_BACK event before it).
 */
#ifndef OPSDECK_NOTIFY_LIMIT_H
#define OPSDECK_NOTIFY_LIMIT_H

#include <stdbool.h>
#include <stdint.h>

#define NOTIFY_LIMIT_MAX     3600 /* the largest max_per_hour */
#define NOTIFY_LIMIT_SPAN_MS (3600 * 1000)

struct notify_limit {
	int per_hour;
	int count; /* times stored */
	int next;  /* where the next goes in the ring */
	int64_t sent_ms[NOTIFY_LIMIT_MAX];
	int held; /* held back since the last message that went */
};

void notify_limit_init(struct notify_limit *l, int per_hour);

/* Whether a message may go at now_ms (it is then counted as sent); false
 * counts it as held back. */
bool notify_limit_take(struct notify_limit *l, int64_t now_ms);

/* How many were held back since the last one that went, and resets it;
 * call after a take that returned true, to say so. */
int notify_limit_held(struct notify_limit *l);

#endif
