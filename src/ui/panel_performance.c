/* panel_performance.c - the Performance panel: the app's request log over
 * its window (rate, errors, latency percentiles), sparklines of the window's
 * buckets and of the p95 of each poll (or, with `g`, of the history over 15
 * min, an hour or a day), each sparkline labelled with the span
 * it covers ("last 1h00m", "since 08:01"), since the two differ (panel.h).
 * The figures are fitted by priority (fit.h): errors and p95 outlive the
 * rate and the average. Enter shows every figure and span in full. */
#include "ui/panel.h"

#include <stdio.h>

#include "util/strbuf.h"
#include "util/text.h"

#define PERFORMANCE_LABEL_COLUMNS 4  /* "p95 " */
#define PERFORMANCE_SPAN_MIN      24 /* narrowest sparkline that keeps its span label */

/* The request log's window ("1h00m") and what the p95 sparkline covers
 * ("since 08:01", "last 12 polls" when the polls carry no time). */
static void panel_performance_spans(const struct ui_view *v, int columns, char *window,
                                    size_t window_size, char *p95, size_t p95_size)
{
	text_format_duration(window, window_size, v->snap->requests.window_ms);
	int64_t since = history_since_ms(v->hist, HISTORY_P95, columns);
	if (since > 0) {
		char clock[16];
		panel_format_clock(clock, sizeof(clock), since);
		clock[5] = '\0'; /* HH:MM */
		snprintf(p95, p95_size, "since %s", clock);
	} else {
		double values[HISTORY_LEN];
		snprintf(p95, p95_size, "last %d polls",
		         history_values(v->hist, HISTORY_P95, values, columns));
	}
}

/* The two lines of figures; returns the next free row. */
static int panel_performance_figures(struct grid *g, const struct ui_view *v, struct ui_area a,
                                     const char *window)
{
	const struct request_metrics *m = &v->snap->requests;
	int end = a.x + a.w, y = a.y, bottom = a.y + a.h;
	if (m->requests == 0) {
		grid_printf(g, a.x, y++, end, UI_DIM, "no traffic in the last %s", window);
		return y;
	}
	const struct diagnosis *d = v->diag;
	enum ui_element err_el = UI_OK;
	for (int i = 0; d != NULL && i < d->count; i++)
		if (d->issues[i].type == ISSUE_ERROR_RATE)
			err_el = d->issues[i].severity == SEVERITY_HIGH ? UI_CRITICAL : UI_WARNING;
	int dot = fit_text_width(panel_dot(v));
	double error_percent = m->error_rate >= 0 ? m->error_rate * 100.0 : 0.0;
	char requests[64], requests_brief[48], rate[32], errors[64], errors_brief[32];
	snprintf(requests, sizeof(requests), "requests %lld/%s", (long long)m->requests, window);
	snprintf(requests_brief, sizeof(requests_brief), "%lld req/%s", (long long)m->requests,
	         window);
	snprintf(rate, sizeof(rate), "(%.1f/min)", request_metrics_per_minute(m));
	snprintf(errors, sizeof(errors), "errors %.1f%% (%lld)", error_percent,
	         (long long)m->errors);
	snprintf(errors_brief, sizeof(errors_brief), "err %.1f%%", error_percent);
	const struct fit_field traffic[] = {
	    {requests, requests_brief, 3, 0, false, UI_NORMAL, NULL},
	    {rate, NULL, 1, 1, false, UI_NORMAL, NULL},
	    {errors, errors_brief, 5, dot, false, err_el, panel_dot(v)},
	};
	panel_draw_fields(g, v, a.x, y, a.w, traffic, 3, NULL);
	y++;
	if (y >= bottom)
		return y;
	char avg[48], p95[48], p99[48], ms[3][32];
	panel_format_ms(ms[0], sizeof(ms[0]), m->avg_ms);
	panel_format_ms(ms[1], sizeof(ms[1]), m->p95_ms);
	panel_format_ms(ms[2], sizeof(ms[2]), m->p99_ms);
	snprintf(avg, sizeof(avg), "avg %s", ms[0]);
	snprintf(p95, sizeof(p95), "p95 %s", ms[1]);
	snprintf(p99, sizeof(p99), "p99 %s", ms[2]);
	const struct fit_field latency[] = {
	    {avg, NULL, 2, 0, false, UI_NORMAL, NULL},
	    {p95, NULL, 4, dot, false, UI_NORMAL, panel_dot(v)},
	    {p99, NULL, 3, dot, false, UI_NORMAL, panel_dot(v)},
	};
	panel_draw_fields(g, v, a.x, y, a.w, latency, 3, NULL);
	return y + 1;
}

enum performance_series { SERIES_REQUESTS, SERIES_AVERAGE, SERIES_ERRORS, SERIES_P95 };

static void panel_performance_draw(struct grid *g, const struct ui_view *v, struct ui_area a,
                                   bool focused)
{
	const struct request_metrics *m = &v->snap->requests;
	int end = a.x + a.w, bottom = a.y + a.h;
	(void)focused;
	if (panel_draw_placeholder(g, v, a, CHECK_ID_DATABASE, &m->check, "request log unreadable"))
		return;
	char window[32], since[48], window_span[48];
	int columns = a.w - PERFORMANCE_LABEL_COLUMNS;
	panel_performance_spans(v, columns, window, sizeof(window), since, sizeof(since));
	snprintf(window_span, sizeof(window_span), "last %s", window);
	if (v->graph_span != NULL) /* every graph from the history's span */
		snprintf(since, sizeof(since), "last %s", v->graph_span);
	int y = panel_performance_figures(g, v, a, window);
	/* the span labels take the same columns on every row, when the
	 * sparklines keep enough of theirs */
	int span = fit_text_width(since) > fit_text_width(window_span)
	               ? fit_text_width(since)
	               : fit_text_width(window_span);
	if (columns - span - 1 >= PERFORMANCE_SPAN_MIN)
		columns -= span + 1;
	else
		span = 0;
	double values[SNAPSHOT_BUCKETS > HISTORY_LEN ? SNAPSHOT_BUCKETS : HISTORY_LEN];
	int count = m->bucket_count < SNAPSHOT_BUCKETS ? m->bucket_count : SNAPSHOT_BUCKETS;
	/* each line from the request log's window, or from the history (the
	 * recorded series: per poll, or over a span when one is chosen) */
	static const struct {
		const char *label;
		enum performance_series series;
		int recorded; /* its series of the history, -1: none */
	} LINES[] = {{"req", SERIES_REQUESTS, HISTORY_REQUEST_RATE},
	             {"avg", SERIES_AVERAGE, -1},
	             {"err", SERIES_ERRORS, HISTORY_ERROR_RATE},
	             {"p95", SERIES_P95, HISTORY_P95}};
	bool drawn = false;
	for (size_t l = 0; l < sizeof(LINES) / sizeof(LINES[0]) && y < bottom; l++) {
		int n = 0;
		bool from_history = LINES[l].series == SERIES_P95 || v->graph_span != NULL;
		if (from_history && LINES[l].recorded < 0) {
			continue;
		} else if (from_history) {
			/* a span whole, folded into the columns; the polls, the newest */
			n = history_values(v->hist, (enum history_series)LINES[l].recorded, values,
			                   v->graph_span != NULL ? HISTORY_LEN : columns);
		} else {
			for (int i = 0; i < count; i++) {
				const struct request_bucket *b = &m->buckets[i];
				values[i] = LINES[l].series == SERIES_REQUESTS ? (double)b->requests
				            : LINES[l].series == SERIES_AVERAGE ? b->avg_ms
				                                                : (double)b->errors;
			}
			n = count;
		}
		if (n == 0)
			continue;
		grid_printf(g, a.x, y, end, UI_DIM, "%-*s", PERFORMANCE_LABEL_COLUMNS,
		            LINES[l].label);
		panel_draw_sparkline(g, v, a.x + PERFORMANCE_LABEL_COLUMNS, y, columns, values, n);
		if (span > 0)
			grid_printf(g, end - span, y, end, UI_DIM, "%*s", span,
			            from_history ? since : window_span);
		y++;
		drawn = true;
	}
	if (!drawn && v->graph_span != NULL && y < bottom)
		grid_printf(g, a.x, y++, end, UI_DIM, "nothing recorded in the last %s",
		            v->graph_span);
	if (y < bottom && m->timestamp_index_missing) {
		char hint[sizeof(m->index_hint) + 64];
		snprintf(hint, sizeof(hint), "! no index on \"timestamp\": %s", m->index_hint);
		struct fit_field f = {hint, NULL, 0, 0, true, UI_WARNING, NULL};
		panel_draw_fields(g, v, a.x, y, a.w, &f, 1, NULL);
	}
}

/* The details' lines on the endpoints: the worst by 5xx and by p95 (the
 * dashboard reads them every 30 s), or why there are none. */
static void panel_performance_endpoints(const struct endpoint_breakdown *e, struct strbuf *b)
{
	if (e->state == ENDPOINTS_NOT_AVAILABLE || e->state == ENDPOINTS_FAILED) {
		strbuf_printf(b, "\nEndpoints: %s\n", e->why);
		return;
	}
	char line[256];
	endpoints_errors_text(e, 3, line, sizeof(line));
	if (line[0])
		strbuf_printf(b, "\nMost 5xx: %s\n", line);
	endpoints_slowest_text(e, line, sizeof(line));
	if (line[0])
		strbuf_printf(b, "%sSlowest endpoint: %s\n", e->error_count ? "" : "\n", line);
}

static int panel_performance_details(const struct ui_view *v, int selected, char *title,
                                     size_t title_size, char *text, size_t text_size)
{
	const struct request_metrics *m = &v->snap->requests;
	(void)selected;
	snprintf(title, title_size, "Performance");
	if (m->check.state != CHECK_OK) {
		snprintf(text, text_size, "The request log could not be read: %s",
		         m->check.error[0] ? m->check.error : check_state_name(m->check.state));
		return 0;
	}
	char window[32], since[48], avg[32], p95[32], p99[32];
	panel_performance_spans(v, HISTORY_LEN, window, sizeof(window), since, sizeof(since));
	panel_format_ms(avg, sizeof(avg), m->avg_ms);
	panel_format_ms(p95, sizeof(p95), m->p95_ms);
	panel_format_ms(p99, sizeof(p99), m->p99_ms);
	struct strbuf b;
	strbuf_init(&b, text_size);
	strbuf_printf(&b,
	              "Over the last %s of the request log:\n"
	              "  %lld requests, %.1f a minute\n"
	              "  %lld errors, %.1f%%\n"
	              "  latency: avg %s, p95 %s, p99 %s\n\n"
	              "Sparklines: req, avg and err show the last %s in %d buckets; "
	              "p95 shows the p95 of each poll %s.\n",
	              window, (long long)m->requests, request_metrics_per_minute(m),
	              (long long)m->errors, m->error_rate >= 0 ? m->error_rate * 100.0 : 0.0, avg,
	              p95, p99, window, m->bucket_count, since);
	panel_performance_endpoints(&m->endpoints, &b);
	if (m->timestamp_index_missing)
		strbuf_printf(&b, "\nNo index on \"timestamp\": %s\n", m->index_hint);
	text_copy(text, strbuf_str(&b), text_size);
	strbuf_free(&b);
	return 0;
}

const struct ui_panel_class panel_performance = {
    .id = PANEL_PERFORMANCE,
    .title = "Performance",
    .draw = panel_performance_draw,
    .details = panel_performance_details,
};
