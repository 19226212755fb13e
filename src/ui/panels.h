/* panels.h - the dashboard's screen as a pure function of its state: the
 * layout, the six panels (Version, Health, Performance, Slow queries,
 * Issues, Activity), the header, the key bar and the dialogs, all drawn into
 * a grid (grid.h). No curses, no I/O, no clock: the caller passes the time,
 * so the unit tests render a hand-made view and compare it with golden files.
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

enum ui_panel {
	PANEL_VERSION = 0,
	PANEL_HEALTH,
	PANEL_PERFORMANCE,
	PANEL_SLOW_QUERIES,
	PANEL_ISSUES,
	PANEL_ACTIVITY,
	PANEL_COUNT
};

const char *ui_panel_title(enum ui_panel panel);

enum ui_dialog {
	DIALOG_NONE = 0,
	DIALOG_HELP,
	DIALOG_TEXT,
};

#define UI_DIALOG_TEXT 4096

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
	char message[256];         /* one-line notice in the key bar, or "" */
	char dialog_footer[80];    /* a text dialog's key hints, or "" for the default */
	bool read_only;            /* recovery actions disabled: help and key bar say so */
};

/* Everything one frame shows. All borrowed. */
struct ui_view {
	const struct snapshot *snap;
	const struct diagnosis *diag;
	const struct history *hist;
	const struct activity_log *activity;
	const struct ui_state *state;
	int64_t now_ms;                      /* wall clock of the frame */
	int64_t last_refresh_ms;             /* wall clock of the newest publish, 0 if none */
	int64_t waiting_ms[CHECK_COUNT];      /* how long each probe has been in flight, 0 when idle */
	const char *environment;             /* "production", or "" */
	const char *program_version;         /* opsdeck's own version */
	bool utf8;                           /* line drawing, ✓ ! ✗, sparkline blocks */
};

struct ui_rect {
	int x, y, w, h;
};

#define UI_MIN_WIDTH 50
#define UI_MIN_HEIGHT 12
#define UI_FULL_WIDTH 80
#define UI_FULL_HEIGHT 24

struct ui_layout {
	bool too_small;     /* below UI_MIN_*: only a message */
	bool compact;       /* below 80x24: one panel at a time, the focused one */
	struct ui_rect panels[PANEL_COUNT]; /* w == 0: not shown */
};

void ui_layout_compute(int width, int height, enum ui_panel focus, struct ui_layout *out);

/* The panel at (x, y), or -1. */
int ui_layout_hit(const struct ui_layout *layout, int x, int y);

/* Draws the whole screen for `v` into g (of any size). */
void panels_draw(struct grid *g, const struct ui_view *v);

/* How many selectable rows a panel has (slow queries, issues, activity
 * entries); 0 for the others. */
int panels_row_count(const struct ui_view *v, enum ui_panel panel);

/* The Enter dialog for the focused panel's selection: fills title and text
 * and returns 0, or -1 when there is nothing to show. */
int panels_details(const struct ui_view *v, char *title, size_t title_size, char *text,
                   size_t text_size);

/* The help screen's text: every key. */
const char *panels_help_text(bool utf8);

#endif
