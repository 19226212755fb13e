/* panel_slow_queries.c - the Slow queries panel: pg_stat_statements'
 * statements slower than the threshold on average (panel.h). */
#include "ui/panel.h"

#include "util/text.h"

#include <stdio.h>
#include <string.h>

static void panel_slow_queries_draw(struct grid *g, const struct ui_view *v, struct ui_area a,
                                    bool focused)
{
	const struct slow_query_status *sq = &v->snap->slow_queries;
	int end = a.x + a.w, y = a.y;
	if (panel_draw_placeholder(g, v, a, CHECK_ID_DATABASE, &sq->check,
	                           "pg_stat_statements unreadable"))
		return;
	char span[48];
	slow_query_span_text(sq, false, span, sizeof(span));
	if (sq->count == 0) {
		grid_printf(g, a.x, y, end, UI_OK, "no statement slower than %lld ms on average %s",
		            (long long)sq->threshold_ms, span);
		return;
	}
	/* the span at the right of the heading, as the Performance panel
	 * labels its series, when it fits beside the column names */
	int head = grid_printf(g, a.x, y, end, UI_DIM, "%9s %8s  %s", "mean", "calls", "query");
	char label[48];
	slow_query_span_text(sq, true, label, sizeof(label));
	int w = (int)strlen(label);
	if (head + 2 + w <= a.w)
		grid_printf(g, end - w, y, end, UI_DIM, "%s", label);
	y++;
	int rows = a.h - 1;
	int sel = v->state->selected[PANEL_SLOW_QUERIES];
	int first = panel_scroll_first(sel, rows, sq->count);
	for (int i = first; i < sq->count && y < a.y + a.h; i++, y++) {
		const struct slow_query *q = &sq->items[i];
		char mean[32];
		panel_format_ms(mean, sizeof(mean), q->mean_ms);
		enum ui_element el = focused && i == sel ? UI_SELECTION : UI_NORMAL;
		grid_fill(g, a.x, y, a.w, 1, ' ', el);
		int n = grid_printf(g, a.x, y, end, el, "%9s %8lld  ", mean, (long long)q->calls);
		struct fit_field text = {q->text_hidden ? "<insufficient privilege>" : q->query,
		                         NULL,
		                         0,
		                         0,
		                         true,
		                         el,
		                         NULL};
		panel_draw_fields(g, v, a.x + n, y, a.w - n, &text, 1, NULL);
	}
}

static int panel_slow_queries_rows(const struct ui_view *v)
{
	return v->snap->slow_queries.check.state == CHECK_OK ? v->snap->slow_queries.count : 0;
}

static int panel_slow_queries_details(const struct ui_view *v, int selected, char *title,
                                      size_t title_size, char *text, size_t text_size)
{
	const struct slow_query_status *sq = &v->snap->slow_queries;
	if (sq->check.state != CHECK_OK || selected < 0 || selected >= sq->count)
		return -1;
	const struct slow_query *q = &sq->items[selected];
	snprintf(title, title_size, "Slow query %d of %d", selected + 1, sq->count);
	snprintf(text, text_size, "mean %.1f ms, %lld %s, %.0f ms in total\n\n%s", q->mean_ms,
	         (long long)q->calls, text_plural(q->calls, "call", "calls"), q->total_ms,
	         q->text_hidden ? "<insufficient privilege: the server hides the text>" : q->query);
	return 0;
}

const struct ui_panel_class panel_slow_queries = {
    .id = PANEL_SLOW_QUERIES,
    .title = "Slow queries",
    .draw = panel_slow_queries_draw,
    .row_count = panel_slow_queries_rows,
    .details = panel_slow_queries_details,
};
