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
#include "ui/panels.h"

#define NOW 1795000000000LL

static struct snapshot snap;
static struct diagnosis diag;
static struct history hist;
static struct activity_log activity;
static struct ui_state ui;

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
	diag.issues[0].type = ISSUE_REDIS_DOWN;
	diag.issues[0].severity = SEVERITY_HIGH;
	snprintf(diag.issues[0].id, sizeof(diag.issues[0].id), "redis_down");
	snprintf(diag.issues[0].message, sizeof(diag.issues[0].message),
	         "Redis is unreachable: connection refused");
	snprintf(diag.issues[0].recommendation, sizeof(diag.issues[0].recommendation),
	         "Start Redis (systemctl start redis) and check its log.");
	diag.issues[1].type = ISSUE_STORAGE_FULL;
	diag.issues[1].severity = SEVERITY_MEDIUM;
	snprintf(diag.issues[1].id, sizeof(diag.issues[1].id), "storage_full:/srv");
	snprintf(diag.issues[1].message, sizeof(diag.issues[1].message), "/srv is 95%% full");
	snprintf(diag.issues[1].recommendation, sizeof(diag.issues[1].recommendation),
	         "Free space on /srv.");

	history_init(&hist);
	for (int i = 0; i < 30; i++)
		history_push(&hist, HISTORY_P95, 400 + (i * 13) % 100);
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
	    cmocka_unit_test(test_dialog_scroll_hint),
	    cmocka_unit_test(test_golden_small_sizes),
	    cmocka_unit_test(test_states_without_data),
	    cmocka_unit_test(test_layout),
	    cmocka_unit_test(test_tab_follows_reading_order),
	    cmocka_unit_test(test_grid_clips_and_decodes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
