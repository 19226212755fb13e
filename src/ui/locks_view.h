/* locks_view.h - the dashboard's Locks view (key l): the blocking chains of
 * the latest poll as an indented tree (each root blocker, then who waits on
 * it, two columns per level of locks_build()'s depth), and under it
 * "Running now", the longest active queries. It fills the screen between
 * the header and its own key bar, and follows every poll while open.
 *
 * Rows are selectable (chain sessions, then running queries); the selection
 * is a pid and a section (ui_locks_state), so it stays on its session when a
 * poll reorders the rows. t and c on a row pick an action for its pid
 * (locks_view_action), which the dashboard opens in the recovery dialog at
 * its dry run. Pure: drawing and choosing only, no I/O, no curses.
 */
#ifndef OPSDECK_UI_LOCKS_VIEW_H
#define OPSDECK_UI_LOCKS_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/locks.h"
#include "ui/panels.h"

enum locks_row_kind {
	LOCKS_ROW_CHAIN,   /* a session of a chain: index into sessions[] */
	LOCKS_ROW_LOOSE,   /* waits with no visible root (cycle, hidden blocker) */
	LOCKS_ROW_RUNNING, /* a running query: index into running[] */
};

/* One selectable row, in display order. */
struct locks_row {
	enum locks_row_kind kind;
	int index;
	int pid;
	int depth;     /* 0 for a root (and for loose and running rows) */
	uint32_t open; /* bit k: the ancestor at depth k has siblings below it */
	bool last;     /* the last of its siblings */
};

#define LOCKS_VIEW_ROWS (LOCKS_MAX_SESSIONS + LOCKS_MAX_RUNNING)

/* The rows of l in display order: each root (l->roots order), its waiters
 * depth first (each session once), then the loose waiters, then the
 * running queries. Returns the count (at most max). */
int locks_view_rows(const struct lock_status *l, struct locks_row *rows, int max);

/* The index of the selected row: the row of sel's pid in sel's section,
 * else the first row; -1 when there are no rows. */
int locks_view_selected(const struct locks_row *rows, int n, const struct ui_locks_state *sel);

/* Moves the selection by delta rows (clamped); to_end: to the first row
 * (delta < 0) or the last. */
void locks_view_move(const struct lock_status *l, struct ui_locks_state *sel, int delta,
                     bool to_end);

/* What key t (terminate) or c (cancel) does on `row`: 0 with the action's
 * name in *action (terminate-blocker for a root, terminate-query for
 * another session, cancel-query for an active one), or -1 with why not in
 * why (a session that runs no query cannot be cancelled). */
int locks_view_action(const struct lock_status *l, const struct locks_row *row, char key,
                      const char **action, char *why, size_t why_size);

/* The Enter dialog of a row: the session described, its whole query and
 * whom it waits on. */
void locks_view_details(const struct lock_status *l, const struct locks_row *row, char *title,
                        size_t title_size, char *text, size_t text_size);

/* Draws the view into rows 1 .. height-1 of g (the header stays on row 0):
 * the chains, Running now, the notes, and its key bar on the last row (or
 * the state's message). */
void locks_view_draw(struct grid *g, const struct ui_view *v);

#endif
