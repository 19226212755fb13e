/* term.c - the curses adapter (term.h). The only file with curses calls. */
#include "ui/term.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct term {
	SCREEN *screen;
	int fd;
	struct grid shadow; /* what was last copied to stdscr */
	bool repaint;       /* the next draw copies every cell */
	attr_t attrs[UI_ELEMENT_COUNT];
	short pairs[UI_ELEMENT_COUNT];
};

int term_open(struct term **out, char *err, size_t errlen)
{
	*out = NULL;
	struct term *t = calloc(1, sizeof(*t));
	if (t == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	const char *name = getenv("TERM");
	t->screen = newterm(NULL, stdout, stdin);
	if (t->screen == NULL) {
		snprintf(err, errlen, "cannot use the terminal '%s' (no terminfo entry?)",
		         name != NULL ? name : "");
		free(t);
		return -1;
	}
	set_term(t->screen);
	t->fd = fileno(stdin);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	leaveok(stdscr, TRUE);
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED, NULL);
	mouseinterval(0);
	if (has_colors()) {
		start_color();
		use_default_colors();
	}
	t->repaint = true;
	*out = t;
	return 0;
}

void term_close(struct term *t)
{
	if (t == NULL)
		return;
	endwin();
	delscreen(t->screen);
	grid_free(&t->shadow);
	free(t);
}

int term_fd(const struct term *t)
{
	return t->fd;
}

void term_size(const struct term *t, int *width, int *height)
{
	(void)t;
	*width = COLS;
	*height = LINES;
}

void term_set_theme(struct term *t, const struct theme *theme)
{
	bool color = theme->color && has_colors();
	int colors = COLORS;
	for (int e = 0; e < UI_ELEMENT_COUNT; e++) {
		const struct theme_style *s = &theme->styles[e];
		attr_t a = A_NORMAL;
		if (s->bold)
			a |= A_BOLD;
		if (s->underline)
			a |= A_UNDERLINE;
		if (s->reverse)
			a |= A_REVERSE;
		t->pairs[e] = 0;
		if (color && e + 1 < COLOR_PAIRS) {
			int fg = theme_approximate(s->fg, colors);
			int bg = theme_approximate(s->bg, colors);
			/* bright colours on an 8-colour terminal: bold gives the
			 * brightness back on most of them */
			if (colors < 16 && s->fg >= 8 && s->fg < 16)
				a |= A_BOLD;
			if (init_pair((short)(e + 1), (short)fg, (short)bg) == OK)
				t->pairs[e] = (short)(e + 1);
		}
		t->attrs[e] = a;
	}
	t->repaint = true;
}

void term_draw(struct term *t, const struct grid *g)
{
	if (t->shadow.width != g->width || t->shadow.height != g->height) {
		grid_free(&t->shadow);
		if (grid_init(&t->shadow, g->width, g->height) < 0)
			return;
		t->repaint = true;
	}
	for (int y = 0; y < g->height && y < LINES; y++)
		for (int x = 0; x < g->width && x < COLS; x++) {
			const struct grid_cell *c =
			    &g->cells[(size_t)y * (size_t)g->width + (size_t)x];
			struct grid_cell *old =
			    &t->shadow.cells[(size_t)y * (size_t)g->width + (size_t)x];
			if (!t->repaint && old->ch == c->ch && old->element == c->element)
				continue;
			*old = *c;
			wchar_t wc[2] = {(wchar_t)c->ch, L'\0'};
			cchar_t cc;
			unsigned e = c->element < UI_ELEMENT_COUNT ? c->element : 0;
			if (setcchar(&cc, wc, t->attrs[e], t->pairs[e], NULL) == OK)
				mvwadd_wch(stdscr, y, x,
				           &cc); /* ERR at the last cell is harmless */
		}
	t->repaint = false;
	wnoutrefresh(stdscr);
	doupdate();
}

int term_read_key(struct term *t, struct ui_key_event *ev)
{
	wint_t ch;
	memset(ev, 0, sizeof(*ev));
	int rc = wget_wch(stdscr, &ch);
	if (rc == ERR)
		return 0;
	if (rc == KEY_CODE_YES) {
		switch (ch) {
		case KEY_UP:
			ev->key = UI_KEY_UP;
			break;
		case KEY_DOWN:
			ev->key = UI_KEY_DOWN;
			break;
		case KEY_LEFT:
			ev->key = UI_KEY_LEFT;
			break;
		case KEY_RIGHT:
			ev->key = UI_KEY_RIGHT;
			break;
		case KEY_PPAGE:
			ev->key = UI_KEY_PAGE_UP;
			break;
		case KEY_NPAGE:
			ev->key = UI_KEY_PAGE_DOWN;
			break;
		case KEY_HOME:
			ev->key = UI_KEY_HOME;
			break;
		case KEY_END:
			ev->key = UI_KEY_END;
			break;
		case KEY_ENTER:
			ev->key = UI_KEY_ENTER;
			break;
		case KEY_BTAB:
			ev->key = UI_KEY_BACKTAB;
			break;
		case KEY_BACKSPACE:
			ev->key = UI_KEY_BACKSPACE;
			break;
		case KEY_RESIZE:
			/* What the terminal shows may not be what curses believes:
			 * a frame drawn for the old size wraps on the new one. Clear
			 * and redraw everything once, as ^L does. */
			ev->key = UI_KEY_RESIZE;
			t->repaint = true;
			clearok(curscr, TRUE);
			break;
		case KEY_MOUSE: {
			MEVENT me;
			if (getmouse(&me) == OK &&
			    (me.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) != 0) {
				ev->key = UI_KEY_CLICK;
				ev->x = me.x;
				ev->y = me.y;
			}
			break;
		}
		default:
			break;
		}
		return 1;
	}
	switch (ch) {
	case '\r':
	case '\n':
		ev->key = UI_KEY_ENTER;
		break;
	case '\t':
		ev->key = UI_KEY_TAB;
		break;
	case 27:
		ev->key = UI_KEY_ESCAPE;
		break;
	case 8:
	case 127:
		ev->key = UI_KEY_BACKSPACE;
		break;
	case 12: /* ^L: repaint everything */
		t->repaint = true;
		clearok(curscr, TRUE);
		ev->key = UI_KEY_RESIZE;
		break;
	default:
		ev->key = UI_KEY_CHAR;
		ev->ch = (unsigned int)ch;
		break;
	}
	return 1;
}
