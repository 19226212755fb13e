/* limit.c - at most N messages in any hour (limit.h). */
#include "notify/limit.h"

#include <string.h>

void notify_limit_init(struct notify_limit *l, int per_hour)
{
	memset(l, 0, sizeof(*l));
	if (per_hour < 1)
		per_hour = 1;
	l->per_hour = per_hour > NOTIFY_LIMIT_MAX ? NOTIFY_LIMIT_MAX : per_hour;
}

bool notify_limit_take(struct notify_limit *l, int64_t now_ms)
{
	/* full: the slot the next send takes holds the oldest of the last N */
	if (l->count == l->per_hour && now_ms - l->sent_ms[l->next] < NOTIFY_LIMIT_SPAN_MS) {
		l->held++;
		return false;
	}
	l->sent_ms[l->next] = now_ms;
	l->next = (l->next + 1) % l->per_hour;
	if (l->count < l->per_hour)
		l->count++;
	return true;
}

int notify_limit_held(struct notify_limit *l)
{
	int held = l->held;
	l->held = 0;
	return held;
}
