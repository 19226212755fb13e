/* timeline.h - an incident's timeline from the history: the issues that
 * were open in a range with when they started and ended, the deploys, and
 * the gaps when nothing was recording.
 *
 * Pure: fed the records of the range in seq order (history_store_records),
 * it keeps for each issue id the spans it was open (from the first record
 * that has it to the first that does not), its worst severity and the peak
 * of its figure (requests.error_rate for error_rate, ...), and a deploy for
 * each change of the deployed version between two records. A gap is a time
 * between two records of more than three times their usual spacing: an
 * issue open on both sides stays one span. Times are the records' wall
 * clocks; a clock stepped back never reorders anything.
 */
#ifndef OPSDECK_HISTORY_TIMELINE_H
#define OPSDECK_HISTORY_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "history/record.h"
#include "model/deploy.h"

struct timeline_issue {
	char id[64];
	char type[32];
	enum issue_severity severity;        /* the worst while open */
	char message[HISTORY_MESSAGE_TEXT];  /* as first seen at that severity */
	int64_t started_ms;                  /* the first record that had it */
	int64_t ended_ms;                    /* the first that did not; -1: still open */
	bool open_at_start;                  /* the range's first record had it */
	char peak_figure[HISTORY_NAME_TEXT]; /* "" when its type has none */
	double peak;                         /* the worst value of that figure */
	bool has_peak;
	int deploy; /* the deploy it started after, or -1 */
};

struct timeline_deploy {
	int64_t at_ms; /* the first record with the new version */
	char from[64]; /* "" when the version was unknown before */
	char to[64];
	char commit[64];
};

struct timeline_gap {
	int64_t from_ms;  /* the last record before it */
	int64_t until_ms; /* the first after it */
};

struct timeline {
	int64_t records;
	int64_t first_ms, last_ms; /* of the records; 0 when there are none */
	size_t issue_count, deploy_count, gap_count;
	struct timeline_issue *issues; /* by start */
	struct timeline_deploy *deploys;
	struct timeline_gap *gaps;
	/* building */
	size_t issue_cap, deploy_cap, gap_cap;
	int64_t *at; /* every record's time, for the gaps */
	size_t at_count, at_cap;
	char version[64]; /* of the last record */
	bool have_version;
};

/* How long after a deploy an issue that starts is linked to it. */
#define TIMELINE_DEPLOY_WINDOW_MS DEPLOY_LINK_WINDOW_MS

void timeline_init(struct timeline *t);
/* Adds the next record (in seq order). */
void timeline_add(struct timeline *t, const struct history_record *r);
/* timeline_add as history_store_records' `each` (ctx: the timeline). */
int timeline_take(const struct history_record *r, void *timeline);
/* Ends the build: the gaps, and which deploy each issue followed. */
void timeline_finish(struct timeline *t);
void timeline_free(struct timeline *t);

/* The last deploy the history in dir holds in the DEPLOY_LINK_WINDOW_MS
 * before now_ms, with the start of the first problem after it that a
 * deploy can cause (or DEPLOY_PROBLEMS_BEFORE), into out: a poller's
 * starting point (model/deploy.h). Returns 1, 0 when there is none (or no
 * history; out is then zeroed), -1 when the history cannot be read. */
int history_last_deploy(const char *dir, int64_t now_ms, struct deploy_status *out);

/* The figure whose worst value an issue of `type` reports, and whether the
 * worst is the lowest (cache_hit) rather than the highest; NULL when the
 * type has none. For a per-path type (storage_full:/srv) the subject is
 * appended by the caller. */
const char *timeline_peak_figure(const char *type, bool *lowest);

#endif
