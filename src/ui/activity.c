/* activity.c - the dashboard's timeline ring (activity.h). */
#include "ui/activity.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void activity_init(struct activity_log *log)
{
	memset(log, 0, sizeof(*log));
}

void activity_add(struct activity_log *log, int64_t at_ms, enum ui_element element, const char *fmt,
                  ...)
{
	struct activity_entry *e;
	if (log->count < ACTIVITY_MAX) {
		e = &log->entries[(log->start + log->count) % ACTIVITY_MAX];
		log->count++;
	} else {
		e = &log->entries[log->start];
		log->start = (log->start + 1) % ACTIVITY_MAX;
	}
	e->at_ms = at_ms;
	e->element = element;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
}

const struct activity_entry *activity_newest(const struct activity_log *log, int i)
{
	if (i < 0 || i >= log->count)
		return NULL;
	return &log->entries[(log->start + log->count - 1 - i) % ACTIVITY_MAX];
}
