/* Unit tests for ui/panels and ui/grid: the whole screen rendered into a
 * text grid for a hand-made view, compared with golden files in
 * tests/fixtures/ui (OPSDECK_UPDATE_GOLDEN=1 rewrites them), plus the layout
 * at the sizes the dashboard must handle. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "screen.h"
#include "ui/panel.h"
#include "ui/panels.h"

#define NOW 1795000000000LL

static struct snapshot snap;
static struct diagnosis diag;
static struct history hist;
static struct activity_log activity;
static struct ui_state ui;

/* Fills diag.issues[at]. */
static void set_issue(int at, enum issue_type type, enum issue_severity severity, const char *id,
                      const char *message, const char *recommendation)
{
	struct issue *is = &diag.issues[at];
	memset(is, 0, sizeof(*is));
	is->type = type;
	is->severity = severity;
	snprintf(is->id, sizeof(is->id), "%s", id);
	snprintf(is->message, sizeof(is->message), "%s", message);
	snprintf(is->recommendation, sizeof(is->recommendation), "%s", recommendation);
}

static void make_view(struct ui_view *v, bool utf8)
{
	snapshot_init(&snap);
	snprintf(snap.app_name, sizeof(snap.app_name), "shop");
	struct version_status *ver = &snap.version;
	ver->check.state = CHECK_OK;
	ver->source = VERSION_SOURCE_URL;
	snprintf(ver->version, sizeof(ver->version), "1.4.2");
	snprintf(ver->build_number, sizeof(ver->build_number), "57");
	snprintf(ver->commit_hash, sizeof(ver->commit_hash), "a1b2c3d");
	snprintf(ver->build_date, sizeof(ver->build_date), "2026-11-27T08:00:00.000Z");
	struct pg_status *pg = &snap.database;
	pg->check.state = CHECK_OK;
	pg->check.latency_ms = 1.25;
	pg->max_connections = 100;
	pg->connections_total = 7;
	pg->connections_active = 2;
	pg->connections_idle = 4;
	pg->connections_idle_in_tx = 1;
	struct redis_status *r = &snap.redis;
	check_set_error(&r->check, CHECK_UNHEALTHY, "connection refused");
	r->check.latency_ms = -1;
	struct http_status *h = &snap.health;
	h->check.state = CHECK_OK;
	h->check.latency_ms = 12;
	h->status_code = 200;
	struct storage_status *st = &snap.storage;
	st->check.state = CHECK_OK;
	st->check.latency_ms = 0.2;
	st->max_used_percent = 90;
	st->path_count = 2;
	snprintf(st->paths[0].path, sizeof(st->paths[0].path), "/");
	st->paths[0].state = CHECK_OK;
	st->paths[0].used_percent = 42;
	st->paths[0].total_bytes = 100ULL << 30;
	snprintf(st->paths[1].path, sizeof(st->paths[1].path), "/srv");
	st->paths[1].state = CHECK_OK;
	st->paths[1].used_percent = 95;
	st->paths[1].total_bytes = 20ULL << 30;
	struct request_metrics *m = &snap.requests;
	m->check.state = CHECK_OK;
	m->window_ms = 3600000;
	m->requests = 1200;
	m->errors = 30;
	m->error_rate = 0.025;
	m->avg_ms = 120;
	m->p95_ms = 450;
	m->p99_ms = 900;
	m->bucket_count = 60;
	for (int i = 0; i < 60; i++) {
		m->buckets[i].requests = 10 + (i * 7) % 20;
		m->buckets[i].errors = i % 13 == 0 ? 3 : 0;
		m->buckets[i].avg_ms = i % 10 == 0 ? -1 : 100 + (i * 37) % 80;
	}
	struct slow_query_status *sq = &snap.slow_queries;
	sq->check.state = CHECK_OK;
	sq->threshold_ms = 1000;
	sq->count = 2;
	snprintf(sq->items[0].query, sizeof(sq->items[0].query),
	         "SELECT o.id, o.total FROM orders o JOIN customers c ON c.id = o.customer_id "
	         "WHERE c.email LIKE $1 ORDER BY o.created_at DESC");
	sq->items[0].calls = 12;
	sq->items[0].mean_ms = 2400;
	sq->items[0].total_ms = 28800;
	snprintf(sq->items[1].query, sizeof(sq->items[1].query), "SELECT pg_sleep($1)");
	sq->items[1].calls = 3;
	sq->items[1].mean_ms = 1202;

	memset(&diag, 0, sizeof(diag));
	diag.status = DIAGNOSIS_ERROR;
	diag.count = 2;
	set_issue(0, ISSUE_REDIS_DOWN, SEVERITY_HIGH, "redis_down",
	          "Redis is unreachable: connection refused",
	          "Start Redis (systemctl start redis) and check its log.");
	set_issue(1, ISSUE_STORAGE_FULL, SEVERITY_MEDIUM, "storage_full:/srv", "/srv is 95% full",
	          "Free space on /srv.");

	history_init(&hist);
	for (int i = 0; i < 30; i++)
		history_push_at(&hist, HISTORY_P95, 400 + (i * 13) % 100, NOW - (30 - i) * 2000);
	activity_init(&activity);
	activity_add(&activity, NOW - 60000, UI_NORMAL, "opsdeck started, refresh every 2.0 s");
	activity_add(&activity, NOW - 30000, UI_CRITICAL,
	             "redis ok -> unhealthy: connection refused");

	memset(&ui, 0, sizeof(ui));
	ui.focus = PANEL_HEALTH;
	ui.interval_ms = 2000;
	snprintf(ui.theme_name, sizeof(ui.theme_name), "default");

	memset(v, 0, sizeof(*v));
	v->snap = &snap;
	v->diag = &diag;
	v->hist = &hist;
	v->activity = &activity;
	v->state = &ui;
	v->now_ms = NOW;
	v->last_refresh_ms = NOW - 3000;
	v->environment = "production";
	v->program_version = "0.1.0";
	v->utf8 = utf8;
}

static void test_golden_80x24_ascii(void **state)
{
	(void)state;
	struct ui_view v;
	make_view(&v, false);
	screen_check_golden(&v, 80, 24, "full_80x24_ascii");
}

static void test_golden_120x40_utf8(void **state)
{
	(void)state;
	struct ui_view v;
	make_view(&v, true);
	ui.focus = PANEL_SLOW_QUERIES;
	v.waiting_ms[CHECK_ID_HEALTH] = 4200; /* a hung health endpoint */
	screen_check_golden(&v, 120, 40, "full_120x40_utf8");
}

static void test_golden_dialogs(void **state)
{
	(void)state;
	struct ui_view v;
	make_view(&v, false);
	ui.focus = PANEL_SLOW_QUERIES;
	assert_int_equal(panels_details(&v, ui.dialog_title, sizeof(ui.dialog_title),
	                                ui.dialog_text, sizeof(ui.dialog_text)),
	                 0);
	ui.dialog = DIALOG_TEXT;
	assert_non_null(strstr(ui.dialog_text, "ORDER BY o.created_at DESC"));
	screen_check_golden(&v, 80, 24, "slow_query_dialog_80x24");
	ui.dialog = DIALOG_HELP;
	screen_check_golden(&v, 80, 24, "help_80x24");
}

/* "Up/Down scroll" only on a dialog whose text does not fit, whatever its
 * own key hints. */
static void test_dialog_scroll_hint(void **state)
{
	(void)state;
	struct ui_view v;
	make_view(&v, false);
	ui.dialog = DIALOG_TEXT;
	snprintf(ui.dialog_title, sizeof(ui.dialog_title), "Backups");
	snprintf(ui.dialog_footer, sizeof(ui.dialog_footer), "Esc close");
	for (int lines = 3; lines <= 60; lines += 57) {
		ui.dialog_text[0] = '\0';
		for (int i = 0; i < lines; i++)
			snprintf(ui.dialog_text + strlen(ui.dialog_text),
			         sizeof(ui.dialog_text) - strlen(ui.dialog_text), "line %d\n", i);
		struct grid g;
		assert_int_equal(grid_init(&g, 80, 24), 0);
		panels_draw(&g, &v);
		char *text = grid_to_text(&g);
		assert_non_null(strstr(text, "Esc close"));
		if ((strstr(text, "Up/Down scroll") != NULL) != (lines > 10))
			fail_msg("%d lines: the scroll hint is %s", lines,
			         lines > 10 ? "missing" : "shown on a text that fits");
		free(text);
		grid_free(&g);
	}
	ui.dialog_footer[0] = '\0';
	ui.dialog = DIALOG_NONE;
}

static void test_golden_small_sizes(void **state)
{
	(void)state;
	struct ui_view v;
	make_view(&v, false);
	screen_check_golden(&v, 60, 15, "compact_60x15");
	screen_check_golden(&v, 40, 10, "too_small_40x10");
}

/* The walkthrough's incident: the app answers 500, Redis holds 1.1 MiB, /srv
 * is a 252 GiB disk, one session idles in a transaction. */
static void make_incident_view(struct ui_view *v, bool utf8)
{
	make_view(v, utf8);
	check_set_error(&snap.health.check, CHECK_UNHEALTHY, "HTTP 500");
	snap.health.check.latency_ms = 8;
	snap.health.status_code = 500;
	struct redis_status *r = &snap.redis;
	r->check.state = CHECK_OK;
	r->check.error[0] = '\0';
	r->check.latency_ms = 0.4;
	r->used_memory = 1153434; /* 1.1 MiB */
	r->maxmemory = 256LL << 20;
	r->connected_clients = 3;
	snap.storage.paths[1].used_percent = 20;
	snap.storage.paths[1].total_bytes = 252ULL << 30;
	diag.count = 1;
	set_issue(0, ISSUE_APP_DOWN, SEVERITY_HIGH, "app_down",
	          "The app's health check failed: HTTP 500",
	          "Read the app's log (pm2 logs); if it is stuck, restart it. If the health check "
	          "itself reports the database or cache, fix that first.");
}

/* Draws v at w x h and asserts that its first line (in_header non-zero) or
 * the whole screen holds each of the NULL-terminated needles. in_header is
 * an int: va_start's last named parameter must not be one that default
 * argument promotion changes. */
static void assert_drawn(const struct ui_view *v, int w, int h, int in_header, ...)
{
	struct grid g;
	assert_int_equal(grid_init(&g, w, h), 0);
	panels_draw(&g, v);
	char *text = grid_to_text(&g);
	assert_non_null(text);
	grid_free(&g);
	if (in_header)
		text[strcspn(text, "\n")] = '\0';
	va_list ap;
	va_start(ap, in_header);
	for (const char *needle; (needle = va_arg(ap, const char *)) != NULL;)
		if (strstr(text, needle) == NULL)
			fail_msg("%dx%d: \"%s\" not in:\n%s", w, h, needle, text);
	va_end(ap);
	free(text);
}

/* Below the full size only the focused panel is drawn: the header still
 * says the overall state and why, at 70x20 and on the too-small screen. */
/* g: the Performance graphs over a day of the history, each labelled with
 * it; the request log's average has no recorded series and is left out.
 * An empty span says so. */
static void test_golden_graph_span(void **state)
{
	(void)state;
	struct ui_view v;
	make_view(&v, true);
	static struct history day;
	history_init(&day);
	for (int i = 0; i < HISTORY_LEN; i++) {
		int64_t at = NOW - (int64_t)(HISTORY_LEN - i) * 720000; /* 12 min a point */
		bool incident = i >= 80 && i < 86;
		history_push_at(&day, HISTORY_REQUEST_RATE, 300 + (i * 7) % 60, at);
		history_push_at(&day, HISTORY_ERROR_RATE, incident ? 0.2 : 0.002, at);
		history_push_at(&day, HISTORY_P95, incident ? 2400 : 300 + (i * 11) % 90, at);
	}
	v.hist = &day;
	v.graph_span = "24h";
	ui.focus = PANEL_PERFORMANCE;
	screen_check_golden(&v, 120, 40, "graph_span_24h_120x40");
	history_init(&day);
	v.graph_span = "15m";
	assert_drawn(&v, 120, 40, 0, "nothing recorded in the last 15m", NULL);
}

static void test_small_terminal_header(void **state)
{
	(void)state;
	struct ui_view v;
	make_incident_view(&v, false);
	ui.focus = PANEL_SLOW_QUERIES;
	screen_check_golden(&v, 70, 20, "incident_70x20");
	assert_drawn(&v, 70, 20, true, "x CRITICAL The app's health check failed: HTTP 500", NULL);
	assert_drawn(&v, 70, 20, false, "> Slow queries", NULL);
	assert_drawn(&v, 40, 10, true, "x CRITICAL The app", NULL);
	assert_drawn(&v, 40, 10, false, "terminal too small", NULL);
	/* UTF-8: the mark of the issue's example */
	v.utf8 = true;
	assert_drawn(&v, 70, 20, true, "\xe2\x9c\x97 CRITICAL The app's health check failed", NULL);
	/* a warning alone, and a quiet system */
	v.utf8 = false;
	diag.status = DIAGNOSIS_WARNING;
	diag.issues[0].severity = SEVERITY_MEDIUM;
	snap.health.check.state = CHECK_OK;
	assert_drawn(&v, 70, 20, true, "! WARNING The app's", NULL);
	diag.status = DIAGNOSIS_OK;
	diag.count = 0;
	assert_drawn(&v, 70, 20, true, "+ OK no issues", NULL);
}

/* [ui] banner leads the header in its own colour at every size, the
 * too-small screen included, before the state. */
static void test_banner_always_visible(void **state)
{
	(void)state;
	struct ui_view v;
	make_incident_view(&v, false);
	v.banner = "PRODUCTION";
	assert_drawn(&v, 80, 24, true, " PRODUCTION  x CRITICAL The app's health check failed",
	             NULL);
	assert_drawn(&v, 70, 20, true, " PRODUCTION  x CRITICAL", NULL);
	assert_drawn(&v, 40, 10, true, " PRODUCTION  x CRITICAL", NULL);
	struct grid g;
	assert_int_equal(grid_init(&g, 80, 24), 0);
	panels_draw(&g, &v);
	for (int x = 1; x <= 12; x++)
		assert_int_equal(g.cells[x].element, UI_BANNER);
	assert_int_not_equal(g.cells[13].element, UI_BANNER);
	grid_free(&g);
	/* no banner: the header starts with the state, as before */
	v.banner = "";
	assert_drawn(&v, 80, 24, true, " x CRITICAL", NULL);
}

/* Figures are whole or absent at every size: the disk, Redis' memory and
 * the idle-in-transaction count; recommendations are whole at 200. */
static void test_figures_never_cut(void **state)
{
	(void)state;
	struct ui_view v;
	make_incident_view(&v, false);
	screen_check_golden(&v, 80, 24, "incident_80x24");
	assert_drawn(&v, 80, 24, false, "20% of 252 GiB", "mem 1.1 MiB, 0%", "1 idle-in-tx", NULL);
	assert_drawn(&v, 120, 40, false, "20% of 252 GiB", "1 idle-tx", "mem 1.1 MiB", NULL);
	make_incident_view(&v, true);
	screen_check_golden(&v, 200, 60, "incident_200x60_utf8");
	assert_drawn(
	    &v, 200, 60, false, "Read the app's log (pm2 logs); if it is stuck, restart it.",
	    "fix that first.", "7/100 conn \xc2\xb7 2 active \xc2\xb7 4 idle \xc2\xb7 1 idle-in-tx",
	    "last 1h00m", "since 11:05", NULL);
}

/* Enter opens the details of every panel, with the whole text. */
static void test_details_of_every_panel(void **state)
{
	(void)state;
	struct ui_view v;
	make_incident_view(&v, false);
	char title[80], text[UI_DIALOG_TEXT];
	for (int p = 0; p < PANEL_COUNT; p++) {
		ui.focus = (enum ui_panel)p;
		assert_int_equal(panels_details(&v, title, sizeof(title), text, sizeof(text)), 0);
		assert_true(text[0] != '\0');
	}
	ui.focus = PANEL_HEALTH;
	panels_details(&v, title, sizeof(title), text, sizeof(text));
	assert_non_null(strstr(text, "7/100 conn, 2 active, 4 idle, 1 idle-in-tx"));
	assert_non_null(strstr(text, "/srv: OK, 20.0% used of 252 GiB"));
	assert_non_null(strstr(text, "App: CRITICAL, 8.0 ms\n  HTTP 500"));
	ui.focus = PANEL_VERSION;
	panels_details(&v, title, sizeof(title), text, sizeof(text));
	assert_non_null(strstr(text, "Built: 2026-11-27T08:00:00.000Z"));
	ui.focus = PANEL_PERFORMANCE;
	panels_details(&v, title, sizeof(title), text, sizeof(text));
	assert_non_null(strstr(text, "last 1h00m in 60 buckets"));
	assert_non_null(strstr(text, "p95 of each poll since 11:05"));
	/* The worst endpoints, when the request log has a path column. */
	assert_null(strstr(text, "Most 5xx"));
	struct endpoint_breakdown *e = &snap.requests.endpoints;
	endpoints_reset(e, "path");
	e->state = ENDPOINTS_OK;
	e->errors = 3012;
	e->error_count = e->slow_count = 1;
	snprintf(e->by_errors[0].path, sizeof(e->by_errors[0].path), "/api/checkout");
	e->by_errors[0].requests = 3010;
	e->by_errors[0].errors = 3000;
	snprintf(e->by_p95[0].path, sizeof(e->by_p95[0].path), "/api/search");
	e->by_p95[0].requests = 1250;
	e->by_p95[0].p95_ms = 2400;
	panels_details(&v, title, sizeof(title), text, sizeof(text));
	assert_non_null(strstr(text,
	                       "Most 5xx: /api/checkout: 3,000 of 3,012 errors\n"
	                       "Slowest endpoint: /api/search (p95 2400 ms over 1,250 requests)"));
	e->state = ENDPOINTS_NOT_AVAILABLE;
	snprintf(e->why, sizeof(e->why), "breakdown not available: RequestLog has no column path");
	panels_details(&v, title, sizeof(title), text, sizeof(text));
	assert_non_null(
	    strstr(text, "Endpoints: breakdown not available: RequestLog has no column path"));
	endpoints_reset(e, "path");
}

/* The issue dialog names the issue by its title and its severity by the
 * word of the Issues list; Activity names a cleared issue by its title. */
static void test_issue_labels(void **state)
{
	(void)state;
	struct ui_view v;
	make_view(&v, false);
	ui.focus = PANEL_ISSUES;
	ui.selected[PANEL_ISSUES] = 1;
	assert_int_equal(panels_details(&v, ui.dialog_title, sizeof(ui.dialog_title),
	                                ui.dialog_text, sizeof(ui.dialog_text)),
	                 0);
	ui.dialog = DIALOG_TEXT;
	assert_string_equal(ui.dialog_title, "Issue: storage full (/srv)");
	assert_non_null(strstr(ui.dialog_text, "Severity: WARN\n"));
	screen_check_golden(&v, 80, 24, "issue_dialog_80x24");
	ui.dialog = DIALOG_NONE;

	struct diagnosis after = diag;
	after.count = 1;
	activity_log_issues(&activity, &diag, &after, NOW);
	assert_drawn(&v, 120, 40, false, "cleared: storage full (/srv)", NULL);
	assert_null(strstr(activity_newest(&activity, 0)->text, "storage_full"));
}

/* An OK health check that took a second or more says it is slow. */
static void test_slow_health_hint(void **state)
{
	(void)state;
	struct ui_view v;
	make_view(&v, false);
	snap.health.check.latency_ms = 2000;
	assert_drawn(&v, 120, 40, false, "slow 2.0 s", NULL);
	assert_drawn(&v, 80, 24, false, "slow", NULL);
	snap.health.check.latency_ms = 999;
	struct grid g;
	assert_int_equal(grid_init(&g, 120, 40), 0);
	panels_draw(&g, &v);
	char *text = grid_to_text(&g);
	assert_non_null(text);
	assert_null(strstr(text, "slow"));
	free(text);
	grid_free(&g);
}

/* An indented line too long for the width breaks inside its text, not
 * after the indent (an address in the Health details). */
static void test_wrap_keeps_an_indent_with_its_text(void **state)
{
	(void)state;
	struct grid g;
	assert_int_equal(grid_init(&g, 10, 4), 0);
	struct ui_wrap_out o = {&g, 0, 0, 10, 0, 4, 0, UI_NORMAL};
	assert_int_equal(panel_wrap(&o, "  redis://cache:6379/0", 10), 3);
	char *text = grid_to_text(&g);
	assert_string_equal(text, "  redis://\ncache:6379\n/0\n\n");
	free(text);
	grid_free(&g);
}

static void test_states_without_data(void **state)
{
	(void)state;
	struct ui_view v;
	make_view(&v, false);
	snapshot_init(&snap); /* every check pending */
	diag.count = 0;
	v.last_refresh_ms = 0;
	struct grid g;
	assert_int_equal(grid_init(&g, 80, 24), 0);
	panels_draw(&g, &v);
	char *text = grid_to_text(&g);
	assert_non_null(strstr(text, "waiting for the first poll"));
	assert_non_null(strstr(text, "updated never"));
	free(text);
	/* no traffic, and a missing request log */
	snap.requests.check.state = CHECK_OK;
	snap.requests.window_ms = 3600000;
	panels_draw(&g, &v);
	text = grid_to_text(&g);
	assert_non_null(strstr(text, "no traffic in the last 1h"));
	free(text);
	check_set_error(&snap.requests.check, CHECK_UNHEALTHY,
	                "request log not found: table \"RequestLog\" does not exist");
	panels_draw(&g, &v);
	text = grid_to_text(&g);
	assert_non_null(strstr(text, "request log not found"));
	free(text);
	grid_free(&g);
}

static void test_layout(void **state)
{
	(void)state;
	struct ui_layout l;
	ui_layout_compute(80, 24, PANEL_HEALTH, &l);
	assert_false(l.too_small);
	assert_false(l.compact);
	for (int p = 0; p < PANEL_COUNT; p++) {
		struct ui_rect r = l.panels[p];
		assert_true(r.w > 0 && r.h >= 3);
		assert_true(r.x >= 0 && r.y >= 1 && r.x + r.w <= 80 && r.y + r.h <= 23);
	}
	assert_int_equal(ui_layout_hit(&l, 1, 2), PANEL_HEALTH);
	assert_int_equal(ui_layout_hit(&l, 79, 22), PANEL_ACTIVITY);
	assert_int_equal(ui_layout_hit(&l, 0, 0), -1); /* header */
	ui_layout_compute(60, 15, PANEL_ISSUES, &l);
	assert_true(l.compact);
	assert_int_equal(l.panels[PANEL_ISSUES].w, 60);
	assert_int_equal(l.panels[PANEL_HEALTH].w, 0);
	ui_layout_compute(49, 30, PANEL_ISSUES, &l);
	assert_true(l.too_small);
	/* rows past 24 go 1/3 to the top band, 1/4 to Activity */
	ui_layout_compute(120, 40, PANEL_HEALTH, &l);
	assert_int_equal(l.panels[PANEL_HEALTH].h, 12 + 16 / 3);
	assert_int_equal(l.panels[PANEL_ACTIVITY].h, 4 + 16 / 4);
	assert_int_equal(l.panels[PANEL_ACTIVITY].y + l.panels[PANEL_ACTIVITY].h, 39);
	/* dialogs: at most 78 wide, the whole width below 20, cut to the screen */
	assert_int_equal(ui_layout_dialog_width(120), 78);
	assert_int_equal(ui_layout_dialog_width(60), 56);
	assert_int_equal(ui_layout_dialog_width(22), 22);
	struct ui_rect d = ui_layout_dialog(80, 24, 76, 40);
	assert_int_equal(d.h, 22);
	assert_int_equal(d.x, 2);
	assert_int_equal(d.y, 1);
	/* every size draws without writing out of bounds (ASan checks) */
	struct ui_view v;
	make_view(&v, true);
	ui.dialog = DIALOG_HELP;
	for (int w = 1; w < 130; w += 7)
		for (int h = 1; h < 45; h += 4) {
			struct grid g;
			assert_int_equal(grid_init(&g, w, h), 0);
			panels_draw(&g, &v);
			grid_free(&g);
		}
}

/* Tab goes through the panels in the order the screen reads, top-left to
 * bottom-right, at every size that shows them all; compact sizes use the
 * same order. */
static void test_tab_follows_reading_order(void **state)
{
	(void)state;
	static const int sizes[][2] = {{80, 24}, {120, 40}, {200, 60}};
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		struct ui_layout l;
		ui_layout_compute(sizes[k][0], sizes[k][1], PANEL_HEALTH, &l);
		enum ui_panel p = PANEL_HEALTH, prev = ui_panel_next(PANEL_HEALTH, -1);
		for (int i = 0; i < PANEL_COUNT; i++) {
			struct ui_rect a = l.panels[prev], b = l.panels[p];
			if (i > 0 && !(b.y > a.y || (b.y == a.y && b.x > a.x)))
				fail_msg("%dx%d: Tab from %s to %s goes back up the screen",
				         sizes[k][0], sizes[k][1], ui_panel_title(prev),
				         ui_panel_title(p));
			prev = p;
			p = ui_panel_next(p, 1);
		}
		assert_int_equal(p, PANEL_HEALTH); /* all six, then round */
	}
	static const enum ui_panel want[PANEL_COUNT] = {PANEL_HEALTH,       PANEL_VERSION,
	                                                PANEL_PERFORMANCE,  PANEL_ISSUES,
	                                                PANEL_SLOW_QUERIES, PANEL_ACTIVITY};
	for (int i = 0; i < PANEL_COUNT; i++) {
		assert_int_equal(ui_panel_next(want[i], 1), want[(i + 1) % PANEL_COUNT]);
		assert_int_equal(ui_panel_next(want[(i + 1) % PANEL_COUNT], -1), want[i]);
	}
}

static void test_grid_clips_and_decodes(void **state)
{
	(void)state;
	struct grid g;
	assert_int_equal(grid_init(&g, 5, 2), 0);
	assert_int_equal(grid_put(&g, 3, 0, 100, "abcdef", UI_OK), 2);
	assert_int_equal(grid_put(&g, -1, 5, 100, "x", UI_OK), 0);
	grid_put(&g, 0, 1, 5, "\xe2\x9c\x93\xff\x1b", UI_OK);
	char *text = grid_to_text(&g);
	assert_string_equal(text, "   ab\n\xe2\x9c\x93??\n");
	free(text);
	grid_free(&g);
	assert_int_equal(grid_init(&g, 0, 3), -1);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_golden_80x24_ascii),
	    cmocka_unit_test(test_golden_120x40_utf8),
	    cmocka_unit_test(test_golden_dialogs),
	    cmocka_unit_test(test_golden_graph_span),
	    cmocka_unit_test(test_dialog_scroll_hint),
	    cmocka_unit_test(test_golden_small_sizes),
	    cmocka_unit_test(test_banner_always_visible),
	    cmocka_unit_test(test_small_terminal_header),
	    cmocka_unit_test(test_figures_never_cut),
	    cmocka_unit_test(test_details_of_every_panel),
	    cmocka_unit_test(test_issue_labels),
	    cmocka_unit_test(test_slow_health_hint),
	    cmocka_unit_test(test_wrap_keeps_an_indent_with_its_text),
	    cmocka_unit_test(test_states_without_data),
	    cmocka_unit_test(test_layout),
	    cmocka_unit_test(test_tab_follows_reading_order),
	    cmocka_unit_test(test_grid_clips_and_decodes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
