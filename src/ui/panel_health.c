/* panel_health.c - the Health panel: one row per health check of the
 * registry (check/check.h), one per path for storage, each with its mark,
 * latency and one line of detail (panel.h). */
#include "ui/panel.h"

#include <stdio.h>
#include <string.h>

#include "util/text.h"

/* One Health row: mark, name, then latency and detail (or "waiting"). */
static void panel_health_row(struct grid *g, const struct ui_view *v, struct ui_area a, int y,
                             enum check_id check, const char *name, const struct check_common *c,
                             const char *detail)
{
	int end = a.x + a.w;
	enum ui_severity sev = panel_check_severity(v, check, c->state);
	int n = panel_draw_mark(g, v, a.x, y, end, sev);
	n += grid_printf(g, a.x + n, y, end, UI_NORMAL, " %-9.9s", name);
	int64_t waiting = v->waiting_ms[check];
	if (waiting > 1000) {
		grid_printf(g, a.x + n, y, end, UI_WARNING, " waiting %.1f s%s",
		            (double)waiting / 1000.0, panel_ellipsis(v));
		return;
	}
	char latency[32] = "";
	if (c->state == CHECK_OK || c->latency_ms >= 0)
		panel_format_ms(latency, sizeof(latency), c->latency_ms);
	n += grid_printf(g, a.x + n, y, end, UI_DIM, " %8s ", latency);
	if (c->state == CHECK_OK)
		grid_printf(g, a.x + n, y, end, UI_NORMAL, " %s", detail);
	else if (c->state == CHECK_PENDING)
		grid_printf(g, a.x + n, y, end, UI_UNKNOWN, " waiting for the first poll%s",
		            panel_ellipsis(v));
	else
		grid_printf(g, a.x + n, y, end,
		            sev == UI_SEV_NONE ? UI_DIM : panel_mark_element(sev), " %s",
		            c->error[0] ? c->error : check_state_name(c->state));
}

/* One storage path whose own state is OK: mark, path, the check's latency
 * on the first path, a usage bar and "42% of 100 GiB". */
static void panel_health_disk(struct grid *g, const struct ui_view *v, struct ui_area a, int y,
                              const struct disk_status *d, double latency_ms, bool first)
{
	const struct storage_status *st = &v->snap->storage;
	int end = a.x + a.w;
	/* only this path's issue ("storage_full:/srv") raises its row */
	enum ui_severity sev = panel_severity_of_state(d->state);
	for (int k = 0; v->diag != NULL && k < v->diag->count; k++) {
		const char *colon = strchr(v->diag->issues[k].id, ':');
		if (v->diag->issues[k].type == ISSUE_STORAGE_FULL && colon != NULL &&
		    strcmp(colon + 1, d->path) == 0 &&
		    panel_severity_of_issue(v->diag->issues[k].severity) > sev)
			sev = panel_severity_of_issue(v->diag->issues[k].severity);
	}
	if (disk_over_limit(d, st->max_used_percent) && sev < UI_SEV_WARN)
		sev = UI_SEV_WARN;
	int n = panel_draw_mark(g, v, a.x, y, end, sev);
	n += grid_printf(g, a.x + n, y, end, UI_NORMAL, " %-9.9s", d->path);
	char latency[32] = "";
	if (first)
		panel_format_ms(latency, sizeof(latency), latency_ms);
	n += grid_printf(g, a.x + n, y, end, UI_DIM, " %8s ", latency);
	int bar = a.w - n - 22;
	if (bar > 22)
		bar = 22;
	if (bar >= 5) {
		panel_draw_bar(g, v, a.x + n + 1, y, bar, d->used_percent,
		               sev >= UI_SEV_WARN ? panel_mark_element(sev) : UI_OK);
		n += bar + 1;
	}
	char total[32];
	text_format_bytes(total, sizeof(total), d->total_bytes);
	grid_printf(g, a.x + n, y, end, UI_NORMAL, " %.0f%% of %s", d->used_percent, total);
}

static int panel_health_storage(struct grid *g, const struct ui_view *v, struct ui_area a, int y)
{
	const struct storage_status *st = &v->snap->storage;
	int bottom = a.y + a.h;
	if (st->check.state != CHECK_OK || st->path_count == 0) {
		panel_health_row(g, v, a, y, CHECK_ID_STORAGE,
		                 CHECKS[CHECK_ID_STORAGE]->panel_label, &st->check, "");
		return y + 1;
	}
	for (int i = 0; i < st->path_count && y < bottom; i++, y++) {
		const struct disk_status *d = &st->paths[i];
		struct check_common c = st->check;
		c.state = d->state;
		text_copy(c.error, d->error, sizeof(c.error));
		if (i > 0)
			c.latency_ms = -1;
		if (d->state != CHECK_OK || v->waiting_ms[CHECK_ID_STORAGE] > 1000)
			panel_health_row(g, v, a, y, CHECK_ID_STORAGE, d->path, &c, "");
		else
			panel_health_disk(g, v, a, y, d, c.latency_ms, i == 0);
	}
	return y;
}

/* A check's one row: its label, and its summary as the detail. */
static int panel_health_check(struct grid *g, const struct ui_view *v, struct ui_area a, int y,
                              enum check_id id)
{
	const struct check_class *row = CHECKS[id];
	char detail[512];
	row->summary(v->snap, panel_dot(v), detail, sizeof(detail));
	panel_health_row(g, v, a, y, id, row->panel_label, check_common_of(row, v->snap), detail);
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

const struct ui_panel_class panel_health = {
    .id = PANEL_HEALTH,
    .title = "Health",
    .draw = panel_health_draw,
};
