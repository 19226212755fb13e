/* report_impl.h - what the report's renderers share: its events in time
 * order, each one's line for people, and the time as people read it. */
#ifndef OPSDECK_OUT_REPORT_IMPL_H
#define OPSDECK_OUT_REPORT_IMPL_H

#include "out/report.h"

enum report_event_kind {
	REPORT_EVENT_GAP_START,
	REPORT_EVENT_GAP_END,
	REPORT_EVENT_DEPLOY,
	REPORT_EVENT_OPENED,
	REPORT_EVENT_CLEARED,
	REPORT_EVENT_BACKUP,
	REPORT_EVENT_ACTION,
};

struct report_event {
	int64_t at_ms;
	enum report_event_kind kind;
	size_t index; /* into the timeline's or the report's array of its kind */
};

/* Every event of r by time (an issue open at the start begins at from_ms);
 * *events is allocated, the caller frees it. Returns the count. */
size_t report_events(const struct report *r, struct report_event **events);

/* One event for people, without its time: "OPENED error_rate (high): ...". */
void report_event_line(const struct report *r, const struct report_event *e, struct strbuf *out);

/* "2026-12-05 01:02:54" (UTC). */
void report_time(char *dst, size_t size, int64_t ms);

/* How long an issue was open, to its end or to the end of the range. */
int64_t report_issue_duration(const struct report *r, const struct timeline_issue *ti);

/* An issue's row: its start (as report_time), end ("still open") and how
 * long it was open, each 32 bytes. */
struct report_issue_times {
	char start[32];
	char end[32];
	char took[32];
};
void report_issue_times(const struct report *r, const struct timeline_issue *ti,
                        struct report_issue_times *out);

#endif
