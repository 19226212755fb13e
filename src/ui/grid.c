/* grid.c - the abstract screen (see grid.h). Pure: no I/O. */
#include "ui/grid.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/sanitize.h"

int grid_init(struct grid *g, int width, int height)
{
	g->width = 0;
	g->height = 0;
	g->cells = NULL;
	if (width <= 0 || height <= 0)
		return -1;
	g->cells = calloc((size_t)width * (size_t)height, sizeof(*g->cells));
	if (g->cells == NULL)
		return -1;
	g->width = width;
	g->height = height;
	grid_clear(g, UI_NORMAL);
	return 0;
}

void grid_free(struct grid *g)
{
	if (g == NULL)
		return;
	free(g->cells);
	g->cells = NULL;
	g->width = 0;
	g->height = 0;
}

void grid_clear(struct grid *g, enum ui_element element)
{
	grid_fill(g, 0, 0, g->width, g->height, ' ', element);
}

static struct grid_cell *grid_cell_at(struct grid *g, int x, int y)
{
	if (x < 0 || y < 0 || x >= g->width || y >= g->height)
		return NULL;
	return &g->cells[(size_t)y * (size_t)g->width + (size_t)x];
}

int grid_put(struct grid *g, int x, int y, int end, const char *text, enum ui_element element)
{
	if (end > g->width)
		end = g->width;
	if (y < 0 || y >= g->height || text == NULL)
		return 0;
	const char *s = text;
	size_t left = strlen(text);
	int written = 0;
	while (left > 0 && x < end) {
		/* the sanitiser's rules, so no cell holds what it would refuse */
		uint32_t cp;
		size_t len = sanitize_decode(s, left, &cp);
		if (len == 0) {
			len = 1;
			cp = '?';
		} else if (sanitize_is_control(cp)) {
			cp = '?';
		}
		s += len;
		left -= len;
		struct grid_cell *c = grid_cell_at(g, x, y);
		if (c != NULL) {
			c->ch = cp;
			c->element = (uint8_t)element;
			written++;
		}
		x++;
	}
	return written;
}

int grid_printf(struct grid *g, int x, int y, int end, enum ui_element element, const char *fmt,
                ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return grid_put(g, x, y, end, buf, element);
}

void grid_fill(struct grid *g, int x, int y, int w, int h, uint32_t ch, enum ui_element element)
{
	for (int row = y; row < y + h; row++)
		for (int col = x; col < x + w; col++) {
			struct grid_cell *c = grid_cell_at(g, col, row);
			if (c != NULL) {
				c->ch = ch;
				c->element = (uint8_t)element;
			}
		}
}

void grid_box(struct grid *g, int x, int y, int w, int h, const char *title, enum ui_element border,
              enum ui_element title_element, bool utf8)
{
	if (w < 2 || h < 2)
		return;
	uint32_t hz = utf8 ? 0x2500 : '-', vt = utf8 ? 0x2502 : '|';
	uint32_t tl = utf8 ? 0x250c : '+', tr = utf8 ? 0x2510 : '+';
	uint32_t bl = utf8 ? 0x2514 : '+', br = utf8 ? 0x2518 : '+';
	grid_fill(g, x + 1, y, w - 2, 1, hz, border);
	grid_fill(g, x + 1, y + h - 1, w - 2, 1, hz, border);
	grid_fill(g, x, y + 1, 1, h - 2, vt, border);
	grid_fill(g, x + w - 1, y + 1, 1, h - 2, vt, border);
	grid_fill(g, x, y, 1, 1, tl, border);
	grid_fill(g, x + w - 1, y, 1, 1, tr, border);
	grid_fill(g, x, y + h - 1, 1, 1, bl, border);
	grid_fill(g, x + w - 1, y + h - 1, 1, 1, br, border);
	if (title != NULL && *title != '\0' && w > 6) {
		int n = grid_put(g, x + 2, y, x + w - 2, " ", title_element);
		n += grid_put(g, x + 2 + n, y, x + w - 3, title, title_element);
		grid_put(g, x + 2 + n, y, x + w - 2, " ", title_element);
	}
}

int grid_encode_utf8(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		out[1] = '\0';
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		out[2] = '\0';
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		out[3] = '\0';
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	out[4] = '\0';
	return 4;
}

char *grid_to_text(const struct grid *g)
{
	size_t cap = (size_t)g->width * (size_t)g->height * 4 + (size_t)g->height + 1;
	char *text = malloc(cap);
	if (text == NULL)
		return NULL;
	size_t len = 0;
	for (int y = 0; y < g->height; y++) {
		size_t line_start = len, last_nonblank = len;
		for (int x = 0; x < g->width; x++) {
			uint32_t ch = g->cells[(size_t)y * (size_t)g->width + (size_t)x].ch;
			len += (size_t)grid_encode_utf8(ch, text + len);
			if (ch != ' ')
				last_nonblank = len;
		}
		(void)line_start;
		len = last_nonblank;
		text[len++] = '\n';
	}
	text[len] = '\0';
	return text;
}
