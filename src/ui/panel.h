/* panel.h - the contract of one dashboard panel, and the drawing helpers
 * the panels share.
 *
 * A panel is a `struct ui_panel_class` (one per file, ui/panel_NAME.c):
 * its id, its title, and a draw function that fills the area inside its
 * border from a read-only view (panels.h). Drawing touches only the grid:
 * no curses, no I/O, no clock (the view carries the time). Its rows never
 * show part of a number (panel_draw_fields), so every panel also says what
 * Enter shows: the full text of what its rows shorten, of the selected row
 * when it has selectable rows.
 * The dashboard iterates the table of panels (panels.c) for drawing, Tab
 * focus and titles; adding a panel is one file plus one row there.
 */
#ifndef OPSDECK_UI_PANEL_H
#define OPSDECK_UI_PANEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui/fit.h"
#include "ui/panels.h"

/* The inside of a panel's border, in grid cells. */
struct ui_area {
	int x, y, w, h;
};

struct ui_panel_class {
	enum ui_panel id;
	const char *title;
	/* Draws into `a` only; `focused` shows the selected row. */
	void (*draw)(struct grid *g, const struct ui_view *v, struct ui_area a, bool focused);
	/* Selectable rows (the arrows move between them); NULL: none. */
	int (*row_count)(const struct ui_view *v);
	/* Enter, on row `selected` when the panel has rows: fills title and
	 * text and returns 0, or -1 when there is nothing to show. Every panel
	 * of the table has one. */
	int (*details)(const struct ui_view *v, int selected, char *title, size_t title_size,
	               char *text, size_t text_size);
};

extern const struct ui_panel_class panel_version;
extern const struct ui_panel_class panel_health;
extern const struct ui_panel_class panel_performance;
extern const struct ui_panel_class panel_slow_queries;
extern const struct ui_panel_class panel_issues;
extern const struct ui_panel_class panel_activity;

/* ---------------------------------------------------------------- marks */

/* How a row or a check is shown: a symbol, a word and a theme element. */
enum ui_severity { UI_SEV_NONE, UI_SEV_PENDING, UI_SEV_OK, UI_SEV_WARN, UI_SEV_CRIT };

enum ui_severity panel_severity_of_state(enum check_state state);
enum ui_severity panel_severity_of_issue(enum issue_severity severity);

/* The severity of a check's row: its state, raised by the open issues about
 * that check. An unknown version is a warning, not critical. */
enum ui_severity panel_check_severity(const struct ui_view *v, enum check_id check,
                                      enum check_state state);

/* The theme element and the symbol ("✓" or "+") of a severity. */
enum ui_element panel_mark_element(enum ui_severity sev);
const char *panel_mark_symbol(const struct ui_view *v, enum ui_severity sev);

/* The word of a severity as the Issues list shows it: "WARN". */
const char *panel_mark_word(enum ui_severity sev);

/* The word of a severity as the header's overall state: "CRITICAL". */
const char *panel_mark_overall(enum ui_severity sev);

/* Draws "✓ OK  " (symbol, word) at (x, y) and returns the columns used:
 * PANEL_MARK_COLUMNS, unless clipped. */
#define PANEL_MARK_COLUMNS 6
int panel_draw_mark(struct grid *g, const struct ui_view *v, int x, int y, int end,
                    enum ui_severity sev);

/* The "States: ✓ OK  ! WARN ..." legend of the help screen. */
void panel_marks_legend(char *dst, size_t size, bool utf8);

/* ---------------------------------------------------------------- text */

const char *panel_ellipsis(const struct ui_view *v); /* "…" or "..." */
const char *panel_dot(const struct ui_view *v);      /* " · " or ", " */

/* "1.3 ms", "450 ms", "12.5 s"; "-" for a negative value. */
void panel_format_ms(char *dst, size_t size, double ms);

/* The local time of a wall clock as HH:MM:SS. */
void panel_format_clock(char *dst, size_t size, int64_t wall_ms);

/* Fits the fields into `width` columns from (x, y) (fit.h) and draws them,
 * each in its element, a cut field ending in an ellipsis, a field's
 * separator at the start of its gap after a shown field. Fills places
 * (FIT_MAX_FIELDS at least) when not NULL; returns the columns used. */
int panel_draw_fields(struct grid *g, const struct ui_view *v, int x, int y, int width,
                      const struct fit_field *fields, int n, struct fit_place *places);

/* Word-wraps text into lines of at most `width` columns (counting code
 * points) and draws the lines from `first` on, at most `max_lines` of them,
 * from (x, y). With max_lines 0 it only counts. */
struct ui_wrap_out {
	struct grid *g;
	int x, y, end, first, max_lines, line;
	enum ui_element element;
};

/* Returns the number of wrapped lines. */
int panel_wrap(struct ui_wrap_out *o, const char *text, int width);

/* ---------------------------------------------------------------- shapes */

/* A sparkline of n values over `width` columns; each column shows the
 * largest value it covers; negative values (no data) are blank. */
void panel_draw_sparkline(struct grid *g, const struct ui_view *v, int x, int y, int width,
                          const double *values, int n);

/* A usage bar: [#####.....] */
void panel_draw_bar(struct grid *g, const struct ui_view *v, int x, int y, int width,
                    double percent, enum ui_element element);

/* The first row to show so that `selected` is visible in `rows` rows. */
int panel_scroll_first(int selected, int rows, int count);

/* What a panel shows before it has figures: "waiting N s..." while its
 * probe is slow, "waiting for the first poll", "not configured: why", and,
 * when unhealthy_default is given, the error wrapped over the panel.
 * Returns true when it drew one of these (the panel has nothing else to
 * show). */
bool panel_draw_placeholder(struct grid *g, const struct ui_view *v, struct ui_area a,
                            enum check_id which, const struct check_common *c,
                            const char *unhealthy_default);

#endif
