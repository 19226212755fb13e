/* panel_performance.c - the Performance panel: the app's request log over
 * its window (rate, errors, latency percentiles) and sparklines of the
 * buckets and of the p95 history (panel.h). */
#include "ui/panel.h"

#include "util/text.h"

/* The figures above the sparklines: rate and errors, then latencies.
 * Returns the next free row. */
static int panel_performance_figures(struct grid *g, const struct ui_view *v, struct ui_area a,
                                     const char *window)
{
	const struct request_metrics *m = &v->snap->requests;
	int end = a.x + a.w, y = a.y, bottom = a.y + a.h;
	if (m->requests == 0) {
		grid_printf(g, a.x, y++, end, UI_DIM, "no traffic in the last %s", window);
		return y;
	}
	int n = grid_printf(g, a.x, y, end, UI_NORMAL, "requests %lld/%s (%.1f/min)",
	                    (long long)m->requests, window, request_metrics_per_minute(m));
	const struct diagnosis *d = v->diag;
	enum ui_element err_el = UI_OK;
	for (int i = 0; d != NULL && i < d->count; i++)
		if (d->issues[i].type == ISSUE_ERROR_RATE)
			err_el = d->issues[i].severity == SEVERITY_HIGH ? UI_CRITICAL : UI_WARNING;
	grid_printf(g, a.x + n, y, end, err_el, "%serrors %.1f%% (%lld)", panel_dot(v),
	            m->error_rate >= 0 ? m->error_rate * 100.0 : 0.0, (long long)m->errors);
	y++;
	if (y < bottom) {
		char avg[32], p95[32], p99[32];
		panel_format_ms(avg, sizeof(avg), m->avg_ms);
		panel_format_ms(p95, sizeof(p95), m->p95_ms);
		panel_format_ms(p99, sizeof(p99), m->p99_ms);
		grid_printf(g, a.x, y++, end, UI_NORMAL, "avg %s%sp95 %s%sp99 %s", avg,
		            panel_dot(v), p95, panel_dot(v), p99);
	}
	return y;
}

static void panel_performance_draw(struct grid *g, const struct ui_view *v, struct ui_area a,
                                   bool focused)
{
	const struct request_metrics *m = &v->snap->requests;
	int end = a.x + a.w, bottom = a.y + a.h;
	(void)focused;
	char window[32];
	text_format_duration(window, sizeof(window), m->window_ms);
	if (panel_draw_placeholder(g, v, a, CHECK_ID_DATABASE, &m->check, "request log unreadable"))
		return;
	int y = panel_performance_figures(g, v, a, window);
	double values[SNAPSHOT_BUCKETS > HISTORY_LEN ? SNAPSHOT_BUCKETS : HISTORY_LEN];
	int count = m->bucket_count < SNAPSHOT_BUCKETS ? m->bucket_count : SNAPSHOT_BUCKETS;
	struct {
		const char *label;
		int kind;
	} lines[] = {{"req", 0}, {"avg", 1}, {"err", 2}, {"p95", 3}};
	for (size_t l = 0; l < sizeof(lines) / sizeof(lines[0]) && y < bottom; l++) {
		int n = 0;
		if (lines[l].kind == 3) {
			n = history_values(v->hist, HISTORY_P95, values, a.w - 5);
		} else {
			for (int i = 0; i < count; i++) {
				const struct request_bucket *b = &m->buckets[i];
				values[i] = lines[l].kind == 0   ? (double)b->requests
				            : lines[l].kind == 1 ? b->avg_ms
				                                 : (double)b->errors;
			}
			n = count;
		}
		if (n == 0)
			continue;
		grid_printf(g, a.x, y, end, UI_DIM, "%-4s", lines[l].label);
		panel_draw_sparkline(g, v, a.x + 4, y, a.w - 4, values, n);
		y++;
	}
	if (y < bottom && m->timestamp_index_missing)
		grid_printf(g, a.x, y, end, UI_WARNING, "! no index on \"timestamp\": %s",
		            m->index_hint);
}

const struct ui_panel_class panel_performance = {
    .id = PANEL_PERFORMANCE,
    .title = "Performance",
    .draw = panel_performance_draw,
};
