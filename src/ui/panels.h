/* panels.h - the dashboard's screen as a pure function of its state: the
 * panels (one file each, the contract in panel.h) placed by layout.h, the
 * header, the key bar and the dialogs, all drawn into a grid (grid.h). No curses, no I/O, no clock:
 * the caller passes the time, so the unit tests render a hand-made view and compare it with golden
 * files.
 */
#ifndef OPSDECK_UI_PANELS_H
#define OPSDECK_UI_PANELS_H

#include <stdbool.h>
#include <stdint.h>

#include "check/check.h"
#include "model/history.h"
#include "model/issue.h"
#include "model/snapshot.h"
#include "ui/activity.h"
#include "ui/grid.h"
#include "ui/layout.h"

const char *ui_panel_title(enum ui_panel panel);

/* The panel `step` places after `panel` in Tab order, the screen's reading
 * order (ui_layout_reading_order; -1: the one before), wrapping around. */
enum ui_panel ui_panel_next(enum ui_panel panel, int step);

enum ui_dialog {
	DIALOG_NONE = 0,
	DIALOG_HELP,
	DIALOG_TEXT,
};

#define UI_DIALOG_TEXT 4096

/* The Locks view (locks_view.h): open or not, and its selected row as a
 * pid and a section, so that it follows its session across polls. */
struct ui_locks_state {
	bool open;
	int pid;      /* 0: the first row */
	bool running; /* the pid's row in Running now rather than in the chains */
};

/* What the keys change. Owned by the dashboard. */
struct ui_state {
	enum ui_panel focus;
	int selected[PANEL_COUNT]; /* selected row: slow query, issue, activity line */
	bool paused;
	int64_t interval_ms;
	char theme_name[64];
	enum ui_dialog dialog;
	char dialog_title[80];
	char dialog_text[UI_DIALOG_TEXT];
	int dialog_scroll;
	char message[256];           /* one-line notice in the key bar, or "" */
	char dialog_footer[80];      /* a text dialog's key hints, or "" for the default */
	bool read_only;              /* recovery dry runs only: help and key bar say so */
	struct ui_locks_state locks; /* the Locks view, drawn under any dialog */
};

/* Everything one frame shows. All borrowed. */
/* The header's banner: [ui] banner (CONFIG_BANNER_MAX) and, while
 * replaying, the moment shown ("PRODUCTION | REPLAY 2026-12-03 ..."). */
#define UI_BANNER_TEXT 96

struct ui_view {
	const struct snapshot *snap;
	const struct diagnosis *diag;
	const struct history *hist;
	const char *graph_span; /* hist is this span of the history ("24h"), or NULL: the polls */
	const struct activity_log *activity;
	const struct ui_state *state;
	int64_t now_ms;                  /* wall clock of the frame */
	int64_t last_refresh_ms;         /* wall clock of the newest publish, 0 if none */
	int64_t waiting_ms[CHECK_COUNT]; /* how long each probe has been in flight, 0 when idle */
	const char *environment;         /* "production", or "" */
	const char *banner;              /* [ui] banner, "PRODUCTION", or ""; while
	                                    replaying, with the moment after it */
	const char *program_version;     /* opsdeck's own version */
	bool utf8;                       /* line drawing, ✓ ! ✗, sparkline blocks */
};

/* Draws the whole screen for `v` into g (of any size). */
void panels_draw(struct grid *g, const struct ui_view *v);

/* How many selectable rows a panel has (slow queries, issues, activity
 * entries); 0 for the others. */
int panels_row_count(const struct ui_view *v, enum ui_panel panel);

/* The Enter dialog for the focused panel's selection: fills title and text
 * and returns 0, or -1 when there is nothing to show. */
int panels_details(const struct ui_view *v, char *title, size_t title_size, char *text,
                   size_t text_size);

#endif
