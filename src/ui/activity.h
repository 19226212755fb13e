/* activity.h - the dashboard's timeline: state changes, and later backups
 * and recovery actions, with their time. A bounded ring of plain entries;
 * the newest push drops the oldest when full. Pure, no I/O.
 */
#ifndef OPSDECK_UI_ACTIVITY_H
#define OPSDECK_UI_ACTIVITY_H

#include <stdint.h>

#include "model/issue.h"
#include "ui/theme.h"

#define ACTIVITY_MAX  200
#define ACTIVITY_TEXT 200

struct activity_entry {
	int64_t at_ms;            /* wall clock */
	enum ui_element element;  /* how to show it: UI_OK, UI_CRITICAL, ... */
	char text[ACTIVITY_TEXT]; /* already sanitised */
};

struct activity_log {
	struct activity_entry entries[ACTIVITY_MAX];
	int start;
	int count;
};

void activity_init(struct activity_log *log);

void activity_add(struct activity_log *log, int64_t at_ms, enum ui_element element, const char *fmt,
                  ...) __attribute__((format(printf, 4, 5)));

/* Adds an entry for each issue that appeared between two diagnoses (its
 * message, critical or warning by severity) and for each that cleared (its
 * title, issue_title: the stable id stays in JSON and the audit log). */
void activity_log_issues(struct activity_log *log, const struct diagnosis *before,
                         const struct diagnosis *after, int64_t now_ms);

/* The i-th newest entry (0 = newest), or NULL. */
const struct activity_entry *activity_newest(const struct activity_log *log, int i);

#endif
