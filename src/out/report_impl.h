/* report_impl.h - what the report's renderers share: the timeline of its
 * events in time order, an issue's row, and the time as people read it. */
#ifndef OPSDECK_OUT_REPORT_IMPL_H
#define OPSDECK_OUT_REPORT_IMPL_H

#include "out/report.h"

/* The timeline: heading (when there is an event), then row() for each
 * event with its time and line. Returns how many events there were. */
size_t report_timeline(const struct report *r, struct strbuf *out, const char *heading,
                       void (*row)(struct strbuf *out, const char *at, const char *line));

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
