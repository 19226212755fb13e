/* panel_health.c - the Health panel: one row per check (database, redis,
 * app, storage paths) with its mark, latency and one line of detail
 * (panel.h). */
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
		panel_health_row(g, v, a, y, CHECK_ID_STORAGE, "storage", &st->check, "");
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

static int panel_health_database(struct grid *g, const struct ui_view *v, struct ui_area a, int y)
{
	const struct pg_status *pg = &v->snap->database;
	char detail[512];
	snprintf(detail, sizeof(detail), "%d/%d conn%s%d active %d idle %d idle-in-tx",
	         pg->connections_total, pg->max_connections, panel_dot(v), pg->connections_active,
	         pg->connections_idle, pg->connections_idle_in_tx);
	panel_health_row(g, v, a, y, CHECK_ID_DATABASE, "database", &pg->check, detail);
	return y + 1;
}

static int panel_health_redis(struct grid *g, const struct ui_view *v, struct ui_area a, int y)
{
	const struct redis_status *r = &v->snap->redis;
	char detail[512], used[32], max[32];
	text_format_bytes(used, sizeof(used), (uint64_t)(r->used_memory > 0 ? r->used_memory : 0));
	if (r->maxmemory > 0) {
		text_format_bytes(max, sizeof(max), (uint64_t)r->maxmemory);
		snprintf(detail, sizeof(detail), "mem %s / %s (%.0f%%)%s%lld clients", used, max,
		         redis_memory_percent(r), panel_dot(v), (long long)r->connected_clients);
	} else {
		snprintf(detail, sizeof(detail), "mem %s (no maxmemory)%s%lld clients", used,
		         panel_dot(v), (long long)r->connected_clients);
	}
	panel_health_row(g, v, a, y, CHECK_ID_REDIS, "redis", &r->check, detail);
	return y + 1;
}

static int panel_health_app(struct grid *g, const struct ui_view *v, struct ui_area a, int y)
{
	const struct http_status *h = &v->snap->health;
	char detail[64];
	snprintf(detail, sizeof(detail), "HTTP %ld", h->status_code);
	panel_health_row(g, v, a, y, CHECK_ID_HEALTH, "app", &h->check, detail);
	return y + 1;
}

/* The checks' rows, top to bottom. Each draws from row y on (a check may
 * take several: storage has one per path) and returns the next free row. */
typedef int panel_health_check_fn(struct grid *g, const struct ui_view *v, struct ui_area a, int y);

static panel_health_check_fn *const PANEL_HEALTH_CHECKS[] = {
    panel_health_database,
    panel_health_redis,
    panel_health_app,
    panel_health_storage,
};

static void panel_health_draw(struct grid *g, const struct ui_view *v, struct ui_area a,
                              bool focused)
{
	size_t count = sizeof(PANEL_HEALTH_CHECKS) / sizeof(PANEL_HEALTH_CHECKS[0]);
	int y = a.y;
	(void)focused;
	for (size_t i = 0; i < count && y < a.y + a.h; i++)
		y = PANEL_HEALTH_CHECKS[i](g, v, a, y);
}

const struct ui_panel_class panel_health = {
    .id = PANEL_HEALTH,
    .title = "Health",
    .draw = panel_health_draw,
};
