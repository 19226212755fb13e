/* tracker.h - which issues the team has been told about, and what to tell
 * them next: one message per change, damped while an issue flaps.
 *
 * Pure: no I/O, no clock (times are passed in). Fed the issues of each poll,
 * the tracker compares them with what it last notified and returns the
 * events to send: an issue at or above the minimum severity that appears is
 * opened, one that goes (or falls below it) is cleared, one whose severity
 * rises is escalated. An issue that has had two messages within the last
 * flap window (a sliding one) gets no more until the older of them is a
 * window old; then one message says where it settled and how many changes
 * were held ("held_changes"), or none when it settled where it was last
 * told. An event that does not fit in `max` goes at the next update, with
 * its held changes. What was
 * notified is saved as JSON (the notifier keeps it in [history] dir, so a
 * restarted or succeeding sender repeats nothing).
 */
#ifndef OPSDECK_NOTIFY_TRACKER_H
#define OPSDECK_NOTIFY_TRACKER_H

#include <stddef.h>
#include <stdint.h>

#include "model/issue.h"
#include "notify/event.h"

#define NOTIFY_TRACKED_MAX 128 /* issues tracked at once; more are not notified */

struct notify_tracker;

struct notify_tracker *notify_tracker_new(void);
void notify_tracker_free(struct notify_tracker *t);

/* Compares the issues of a poll with what was notified and appends the
 * events to send to out (at most max; returns how many). min: the least
 * severity notified; flap_window_ms: 0 turns the damping off. */
int notify_tracker_update(struct notify_tracker *t, const struct issue *issues, int count,
                          enum issue_severity min, int64_t flap_window_ms, int64_t now_ms,
                          struct notify_event *out, int max);

/* Whether anything notified changed since the last save (or load). */
bool notify_tracker_dirty(const struct notify_tracker *t);

/* The notified issues as a JSON array, appended to out; clears dirty. */
void notify_tracker_save(struct notify_tracker *t, struct strbuf *out);

/* Replaces what t holds with a saved array; returns 0, or -1 with why in
 * err (t is then empty). */
int notify_tracker_load(struct notify_tracker *t, const char *json, char *err, size_t errlen);

#endif
