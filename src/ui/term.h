/* term.h - the curses adapter: the only file that calls ncurses (htop's
 * CRT). It opens the terminal with newterm (never initscr, which exits on
 * failure), turns a theme into attributes, copies a grid to the screen
 * touching only the cells that changed since the last frame (then
 * wnoutrefresh + doupdate, so ncurses sends the minimum), and turns curses
 * keys into ui_key events. UI thread only: ncurses is not thread-safe.
 */
#ifndef OPSDECK_UI_TERM_H
#define OPSDECK_UI_TERM_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/grid.h"
#include "ui/theme.h"

enum ui_key {
	UI_KEY_NONE = 0,
	UI_KEY_CHAR, /* a printable character in `ch` */
	UI_KEY_UP,
	UI_KEY_DOWN,
	UI_KEY_LEFT,
	UI_KEY_RIGHT,
	UI_KEY_PAGE_UP,
	UI_KEY_PAGE_DOWN,
	UI_KEY_HOME,
	UI_KEY_END,
	UI_KEY_ENTER,
	UI_KEY_ESCAPE,
	UI_KEY_TAB,
	UI_KEY_BACKTAB,
	UI_KEY_RESIZE,
	UI_KEY_CLICK,     /* a mouse click at (x, y) */
	UI_KEY_BACKSPACE, /* Backspace, DEL or ^H: for the text prompts */
};

struct ui_key_event {
	enum ui_key key;
	unsigned int ch;
	int x, y;
};

struct term;

/* Opens the terminal on stdin/stdout (setlocale must have run). Returns 0,
 * or -1 with why in err (nothing is left to undo). */
int term_open(struct term **out, char *err, size_t errlen);

/* Restores the terminal and frees everything; NULL is a no-op. */
void term_close(struct term *t);

/* The terminal's file descriptor for poll(). */
int term_fd(const struct term *t);

void term_size(const struct term *t, int *width, int *height);

/* Applies a theme; the next term_draw repaints every cell. */
void term_set_theme(struct term *t, const struct theme *theme);

/* Shows the grid (same size as the screen, else the next draw repaints). */
void term_draw(struct term *t, const struct grid *g);

/* Reads one pending key without waiting. Returns 1 with the event, or 0 when
 * there is none. */
int term_read_key(struct term *t, struct ui_key_event *ev);

#endif
