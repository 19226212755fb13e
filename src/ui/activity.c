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

/* Whether an issue with the id is in the diagnosis. */
static bool activity_issue_listed(const struct diagnosis *d, const char *id)
{
	for (int i = 0; i < d->count; i++)
		if (strcmp(d->issues[i].id, id) == 0)
			return true;
	return false;
}

void activity_log_issues(struct activity_log *log, const struct diagnosis *before,
                         const struct diagnosis *after, int64_t now_ms)
{
	for (int i = 0; i < after->count; i++) {
		const struct issue *is = &after->issues[i];
		if (!activity_issue_listed(before, is->id))
			activity_add(log, now_ms,
			             is->severity == SEVERITY_HIGH ? UI_CRITICAL : UI_WARNING,
			             "issue: %s", is->message);
	}
	for (int j = 0; j < before->count; j++) {
		const struct issue *is = &before->issues[j];
		if (activity_issue_listed(after, is->id))
			continue;
		char title[96];
		issue_title(is, title, sizeof(title));
		activity_add(log, now_ms, UI_OK, "cleared: %s", title);
	}
}
