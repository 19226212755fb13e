/* layout.h - where the dashboard's panels and dialogs go for a terminal
 * size. Pure arithmetic on named constants, no drawing.
 *
 * At UI_FULL_WIDTH x UI_FULL_HEIGHT and above every panel is shown: Health
 * beside Version over Performance, Issues beside Slow queries, Activity
 * across the bottom; rows past the full height go one third to the top
 * band and one quarter to Activity. Between UI_MIN_* and the full size the
 * focused panel alone fills the body (compact). Below UI_MIN_* nothing fits
 * (too_small). The header and the key bar take one row each.
 */
#ifndef OPSDECK_UI_LAYOUT_H
#define OPSDECK_UI_LAYOUT_H

#include <stdbool.h>

/* The dashboard's panels. Tab follows ui_layout_reading_order, not this. */
enum ui_panel {
	PANEL_VERSION = 0,
	PANEL_HEALTH,
	PANEL_PERFORMANCE,
	PANEL_SLOW_QUERIES,
	PANEL_ISSUES,
	PANEL_ACTIVITY,
	PANEL_COUNT
};

#define UI_MIN_WIDTH   50
#define UI_MIN_HEIGHT  12
#define UI_FULL_WIDTH  80
#define UI_FULL_HEIGHT 24

#define LAYOUT_HEADER_ROWS     1  /* the header line */
#define LAYOUT_KEYBAR_ROWS     1  /* the key bar */
#define LAYOUT_TOP_ROWS        12 /* Health | Version + Performance, at the full height */
#define LAYOUT_TOP_SHARE       3  /* the top band takes 1/3 of the rows past it */
#define LAYOUT_BOTTOM_ROWS     4  /* Activity, at the full height */
#define LAYOUT_BOTTOM_SHARE    4  /* Activity takes 1/4 of the rows past it */
#define LAYOUT_VERSION_ROWS    5  /* Version, above Performance */
#define LAYOUT_DIALOG_WIDTH    78 /* a dialog's widest */
#define LAYOUT_DIALOG_MARGIN_X 2  /* columns kept clear on each side of a dialog */
#define LAYOUT_DIALOG_MARGIN_Y 1  /* rows kept clear above and below a dialog */
#define LAYOUT_DIALOG_MIN      20 /* narrower than this, a dialog takes the whole width */
#define LAYOUT_DIALOG_PAD      2  /* columns between a dialog's edge and its text */
#define LAYOUT_DIALOG_FRAME    4  /* a dialog's rows that are not text: borders, footer, blank */

struct ui_rect {
	int x, y, w, h;
};

struct ui_layout {
	bool too_small;                     /* below UI_MIN_*: only a message */
	bool compact;                       /* below full size: the focused panel only */
	struct ui_rect panels[PANEL_COUNT]; /* w == 0: not shown */
};

/* Places the panels for a width x height terminal; `focus` is the panel a
 * compact layout shows. */
void ui_layout_compute(int width, int height, enum ui_panel focus, struct ui_layout *out);

/* The panels in reading order of the full layout (top to bottom, then left
 * to right by top edge): the Tab order at every size, so that a compact
 * screen steps through the panels as the full one shows them. */
void ui_layout_reading_order(enum ui_panel order[PANEL_COUNT]);

/* The panel at (x, y), or -1. */
int ui_layout_hit(const struct ui_layout *layout, int x, int y);

/* A dialog's width on a screen `screen_width` wide. */
int ui_layout_dialog_width(int screen_width);

/* A dialog of `width` (ui_layout_dialog_width) holding `text_lines` lines,
 * centred and cut to the screen. */
struct ui_rect ui_layout_dialog(int screen_width, int screen_height, int width, int text_lines);

#endif
