/* panel_activity.c - the Activity panel: the dashboard's timeline, newest
 * first, from the selected entry on (panel.h). */
#include "ui/panel.h"

#include <stdio.h>

static void panel_activity_draw(struct grid *g, const struct ui_view *v, struct ui_area a,
                                bool focused)
{
	int end = a.x + a.w;
	(void)focused;
	if (v->activity == NULL || v->activity->count == 0) {
		grid_printf(g, a.x, a.y, end, UI_DIM, "no events yet");
		return;
	}
	int first = v->state->selected[PANEL_ACTIVITY];
	for (int row = 0; row < a.h; row++) {
		const struct activity_entry *e = activity_newest(v->activity, first + row);
		if (e == NULL)
			break;
		char clock[16];
		panel_format_clock(clock, sizeof(clock), e->at_ms);
		int n = grid_printf(g, a.x, a.y + row, end, UI_DIM, "%s  ", clock);
		grid_put(g, a.x + n, a.y + row, end, e->text, e->element);
	}
}

static int panel_activity_rows(const struct ui_view *v)
{
	return v->activity != NULL ? v->activity->count : 0;
}

static int panel_activity_details(const struct ui_view *v, int selected, char *title,
                                  size_t title_size, char *text, size_t text_size)
{
	const struct activity_entry *e =
	    v->activity != NULL ? activity_newest(v->activity, selected) : NULL;
	if (e == NULL)
		return -1;
	char clock[16];
	panel_format_clock(clock, sizeof(clock), e->at_ms);
	snprintf(title, title_size, "Activity at %s", clock);
	snprintf(text, text_size, "%s", e->text);
	return 0;
}

const struct ui_panel_class panel_activity = {
    .id = PANEL_ACTIVITY,
    .title = "Activity",
    .draw = panel_activity_draw,
    .row_count = panel_activity_rows,
    .details = panel_activity_details,
};
