/* panels.c - layout, panels, header, key bar and dialogs drawn into a grid
 * (panels.h). Pure: everything comes from the view. */
#include "ui/panels.h"

#include "ui/header.h"
#include "ui/keys.h"
#include "ui/locks_view.h"
#include "ui/panel.h"

#include <stdio.h>
#include <string.h>

/* The panels (Tab goes in the layout's reading order: ui_panel_next). */
static const struct ui_panel_class *const PANELS[PANEL_COUNT] = {
    &panel_version,      &panel_health, &panel_performance,
    &panel_slow_queries, &panel_issues, &panel_activity,
};

static const struct ui_panel_class *ui_panel_class_of(enum ui_panel panel)
{
	for (int i = 0; i < PANEL_COUNT; i++)
		if (PANELS[i]->id == panel)
			return PANELS[i];
	return NULL;
}

const char *ui_panel_title(enum ui_panel panel)
{
	const struct ui_panel_class *c = ui_panel_class_of(panel);
	return c != NULL ? c->title : "?";
}

enum ui_panel ui_panel_next(enum ui_panel panel, int step)
{
	enum ui_panel order[PANEL_COUNT];
	ui_layout_reading_order(order);
	int at = 0;
	for (int i = 0; i < PANEL_COUNT; i++)
		if (order[i] == panel)
			at = i;
	at = ((at + step) % PANEL_COUNT + PANEL_COUNT) % PANEL_COUNT;
	return order[at];
}

/* ---------------------------------------------------------------- panels */

static void ui_draw_panel(struct grid *g, const struct ui_view *v,
                          const struct ui_panel_class *panel, struct ui_rect r)
{
	bool focused = v->state->focus == panel->id;
	char title[64];
	snprintf(title, sizeof(title), "%s%s", focused ? (v->utf8 ? "\xe2\x96\xb8 " : "> ") : "",
	         panel->title);
	grid_fill(g, r.x, r.y, r.w, r.h, ' ', UI_NORMAL);
	grid_box(g, r.x, r.y, r.w, r.h, title, focused ? UI_FOCUS : UI_BORDER,
	         focused ? UI_FOCUS : UI_TITLE, v->utf8);
	struct ui_area a = {r.x + 2, r.y + 1, r.w - 4, r.h - 2};
	if (a.w <= 0 || a.h <= 0)
		return;
	panel->draw(g, v, a, focused);
}

/* ---------------------------------------------------------------- frame */

/* The key bar: the rows of the key table that have a bar name, as many as
 * fit; or the notice of the moment. */
static void ui_draw_keybar(struct grid *g, const struct ui_view *v)
{
	int y = g->height - 1;
	grid_fill(g, 0, y, g->width, 1, ' ', UI_KEYBAR);
	if (v->state->message[0] != '\0') {
		grid_printf(g, 0, y, g->width, UI_KEYBAR, " %s", v->state->message);
		return;
	}
	int x = 0;
	for (size_t i = 0; i < UI_KEY_COUNT; i++) {
		const struct ui_key_binding *b = &UI_KEYS[i];
		if (b->bar_key == NULL)
			continue;
		char buf[64];
		const char *what = ui_keys_bar_label(b, v->state, buf, sizeof(buf));
		int need = (int)strlen(b->bar_key) + (int)strlen(what) + 2;
		if (x + need > g->width)
			break;
		x += grid_printf(g, x, y, g->width, UI_KEYBAR, " %s", b->bar_key);
		x += grid_printf(g, x, y, g->width, UI_KEYBAR, " %s", what);
	}
}

static void ui_draw_dialog(struct grid *g, const struct ui_view *v)
{
	const struct ui_state *st = v->state;
	const char *title = st->dialog == DIALOG_HELP ? "Help" : st->dialog_title;
	const char *text = st->dialog_text;
	char help[UI_DIALOG_TEXT];
	if (st->dialog == DIALOG_HELP) {
		ui_keys_help_text(help, sizeof(help), v->utf8, st->read_only);
		text = help;
	}
	int w = ui_layout_dialog_width(g->width);
	int inner = w - 2 * LAYOUT_DIALOG_PAD;
	/* count the wrapped lines without drawing */
	struct ui_wrap_out count = {g, 0, 0, 0, 0, 0, 0, UI_DIALOG};
	int lines = panel_wrap(&count, text, inner);
	struct ui_rect r = ui_layout_dialog(g->width, g->height, w, lines);
	int x = r.x, y = r.y, h = r.h;
	grid_fill(g, x, y, w, h, ' ', UI_DIALOG);
	grid_box(g, x, y, w, h, title, UI_DIALOG, UI_DIALOG, v->utf8);
	int rows = h - LAYOUT_DIALOG_FRAME;
	int first = st->dialog_scroll;
	if (first > lines - rows)
		first = lines - rows;
	if (first < 0)
		first = 0;
	struct ui_wrap_out o = {.g = g,
	                        .x = x + LAYOUT_DIALOG_PAD,
	                        .y = y + 1,
	                        .end = x + w - LAYOUT_DIALOG_PAD,
	                        .first = first,
	                        .max_lines = rows,
	                        .element = UI_DIALOG};
	panel_wrap(&o, text, inner);
	const char *footer = "Esc close";
	if (st->dialog == DIALOG_TEXT && st->dialog_footer[0] != '\0')
		footer = st->dialog_footer;
	/* the footer sits on the row above the bottom border; scrolling is
	 * offered only when the text does not fit */
	grid_printf(g, x + LAYOUT_DIALOG_PAD, y + h - 2, x + w - LAYOUT_DIALOG_PAD, UI_DIALOG,
	            "%s%s", footer, lines > rows ? "  Up/Down scroll" : "");
}

void panels_draw(struct grid *g, const struct ui_view *v)
{
	grid_clear(g, UI_NORMAL);
	struct ui_layout layout;
	ui_layout_compute(g->width, g->height, v->state->focus, &layout);
	/* the header first, whatever the size: a small terminal still says
	 * what is wrong */
	header_draw(g, v, 0);
	if (layout.too_small) {
		grid_printf(g, 0, 1, g->width, UI_WARNING, "terminal too small");
		grid_printf(g, 0, 2, g->width, UI_NORMAL, "%dx%d, need %dx%d", g->width, g->height,
		            UI_MIN_WIDTH, UI_MIN_HEIGHT);
		grid_printf(g, 0, 3, g->width, UI_DIM, "q quits");
		return;
	}
	if (v->state->locks.open)
		locks_view_draw(g, v);
	else {
		for (int i = 0; i < PANEL_COUNT; i++)
			if (layout.panels[PANELS[i]->id].w > 0)
				ui_draw_panel(g, v, PANELS[i], layout.panels[PANELS[i]->id]);
		ui_draw_keybar(g, v);
	}
	if (v->state->dialog != DIALOG_NONE)
		ui_draw_dialog(g, v);
}

int panels_row_count(const struct ui_view *v, enum ui_panel panel)
{
	const struct ui_panel_class *c = ui_panel_class_of(panel);
	return c != NULL && c->row_count != NULL ? c->row_count(v) : 0;
}

int panels_details(const struct ui_view *v, char *title, size_t title_size, char *text,
                   size_t text_size)
{
	const struct ui_panel_class *c = ui_panel_class_of(v->state->focus);
	if (c == NULL || c->details == NULL)
		return -1;
	return c->details(v, v->state->selected[v->state->focus], title, title_size, text,
	                  text_size);
}
