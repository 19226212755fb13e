/* report.h - `opsdeck report`: the incident timeline of a time range, as
 * text for people, Markdown for a ticket, JSON for programs
 * (doc/report-json.md) and one self-contained HTML page with charts.
 *
 * Pure renderers: cmd/report.c reads the history (history/timeline.h) and
 * the audit log and fills struct report; every text in it is sanitised
 * already (the history's and the audit log's own), and the renderers
 * escape it for their format.
 */
#ifndef OPSDECK_OUT_REPORT_H
#define OPSDECK_OUT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "history/store.h"
#include "history/timeline.h"
#include "job/audit.h"
#include "util/strbuf.h"

/* The charts of the HTML form, in this order. */
#define REPORT_SERIES_LIST(X)                                                                      \
	X("requests.error_rate", "Error rate", "%")                                                \
	X("requests.p95_ms", "p95 response time", "ms")                                            \
	X("database.connections_total", "Database connections", "")                                \
	X("locks.waiting", "Sessions waiting on a lock", "")                                       \
	X("redis.memory_percent", "Redis memory", "% of maxmemory")
#define REPORT_SERIES_COUNT 5

struct report_series {
	const char *figure; /* REPORT_SERIES_LIST's */
	const char *title;
	const char *unit;
	struct history_point *points; /* may be NULL */
	int64_t count;
};

struct report {
	int64_t from_ms, until_ms;
	const char *app;
	const char *environment; /* "" when none */
	const struct timeline *timeline;
	const struct audit_entry *actions; /* recovery actions, restores */
	size_t action_count;
	const struct audit_entry *backups; /* backups, drills, prunes */
	size_t backup_count;
	struct report_series series[REPORT_SERIES_COUNT]; /* HTML only */
	int64_t skipped;                                  /* history rows that did not decode */
};

void report_text(const struct report *r, struct strbuf *out);
void report_markdown(const struct report *r, struct strbuf *out);
void report_json(const struct report *r, struct strbuf *out);
void report_html(const struct report *r, struct strbuf *out);

/* Whether an audit record is a backup's (backup-db, backup-files,
 * backup-drill, backup-prune) rather than another action's. */
bool report_is_backup(const struct audit_entry *e);

#endif
