/* Unit tests for ui/replay: a history record as the panels read it — each
 * check's state and latency, the figures, the version, the open issues —
 * and the whole screen replaying it under its banner (golden file). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "history/record.h"
#include "screen.h"
#include "ui/replay.h"
#include "util/text.h"

/* A record of an outage: Redis down, the app slow, a disk filling. */
static void outage(struct history_record *r, int64_t at_ms)
{
	history_record_init(r);
	r->seq = 42;
	r->at_ms = at_ms;
	text_copy(r->version, "2.4.2", sizeof(r->version));
	text_copy(r->commit, "a1b2c3d", sizeof(r->commit));
	history_record_add_check(r, "database", CHECK_OK);
	history_record_add_check(r, "redis", CHECK_UNHEALTHY);
	history_record_add_check(r, "health", CHECK_OK);
	history_record_add_check(r, "requests", CHECK_OK);
	history_record_add_check(r, "storage", CHECK_OK);
	history_record_add_check(r, "version", CHECK_OK);
	history_record_add_figure(r, "database.latency_ms", 1.5);
	history_record_add_figure(r, "health.latency_ms", 812);
	history_record_add_figure(r, "database.max_connections", 100);
	history_record_add_figure(r, "database.connections_total", 87);
	history_record_add_figure(r, "database.connections_active", 40);
	history_record_add_figure(r, "requests.requests", 3005);
	history_record_add_figure(r, "requests.per_minute", 3005 / 60.0);
	history_record_add_figure(r, "health.status_code", 200);
	history_record_add_figure(r, "requests.errors", 420);
	history_record_add_figure(r, "requests.error_rate", 420.0 / 3005);
	history_record_add_figure(r, "requests.avg_ms", 640);
	history_record_add_figure(r, "requests.p95_ms", 2400);
	history_record_add_figure(r, "requests.p99_ms", 4100);
	history_record_add_figure(r, "storage.used_percent:/srv", 93);
	history_record_add_figure(r, "storage.avail_bytes:/srv", 7e9);
	history_record_add_figure(r, "storage.total_bytes:/srv", 100e9);
	struct issue is;
	memset(&is, 0, sizeof(is));
	is.type = ISSUE_REDIS_DOWN;
	text_copy(is.id, "redis_down", sizeof(is.id));
	is.severity = SEVERITY_HIGH;
	text_copy(is.message, "Redis did not answer: connection refused", sizeof(is.message));
	history_record_add_issue(r, &is);
	is.type = ISSUE_ERROR_RATE;
	text_copy(is.id, "error_rate", sizeof(is.id));
	is.severity = SEVERITY_MEDIUM;
	text_copy(is.message, "Error rate 14% over the last 1h", sizeof(is.message));
	history_record_add_issue(r, &is);
}

static void test_record_as_the_panels_read_it(void **state)
{
	(void)state;
	struct history_record *r = malloc(sizeof(*r));
	struct snapshot *s = malloc(sizeof(*s));
	struct diagnosis *d = malloc(sizeof(*d));
	outage(r, 1796432548000);
	replay_snapshot(r, s, d);
	assert_int_equal(s->taken_at_ms, 1796432548000);
	assert_int_equal(s->database.check.state, CHECK_OK);
	assert_true(s->database.check.latency_ms > 1.4 && s->database.check.latency_ms < 1.6);
	assert_int_equal(s->database.connections_total, 87);
	assert_int_equal(s->database.max_connections, 100);
	assert_int_equal(s->redis.check.state, CHECK_UNHEALTHY);
	assert_true(s->redis.check.latency_ms < 0);
	assert_int_equal(s->pgbouncer.check.state, CHECK_NOT_CONFIGURED); /* not in the record */
	assert_int_equal(s->requests.requests, 3005);
	assert_int_equal(s->requests.window_ms, 3600000);
	assert_int_equal(s->health.status_code, 200);
	assert_true(s->requests.p95_ms > 2399 && s->requests.p95_ms < 2401);
	assert_string_equal(s->version.version, "2.4.2");
	assert_string_equal(s->version.commit_hash, "a1b2c3d");
	assert_int_equal(s->storage.path_count, 1);
	assert_string_equal(s->storage.paths[0].path, "/srv");
	assert_int_equal(s->storage.paths[0].total_bytes, 100000000000ULL);
	assert_int_equal(d->count, 2);
	assert_int_equal(d->status, DIAGNOSIS_ERROR);
	assert_int_equal(d->issues[0].type, ISSUE_REDIS_DOWN);
	assert_string_equal(d->issues[1].id, "error_rate");
	assert_int_equal(d->issues[1].type, ISSUE_ERROR_RATE);
	free(r);
	free(s);
	free(d);
}

static void test_replayed_screen(void **state)
{
	(void)state;
	struct screen_parts *parts = malloc(sizeof(*parts));
	struct history_record *r = malloc(sizeof(*r));
	struct ui_view v;
	screen_view_quiet(&v, parts);
	outage(r, v.now_ms - 5 * 60 * 1000);
	replay_snapshot(r, &parts->snap, &parts->diag);
	text_copy(parts->snap.app_name, "shop", sizeof(parts->snap.app_name));
	v.last_refresh_ms = r->at_ms;
	v.banner = "PRODUCTION | REPLAY 2026-12-05 01:02:28 UTC";
	screen_check_golden(&v, 120, 40, "replay_120x40");
	screen_check_golden(&v, 80, 24, "replay_80x24");
	free(r);
	free(parts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_record_as_the_panels_read_it),
	    cmocka_unit_test(test_replayed_screen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
