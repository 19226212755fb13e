/* record.h - one poll as the history keeps it: time, every figure the
 * panels show, each check's state, the open issues, the deployed version.
 *
 * Plain data with fixed sizes (copied with memcpy). Figures are named
 * ("database.connections_total", "storage.used_percent:/srv"); the names
 * are listed in doc/history.md. Texts are the snapshot's, which are
 * sanitised and redacted already; history_record_from_snapshot redacts the
 * issue messages once more, so no registered secret reaches the history.
 */
#ifndef OPSDECK_HISTORY_RECORD_H
#define OPSDECK_HISTORY_RECORD_H

#include <stdint.h>

#include "model/issue.h"
#include "model/snapshot.h"

#define HISTORY_NAME_TEXT    96
#define HISTORY_MAX_FIGURES  128
#define HISTORY_MAX_CHECKS   32
#define HISTORY_MAX_ISSUES   ISSUE_MAX
#define HISTORY_MESSAGE_TEXT 256

struct history_figure {
	char name[HISTORY_NAME_TEXT];
	double value;
};

struct history_check {
	char key[32]; /* the check's key, as in status --json: "redis" */
	enum check_state state;
};

struct history_issue {
	char id[64];   /* stable across polls: "storage_full:/srv" */
	char type[32]; /* "storage_full" */
	enum issue_severity severity;
	char message[HISTORY_MESSAGE_TEXT]; /* sanitised and redacted */
};

struct history_record {
	int64_t seq;          /* the store's order of writing (rises by one per record,
	                         whatever the clocks do); 0 before it is stored */
	int64_t at_ms;        /* wall clock when the poll started */
	int64_t monotonic_ms; /* CLOCK_MONOTONIC then (resets at boot) */
	int64_t duration_ms;  /* how long the poll took */
	char version[64];     /* the deployed version, "" when unknown */
	char commit[64];      /* its commit hash, "" when unknown */
	int figure_count;
	struct history_figure figures[HISTORY_MAX_FIGURES];
	int check_count;
	struct history_check checks[HISTORY_MAX_CHECKS];
	int issue_count;
	struct history_issue issues[HISTORY_MAX_ISSUES];
};

/* Empties r (no figures, checks or issues; seq and times 0). */
void history_record_init(struct history_record *r);

/* Adds a figure / a check state; past the capacity it is dropped
 * (returns -1), as is a figure that is not finite. */
int history_record_add_figure(struct history_record *r, const char *name, double value);
int history_record_add_check(struct history_record *r, const char *key, enum check_state state);
int history_record_add_issue(struct history_record *r, const struct issue *issue);

/* The value of the figure `name` in r; returns 0, or -1 when r has none. */
int history_record_figure(const struct history_record *r, const char *name, double *value);

/* Fills r from one poll: its time, the figures of every panel that were
 * read in it (a check that was not probed or failed adds none, so a gap
 * stays a gap), the deployed version and the diagnosis' issues. Check
 * states are the caller's to add (it iterates the check table). */
void history_record_from_snapshot(struct history_record *r, const struct snapshot *s,
                                  const struct diagnosis *d, int64_t monotonic_ms);

#endif
