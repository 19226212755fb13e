/* replay.h - the dashboard looking back: a time cursor over the history
 * that `opsdeck record` keeps. `[` and `]` step one record back and
 * forward, `{` and `}` jump to where the open issues last changed and to
 * where they change next; every panel then shows that record under a
 * REPLAY banner, and actions wait until Esc (or `]` past the newest
 * record) returns to live.
 *
 * A record holds the checks' states, the figures the panels show, the open
 * issues and the version (history/record.h), not everything a live poll
 * reads: a replayed panel shows what was recorded and leaves the rest
 * blank.
 */
#ifndef OPSDECK_UI_REPLAY_H
#define OPSDECK_UI_REPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "history/record.h"
#include "history/store.h"
#include "model/history.h"
#include "model/issue.h"
#include "model/snapshot.h"

/* How far back `{` looks for the start of the issues' current state. */
#define REPLAY_SCAN_MS (6 * 60 * 60 * 1000)

struct replay {
	bool on;
	struct history_store *store;   /* open while on */
	struct history_record *record; /* the moment shown */
	struct snapshot *snap;         /* ... as the panels read it */
	struct diagnosis *diag;
	struct history *graphs; /* the hour up to that moment */
	char banner[48];        /* "REPLAY 2026-12-03 03:12:44" */
};

enum replay_move {
	REPLAY_BACK,        /* [ : the record before (entering: the newest) */
	REPLAY_FORWARD,     /* ] : the record after; past the newest, live */
	REPLAY_PREV_CHANGE, /* { : where the open issues took their current state,
	                       or, there already, the state before */
	REPLAY_NEXT_CHANGE, /* } : the first record whose open issues differ */
};

/* Moves the cursor over the history in dir (opened on entering). Returns 1
 * when it moved, 0 when there is nowhere to go (*why says so: "the oldest
 * record", "no change in the last 6 h"; for REPLAY_FORWARD past the newest
 * record replay is left, and *why is "live"), -1 with *why when the history
 * cannot be read (replay is left). app names the snapshot. */
int replay_move(struct replay *r, const char *dir, const char *app, enum replay_move move,
                char *why, size_t why_size);

/* Back to live: closes the history, frees what replay holds. */
void replay_leave(struct replay *r);

/* What a record says, as a snapshot and a diagnosis the panels read: each
 * check's state and latency, the database, Redis, request and storage
 * figures, the version, the open issues. Pure. */
void replay_snapshot(const struct history_record *rec, struct snapshot *s, struct diagnosis *d);

#endif
