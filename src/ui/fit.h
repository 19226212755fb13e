/* fit.h - a row of fields fitted into a number of columns by priority, so
 * that a figure is shown whole or not at all. Pure: no grid, no I/O.
 *
 * A row is a list of fields in display order. When the fields do not fit:
 * first the fields that have a brief form (the same figure under a shorter
 * label: "1 idle-tx" for "1 idle-in-tx") take it, lowest priority first;
 * then the field of lowest priority goes, whole, one at a time. A `stretch`
 * field (free text: a message, a query) is not dropped in its turn but cut
 * to the columns left (its reader finds it whole in the details view), and
 * when room is left over it takes it, pushing the fields after it to the
 * right edge. Fields that went brief get their full form back, highest
 * priority first, where it still fits. A FIT_KEEP field is never dropped;
 * when those alone are too wide the caller's drawing clips them.
 * Widths count code points, as the grid does (grid.h).
 */
#ifndef OPSDECK_UI_FIT_H
#define OPSDECK_UI_FIT_H

#include <stdbool.h>

#include "ui/theme.h"

#define FIT_KEEP 1000 /* a priority that is never dropped */

struct fit_field {
	const char *full;        /* the text with room; "" shows nothing */
	const char *brief;       /* a shorter form of the same figure, or NULL */
	int priority;            /* higher is kept longer */
	int gap;                 /* columns before it when a shown field precedes it */
	bool stretch;            /* free text: cut rather than dropped, takes the room left */
	enum ui_element element; /* how the drawing shows it (panel_draw_fields) */
	const char *separator;   /* drawn in the gap before it by panel_draw_fields,
	                            or NULL for blanks */
};

struct fit_place {
	bool shown;
	bool cut;         /* text is wider than width: the drawing ends it with an ellipsis */
	const char *text; /* full or brief; NULL when not shown */
	int x;            /* columns from the row's start */
	int width;        /* columns it owns: its text's, or a stretch field's share */
};

/* The columns of a UTF-8 text: one per code point. */
int fit_text_width(const char *text);

/* Places n fields (n <= FIT_MAX_FIELDS) in `width` columns; fills out[0..n)
 * and returns the columns used. */
#define FIT_MAX_FIELDS 16
int fit_fields(const struct fit_field *fields, int n, int width, struct fit_place *out);

#endif
