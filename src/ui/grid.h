/* grid.h - an abstract screen: a rectangle of cells, each a character and a
 * UI element (which the theme turns into colours).
 *
 * The layout and the panels draw into a grid and never touch the terminal
 * (tmux's screen model): the curses adapter (term.c) copies a grid to the
 * screen, and the unit tests turn one into text and compare it with golden
 * files. Every function clips to the grid, so drawing can never write out of
 * bounds whatever the coordinates. One code point takes one column.
 */
#ifndef OPSDECK_UI_GRID_H
#define OPSDECK_UI_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui/theme.h"

struct grid_cell {
	uint32_t ch;     /* a Unicode code point, ' ' when empty */
	uint8_t element; /* enum ui_element */
};

struct grid {
	int width;
	int height;
	struct grid_cell *cells; /* width * height, row-major; owned */
};

/* Allocates a width x height grid of blanks (NORMAL). Returns 0, or -1 when
 * out of memory or a size is not positive (the grid is then empty). */
int grid_init(struct grid *g, int width, int height);
void grid_free(struct grid *g);

/* Blanks every cell with `element`. */
void grid_clear(struct grid *g, enum ui_element element);

/* Writes UTF-8 text at (x, y), not past column `end` (exclusive; clipped to
 * the grid). Invalid bytes show as '?'. Returns the columns written. */
int grid_put(struct grid *g, int x, int y, int end, const char *text, enum ui_element element);

/* printf into the grid; same clipping as grid_put. */
int grid_printf(struct grid *g, int x, int y, int end, enum ui_element element, const char *fmt,
                ...) __attribute__((format(printf, 6, 7)));

/* Fills a rectangle with one code point. */
void grid_fill(struct grid *g, int x, int y, int w, int h, uint32_t ch, enum ui_element element);

/* A box with a title in the top border; `utf8` picks line-drawing
 * characters, else + - |. */
void grid_box(struct grid *g, int x, int y, int w, int h, const char *title, enum ui_element border,
              enum ui_element title_element, bool utf8);

/* The grid as UTF-8 text, one line per row, trailing blanks removed, each
 * line ending in '\n'. Allocated; the caller frees it. */
char *grid_to_text(const struct grid *g);

/* Encodes one code point as UTF-8 into out (at least 5 bytes); returns the
 * length. */
int grid_encode_utf8(uint32_t cp, char *out);

#endif
