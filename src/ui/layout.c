/* layout.c - panel and dialog placement for a terminal size (layout.h). */
#include "ui/layout.h"

#include <string.h>

static void ui_rect_set(struct ui_rect *r, int x, int y, int w, int h)
{
	r->x = x;
	r->y = y;
	r->w = w;
	r->h = h;
}

void ui_layout_compute(int width, int height, enum ui_panel focus, struct ui_layout *out)
{
	memset(out, 0, sizeof(*out));
	if (width < UI_MIN_WIDTH || height < UI_MIN_HEIGHT) {
		out->too_small = true;
		return;
	}
	int body_y = LAYOUT_HEADER_ROWS, body_h = height - LAYOUT_HEADER_ROWS - LAYOUT_KEYBAR_ROWS;
	if (width < UI_FULL_WIDTH || height < UI_FULL_HEIGHT) {
		out->compact = true;
		ui_rect_set(&out->panels[focus], 0, body_y, width, body_h);
		return;
	}
	int extra = height - UI_FULL_HEIGHT;
	int top = LAYOUT_TOP_ROWS + extra / LAYOUT_TOP_SHARE;
	int bottom = LAYOUT_BOTTOM_ROWS + extra / LAYOUT_BOTTOM_SHARE;
	int middle = body_h - top - bottom;
	int left = width / 2, right = width - left;
	ui_rect_set(&out->panels[PANEL_HEALTH], 0, body_y, left, top);
	ui_rect_set(&out->panels[PANEL_VERSION], left, body_y, right, LAYOUT_VERSION_ROWS);
	ui_rect_set(&out->panels[PANEL_PERFORMANCE], left, body_y + LAYOUT_VERSION_ROWS, right,
	            top - LAYOUT_VERSION_ROWS);
	ui_rect_set(&out->panels[PANEL_ISSUES], 0, body_y + top, left, middle);
	ui_rect_set(&out->panels[PANEL_SLOW_QUERIES], left, body_y + top, right, middle);
	ui_rect_set(&out->panels[PANEL_ACTIVITY], 0, body_y + top + middle, width, bottom);
}

void ui_layout_reading_order(enum ui_panel order[PANEL_COUNT])
{
	struct ui_layout full;
	ui_layout_compute(UI_FULL_WIDTH, UI_FULL_HEIGHT, PANEL_HEALTH, &full);
	for (int i = 0; i < PANEL_COUNT; i++)
		order[i] = (enum ui_panel)i;
	/* insertion sort by top edge, then left edge: six panels */
	for (int i = 1; i < PANEL_COUNT; i++) {
		enum ui_panel p = order[i];
		const struct ui_rect *r = &full.panels[p];
		int j = i - 1;
		while (j >= 0 &&
		       (full.panels[order[j]].y > r->y ||
		        (full.panels[order[j]].y == r->y && full.panels[order[j]].x > r->x))) {
			order[j + 1] = order[j];
			j--;
		}
		order[j + 1] = p;
	}
}

int ui_layout_hit(const struct ui_layout *layout, int x, int y)
{
	if (layout->too_small)
		return -1;
	for (int p = 0; p < PANEL_COUNT; p++) {
		const struct ui_rect *r = &layout->panels[p];
		if (r->w > 0 && x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h)
			return p;
	}
	return -1;
}

int ui_layout_dialog_width(int screen_width)
{
	int w = screen_width - 2 * LAYOUT_DIALOG_MARGIN_X;
	if (w > LAYOUT_DIALOG_WIDTH)
		w = LAYOUT_DIALOG_WIDTH;
	return w < LAYOUT_DIALOG_MIN ? screen_width : w;
}

struct ui_rect ui_layout_dialog(int screen_width, int screen_height, int width, int text_lines)
{
	int h = text_lines + LAYOUT_DIALOG_FRAME;
	if (h > screen_height - 2 * LAYOUT_DIALOG_MARGIN_Y)
		h = screen_height - 2 * LAYOUT_DIALOG_MARGIN_Y;
	struct ui_rect r = {(screen_width - width) / 2, (screen_height - h) / 2, width, h};
	return r;
}
