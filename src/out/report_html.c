/* report_html.c - the incident report as one self-contained HTML page: the
 * timeline, the issues, and inline SVG charts of the key series with the
 * incidents shaded and the deploys marked. No script, no external asset. */
#include "out/report.h"

#include <math.h>
#include <string.h>
#include <stdlib.h>

#include "out/report_impl.h"
#include "util/text.h"

#define CHART_W   900
#define CHART_H   140
#define CHART_PAD 40

static const char *severity_colour(enum issue_severity s)
{
	return s == SEVERITY_HIGH ? "#d62728" : s == SEVERITY_MEDIUM ? "#ff7f0e" : "#bcbd22";
}

/* x of a time on the chart. */
static double chart_x(const struct report *r, int64_t ms)
{
	double span = (double)(r->until_ms - r->from_ms);
	double f = span > 0 ? (double)(ms - r->from_ms) / span : 0;
	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	return CHART_PAD + f * (CHART_W - 2 * CHART_PAD);
}

/* Shaded incidents, gaps and deploy lines behind a chart. */
static void chart_marks(const struct report *r, struct strbuf *out)
{
	const struct timeline *t = r->timeline;
	for (size_t i = 0; i < t->issue_count; i++) {
		const struct timeline_issue *ti = &t->issues[i];
		double x0 = chart_x(r, ti->open_at_start ? t->first_ms : ti->started_ms);
		double x1 = chart_x(r, ti->ended_ms >= 0 ? ti->ended_ms : t->last_ms);
		strbuf_printf(out,
		              "<rect x=\"%.1f\" y=\"10\" width=\"%.1f\" height=\"%d\" fill=\"%s\" "
		              "fill-opacity=\"0.15\"><title>",
		              x0, x1 - x0 > 1 ? x1 - x0 : 1, CHART_H - 30,
		              severity_colour(ti->severity));
		strbuf_puts_markup(out, ti->id);
		strbuf_puts(out, "</title></rect>\n");
	}
	for (size_t i = 0; i < t->gap_count; i++) {
		double x0 = chart_x(r, t->gaps[i].from_ms), x1 = chart_x(r, t->gaps[i].until_ms);
		strbuf_printf(
		    out,
		    "<rect x=\"%.1f\" y=\"10\" width=\"%.1f\" height=\"%d\" fill=\"#999\" "
		    "fill-opacity=\"0.3\"><title>nothing recorded</title></rect>\n",
		    x0, x1 - x0, CHART_H - 30);
	}
	for (size_t i = 0; i < t->deploy_count; i++) {
		double x = chart_x(r, t->deploys[i].at_ms);
		strbuf_printf(
		    out,
		    "<line x1=\"%.1f\" y1=\"10\" x2=\"%.1f\" y2=\"%d\" stroke=\"#1f77b4\" "
		    "stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"9\" font-size=\"10\" "
		    "fill=\"#1f77b4\">",
		    x, x, CHART_H - 20, x + 2);
		strbuf_puts_markup(out, t->deploys[i].to);
		strbuf_puts(out, "</text>\n");
	}
}

static void chart(const struct report *r, const struct report_series *s, struct strbuf *out)
{
	double lo = 0, hi = 0;
	for (int64_t i = 0; i < s->count; i++)
		if (isfinite(s->points[i].value) && s->points[i].value > hi)
			hi = s->points[i].value;
	if (hi <= lo)
		hi = lo + 1;
	double scale = strcmp(s->unit, "%") == 0 ? 100 : 1; /* a ratio shown in % */
	strbuf_puts(out, "<h3>");
	strbuf_puts_markup(out, s->title);
	strbuf_printf(out,
	              "</h3>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	              "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n",
	              CHART_W, CHART_H, CHART_W, CHART_H);
	chart_marks(r, out);
	strbuf_printf(out,
	              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n"
	              "<text x=\"2\" y=\"18\" font-size=\"10\">%g %s</text>\n"
	              "<text x=\"2\" y=\"%d\" font-size=\"10\">0</text>\n",
	              CHART_PAD, CHART_H - 20, CHART_W - CHART_PAD, CHART_H - 20, hi * scale,
	              s->unit, CHART_H - 20);
	if (s->count == 0) {
		strbuf_printf(out,
		              "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#666\">not "
		              "recorded in this range</text>\n",
		              CHART_W / 2 - 60, CHART_H / 2);
	} else {
		strbuf_puts(out, "<polyline fill=\"none\" stroke=\"#333\" stroke-width=\"1.2\" "
		                 "points=\"");
		/* at most one point per pixel column: a day at 2 s is 43,200 */
		int last_col = -1;
		for (int64_t i = 0; i < s->count; i++) {
			double x = chart_x(r, s->points[i].at_ms);
			if ((int)x == last_col || !isfinite(s->points[i].value))
				continue;
			last_col = (int)x;
			double y =
			    (CHART_H - 20) - (s->points[i].value - lo) / (hi - lo) * (CHART_H - 30);
			strbuf_printf(out, "%.1f,%.1f ", x, y);
		}
		strbuf_puts(out, "\"/>\n");
	}
	strbuf_puts(out, "</svg>\n");
}

static void html_row(struct strbuf *out, const char *at, const char *line)
{
	strbuf_printf(out, "<tr><td>%s</td><td>", at);
	strbuf_puts_markup(out, line);
	strbuf_puts(out, "</td></tr>\n");
}

void report_html(const struct report *r, struct strbuf *out)
{
	struct strbuf title;
	strbuf_init(&title, 0);
	char from[32], until[32];
	report_time(from, sizeof(from), r->from_ms);
	report_time(until, sizeof(until), r->until_ms);
	strbuf_printf(&title, "Incident report: %s%s%s%s, %s to %s UTC", r->app,
	              r->environment[0] ? " (" : "", r->environment, r->environment[0] ? ")" : "",
	              from, until);
	strbuf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	                 "<title>");
	strbuf_puts_markup(out, strbuf_str(&title));
	strbuf_puts(out, "</title>\n<style>\nbody{font-family:sans-serif;margin:2em;color:#222}"
	                 "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px "
	                 "6px;text-align:left;vertical-align:top}th{background:#f3f3f3}"
	                 ".high{color:#d62728}.medium{color:#ff7f0e}.low{color:#8c8c00}"
	                 "code{font-size:90%}\n</style></head><body>\n<h1>");
	strbuf_puts_markup(out, strbuf_str(&title));
	strbuf_puts(out, "</h1>\n");
	strbuf_free(&title);

	const struct timeline *t = r->timeline;
	strbuf_puts(out, "<h2>Issues</h2>\n");
	if (t->issue_count == 0)
		strbuf_puts(out, "<p>No issue was open in this range.</p>\n");
	else
		strbuf_puts(out,
		            "<table><tr><th>issue</th><th>severity</th><th>started</th>"
		            "<th>ended</th><th>open for</th><th>peak</th><th>message</th></tr>\n");
	for (size_t i = 0; i < t->issue_count; i++) {
		const struct timeline_issue *ti = &t->issues[i];
		struct report_issue_times when;
		report_issue_times(r, ti, &when);
		strbuf_puts(out, "<tr><td><code>");
		strbuf_puts_markup(out, ti->id);
		strbuf_printf(out,
		              "</code></td><td class=\"%s\">%s</td><td>%s%s</td><td>%s</td>"
		              "<td>%s</td><td>",
		              issue_severity_name(ti->severity), issue_severity_name(ti->severity),
		              ti->open_at_start ? "before " : "", when.start, when.end, when.took);
		if (ti->has_peak) {
			strbuf_printf(out, "%g <code>", ti->peak);
			strbuf_puts_markup(out, ti->peak_figure);
			strbuf_puts(out, "</code>");
		}
		strbuf_puts(out, "</td><td>");
		strbuf_puts_markup(out, ti->message);
		strbuf_puts(out, "</td></tr>\n");
	}
	if (t->issue_count > 0)
		strbuf_puts(out, "</table>\n");

	strbuf_puts(out, "<h2>Charts</h2>\n<p>Incidents shaded by severity, deploys dashed, "
	                 "grey where nothing was recorded.</p>\n");
	for (int i = 0; i < REPORT_SERIES_COUNT; i++)
		chart(r, &r->series[i], out);

	strbuf_puts(out, "<h2>Timeline (UTC)</h2>\n");
	if (report_timeline(r, out, "<table><tr><th>time</th><th>event</th></tr>\n", html_row) > 0)
		strbuf_puts(out, "</table>\n");
	else
		strbuf_puts(out, "<p>Nothing happened in this range.</p>\n");
	strbuf_puts(out, "</body></html>\n");
}
