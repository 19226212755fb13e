/* panel_health.c - the Health panel: one row per health check of the
 * registry (check/check.h), one per path for storage, each with its mark,
 * latency and its figures (panel.h). A narrow row shortens the labels of its
 * figures, then drops the least important ones whole (fit.h); the latency
 * column shows only where the figures keep their room. Enter shows every
 * row with all its figures, its target and its error. */
#include "ui/panel.h"

#include <stdio.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/text.h"

#define HEALTH_NAME_COLUMNS    9  /* a check's label or a path */
#define HEALTH_LATENCY_COLUMNS 8  /* "450 ms" */
#define HEALTH_LATENCY_MIN     50 /* the narrowest panel inside that shows latency */
#define HEALTH_BAR_MIN         5  /* a usage bar narrower than this is left out */
#define HEALTH_BAR_MAX         22

/* The columns before a row's figures: mark, name and, when the panel has
 * room, latency. */
static int panel_health_lead_width(struct ui_area a)
{
	int w = PANEL_MARK_COLUMNS + 1 + HEALTH_NAME_COLUMNS + 1;
	return a.w >= HEALTH_LATENCY_MIN ? w + HEALTH_LATENCY_COLUMNS + 2 : w;
}

/* Draws mark, name and latency (panel_health_lead_width); returns the
 * column where the row's figures start. */
static int panel_health_lead(struct grid *g, const struct ui_view *v, struct ui_area a, int y,
                             enum ui_severity sev, const char *name, const char *latency)
{
	int end = a.x + a.w;
	int x = a.x + panel_draw_mark(g, v, a.x, y, end, sev) + 1;
	struct fit_field field = {name, NULL, 0, 0, true, UI_NORMAL, NULL};
	panel_draw_fields(g, v, x, y, HEALTH_NAME_COLUMNS, &field, 1, NULL);
	x += HEALTH_NAME_COLUMNS + 1;
	if (a.w >= HEALTH_LATENCY_MIN)
		grid_printf(g, x, y, end, UI_DIM, "%*s", HEALTH_LATENCY_COLUMNS, latency);
	return a.x + panel_health_lead_width(a);
}

/* One Health row: mark, name, latency, then the figures while OK, or why
 * not. */
static void panel_health_row(struct grid *g, const struct ui_view *v, struct ui_area a, int y,
                             enum check_id check, const char *name, const struct check_common *c,
                             const struct check_figure *figures, int count)
{
	int end = a.x + a.w;
	enum ui_severity sev = panel_check_severity(v, check, c->state);
	char latency[32] = "";
	int64_t waiting = v->waiting_ms[check];
	if (waiting <= 1000 && (c->state == CHECK_OK || c->latency_ms >= 0))
		panel_format_ms(latency, sizeof(latency), c->latency_ms);
	int x = panel_health_lead(g, v, a, y, sev, name, latency);
	if (waiting > 1000) {
		grid_printf(g, x, y, end, UI_WARNING, "waiting %.1f s%s", (double)waiting / 1000.0,
		            panel_ellipsis(v));
		return;
	}
	struct fit_field fields[CHECK_FIGURES_MAX];
	int n = 0;
	if (c->state == CHECK_OK) {
		int gap = fit_text_width(panel_dot(v));
		for (; n < count && n < CHECK_FIGURES_MAX; n++)
			fields[n] = (struct fit_field){
			    .full = figures[n].text,
			    .brief = figures[n].brief[0] ? figures[n].brief : NULL,
			    .priority = CHECK_FIGURES_MAX - figures[n].rank,
			    .gap = gap,
			    .element = UI_NORMAL,
			    .separator = panel_dot(v),
			};
	} else if (c->state == CHECK_PENDING) {
		grid_printf(g, x, y, end, UI_UNKNOWN, "waiting for the first poll%s",
		            panel_ellipsis(v));
		return;
	} else {
		fields[n++] = (struct fit_field){
		    c->error[0] ? c->error : check_state_name(c->state),   NULL, 0, 0, true,
		    sev == UI_SEV_NONE ? UI_DIM : panel_mark_element(sev), NULL};
	}
	panel_draw_fields(g, v, x, y, end - x, fields, n, NULL);
}

/* The severity of one storage path: its state, raised by its own issue
 * ("storage_full:/srv") and by its limit. */
static enum ui_severity panel_health_disk_severity(const struct ui_view *v,
                                                   const struct disk_status *d)
{
	enum ui_severity sev = panel_severity_of_state(d->state);
	for (int k = 0; v->diag != NULL && k < v->diag->count; k++) {
		const char *colon = strchr(v->diag->issues[k].id, ':');
		if (v->diag->issues[k].type == ISSUE_STORAGE_FULL && colon != NULL &&
		    strcmp(colon + 1, d->path) == 0 &&
		    panel_severity_of_issue(v->diag->issues[k].severity) > sev)
			sev = panel_severity_of_issue(v->diag->issues[k].severity);
	}
	if (disk_over_limit(d, v->snap->storage.max_used_percent) && sev < UI_SEV_WARN)
		sev = UI_SEV_WARN;
	return sev;
}

/* A path's figure: "42% of 100 GiB", or "42%" when brief. */
static void panel_health_disk_figure(const struct disk_status *d, bool brief, char *dst,
                                     size_t size)
{
	char total[32];
	text_format_bytes(total, sizeof(total), d->total_bytes);
	if (brief)
		snprintf(dst, size, "%.0f%%", d->used_percent);
	else
		snprintf(dst, size, "%.0f%% of %s", d->used_percent, total);
}

/* One storage path whose own state is OK: mark, path, the check's latency
 * on the first path, a usage bar of `bar` columns when it is wide enough
 * and its figure, never cut. */
static void panel_health_disk(struct grid *g, const struct ui_view *v, struct ui_area a, int y,
                              const struct disk_status *d, double latency_ms, bool first, int bar)
{
	int end = a.x + a.w;
	enum ui_severity sev = panel_health_disk_severity(v, d);
	char latency[32] = "", figure[64];
	if (first)
		panel_format_ms(latency, sizeof(latency), latency_ms);
	int x = panel_health_lead(g, v, a, y, sev, d->path, latency);
	panel_health_disk_figure(d, false, figure, sizeof(figure));
	if (x + fit_text_width(figure) > end)
		panel_health_disk_figure(d, true, figure, sizeof(figure));
	if (bar >= HEALTH_BAR_MIN) {
		panel_draw_bar(g, v, x, y, bar, d->used_percent,
		               sev >= UI_SEV_WARN ? panel_mark_element(sev) : UI_OK);
		x += bar + 1;
	}
	grid_put(g, x, y, end, figure, UI_NORMAL);
}

static int panel_health_storage(struct grid *g, const struct ui_view *v, struct ui_area a, int y)
{
	const struct storage_status *st = &v->snap->storage;
	int bottom = a.y + a.h;
	if (st->check.state != CHECK_OK || st->path_count == 0) {
		panel_health_row(g, v, a, y, CHECK_ID_STORAGE,
		                 CHECKS[CHECK_ID_STORAGE]->panel_label, &st->check, NULL, 0);
		return y + 1;
	}
	/* one bar width for every path: what the widest figure leaves */
	int widest = 0;
	for (int i = 0; i < st->path_count; i++) {
		char figure[64];
		panel_health_disk_figure(&st->paths[i], false, figure, sizeof(figure));
		if (fit_text_width(figure) > widest)
			widest = fit_text_width(figure);
	}
	int bar = a.w - panel_health_lead_width(a) - widest - 1;
	if (bar > HEALTH_BAR_MAX)
		bar = HEALTH_BAR_MAX;
	for (int i = 0; i < st->path_count && y < bottom; i++, y++) {
		const struct disk_status *d = &st->paths[i];
		struct check_common c = st->check;
		c.state = d->state;
		text_copy(c.error, d->error, sizeof(c.error));
		if (i > 0)
			c.latency_ms = -1;
		if (d->state != CHECK_OK || v->waiting_ms[CHECK_ID_STORAGE] > 1000)
			panel_health_row(g, v, a, y, CHECK_ID_STORAGE, d->path, &c, NULL, 0);
		else
			panel_health_disk(g, v, a, y, d, c.latency_ms, i == 0, bar);
	}
	return y;
}

/* A check's one row: its label, and its figures. */
static int panel_health_check(struct grid *g, const struct ui_view *v, struct ui_area a, int y,
                              enum check_id id)
{
	const struct check_class *row = CHECKS[id];
	struct check_figure figures[CHECK_FIGURES_MAX];
	int n = row->summary(v->snap, figures);
	panel_health_row(g, v, a, y, id, row->panel_label, check_common_of(row, v->snap), figures,
	                 n);
	return y + 1;
}

/* Checks drawn by a function of their own rather than one summary row
 * (storage: one row per path, with a bar). Each draws from row y on and
 * returns the next free row. */
typedef int panel_health_rows_fn(struct grid *g, const struct ui_view *v, struct ui_area a, int y);

static panel_health_rows_fn *const PANEL_HEALTH_OWN_ROWS[CHECK_COUNT] = {
    [CHECK_ID_STORAGE] = panel_health_storage,
};

/* The health checks of the table (check/check.h) that have a label, in
 * table order. */
static void panel_health_draw(struct grid *g, const struct ui_view *v, struct ui_area a,
                              bool focused)
{
	int y = a.y;
	(void)focused;
	for (int i = 0; i < CHECK_COUNT && y < a.y + a.h; i++) {
		if (CHECKS[i]->group != CHECK_GROUP_HEALTH || !CHECKS[i]->panel_label)
			continue;
		if (PANEL_HEALTH_OWN_ROWS[i])
			y = PANEL_HEALTH_OWN_ROWS[i](g, v, a, y);
		else
			y = panel_health_check(g, v, a, y, (enum check_id)i);
	}
}

/* One check in the details: title, word, latency, target, then its figures
 * or its error. */
static void panel_health_details_check(struct strbuf *b, const struct ui_view *v, enum check_id id)
{
	const struct check_class *row = CHECKS[id];
	const struct check_common *c = check_common_of(row, v->snap);
	char latency[32] = "";
	if (c->latency_ms >= 0)
		panel_format_ms(latency, sizeof(latency), c->latency_ms);
	strbuf_printf(b, "%s: %s%s%s\n", row->title,
	              panel_mark_overall(panel_check_severity(v, id, c->state)),
	              latency[0] ? ", " : "", latency);
	if (c->target[0] != '\0')
		strbuf_printf(b, "  %s\n", c->target);
	if (c->state != CHECK_OK) {
		strbuf_printf(b, "  %s\n", c->error[0] ? c->error : check_state_name(c->state));
		return;
	}
	if (id == CHECK_ID_STORAGE) {
		const struct storage_status *st = &v->snap->storage;
		for (int i = 0; i < st->path_count; i++) {
			const struct disk_status *d = &st->paths[i];
			char total[32], avail[32];
			text_format_bytes(total, sizeof(total), d->total_bytes);
			text_format_bytes(avail, sizeof(avail), d->avail_bytes);
			if (d->state != CHECK_OK)
				strbuf_printf(b, "  %s: %s\n", d->path, d->error);
			else
				strbuf_printf(b, "  %s: %s, %.1f%% used of %s, %s available\n",
				              d->path,
				              panel_mark_overall(panel_health_disk_severity(v, d)),
				              d->used_percent, total, avail);
		}
		return;
	}
	struct check_figure figures[CHECK_FIGURES_MAX];
	int n = row->summary(v->snap, figures);
	for (int i = 0; i < n; i++)
		strbuf_printf(b, "%s%s", i == 0 ? "  " : ", ", figures[i].text);
	if (n > 0)
		strbuf_putc(b, '\n');
}

static int panel_health_details(const struct ui_view *v, int selected, char *title,
                                size_t title_size, char *text, size_t text_size)
{
	(void)selected;
	struct strbuf b;
	strbuf_init(&b, text_size);
	for (int i = 0; i < CHECK_COUNT; i++)
		if (CHECKS[i]->group == CHECK_GROUP_HEALTH && CHECKS[i]->panel_label)
			panel_health_details_check(&b, v, (enum check_id)i);
	snprintf(title, title_size, "Health");
	text_copy(text, strbuf_str(&b), text_size);
	strbuf_free(&b);
	return 0;
}

const struct ui_panel_class panel_health = {
    .id = PANEL_HEALTH,
    .title = "Health",
    .draw = panel_health_draw,
    .details = panel_health_details,
};
