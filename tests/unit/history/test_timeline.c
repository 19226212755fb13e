/* Unit tests for history/timeline: issue spans from the records (start,
 * end, still open, open at the start), their worst severity and peak, the
 * deploys, the gaps, and an issue linked to the deploy before it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "history/timeline.h"
#include "util/text.h"

struct feed {
	struct timeline t;
	struct history_record *r;
};

static int setup(void **state)
{
	struct feed *f = calloc(1, sizeof(*f));
	f->r = calloc(1, sizeof(*f->r));
	timeline_init(&f->t);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct feed *f = *state;
	timeline_free(&f->t);
	free(f->r);
	free(f);
	return 0;
}

/* Starts the next record at at_ms with version (NULL: unknown). */
static struct history_record *next(struct feed *f, int64_t at_ms, const char *version)
{
	history_record_init(f->r);
	f->r->at_ms = at_ms;
	if (version) {
		text_copy(f->r->version, version, sizeof(f->r->version));
		text_printf(f->r->commit, sizeof(f->r->commit), "c-%s", version);
	}
	return f->r;
}

static void issue(struct history_record *r, const char *id, const char *type,
                  enum issue_severity severity, const char *message)
{
	struct history_issue *i = &r->issues[r->issue_count++];
	text_copy(i->id, id, sizeof(i->id));
	text_copy(i->type, type, sizeof(i->type));
	i->severity = severity;
	text_copy(i->message, message, sizeof(i->message));
}

static void test_spans_and_worst_severity(void **state)
{
	struct feed *f = *state;
	/* error_rate from 3 s to 6 s, medium then high; redis_down open at
	 * the start and still open at the end */
	for (int s = 1; s <= 8; s++) {
		struct history_record *r = next(f, s * 1000, "2.4.1");
		issue(r, "redis_down", "redis_down", SEVERITY_HIGH, "Redis did not answer");
		if (s >= 3 && s < 6) {
			issue(r, "error_rate", "error_rate",
			      s == 4 ? SEVERITY_HIGH : SEVERITY_MEDIUM,
			      s == 4 ? "errors 40%" : "errors 10%");
			history_record_add_figure(r, "requests.error_rate", s == 4 ? 0.4 : 0.1);
		}
		timeline_add(&f->t, r);
	}
	timeline_finish(&f->t);
	assert_int_equal(f->t.records, 8);
	assert_int_equal(f->t.issue_count, 2);
	const struct timeline_issue *redis = &f->t.issues[0], *errors = &f->t.issues[1];
	assert_string_equal(redis->id, "redis_down");
	assert_true(redis->open_at_start);
	assert_int_equal(redis->ended_ms, -1);
	assert_false(redis->has_peak); /* redis_down has no figure */
	assert_string_equal(errors->id, "error_rate");
	assert_false(errors->open_at_start);
	assert_int_equal(errors->started_ms, 3000);
	assert_int_equal(errors->ended_ms, 6000);
	assert_int_equal(errors->severity, SEVERITY_HIGH);
	assert_string_equal(errors->message, "errors 40%");
	assert_true(errors->has_peak);
	assert_string_equal(errors->peak_figure, "requests.error_rate");
	assert_true(errors->peak > 0.39 && errors->peak < 0.41);
	assert_int_equal(f->t.deploy_count, 0);
	assert_int_equal(f->t.gap_count, 0);
}

static void test_reopened_issue_is_two_spans(void **state)
{
	struct feed *f = *state;
	const int open[] = {0, 1, 1, 0, 0, 1, 0};
	for (int s = 0; s < 7; s++) {
		struct history_record *r = next(f, (s + 1) * 2000, NULL);
		if (open[s])
			issue(r, "storage_full:/srv", "storage_full", SEVERITY_MEDIUM, "disk 95%");
		history_record_add_figure(r, "storage.used_percent:/srv", 90 + s);
		timeline_add(&f->t, r);
	}
	timeline_finish(&f->t);
	assert_int_equal(f->t.issue_count, 2);
	assert_int_equal(f->t.issues[0].started_ms, 4000);
	assert_int_equal(f->t.issues[0].ended_ms, 8000);
	assert_int_equal(f->t.issues[1].started_ms, 12000);
	assert_int_equal(f->t.issues[1].ended_ms, 14000);
	/* the per-path figure takes the issue's subject */
	assert_string_equal(f->t.issues[0].peak_figure, "storage.used_percent:/srv");
	assert_true(f->t.issues[0].peak > 91.9 && f->t.issues[0].peak < 92.1);
}

static void test_deploy_and_linked_issue(void **state)
{
	struct feed *f = *state;
	const char *versions[] = {NULL, "2.4.1", "2.4.1", "2.4.2", "2.4.2", "2.4.2", NULL, "2.4.2"};
	for (int s = 0; s < 8; s++) {
		struct history_record *r = next(f, (s + 1) * 10000, versions[s]);
		if (s >= 5)
			issue(r, "error_rate", "error_rate", SEVERITY_HIGH, "errors 40%");
		timeline_add(&f->t, r);
	}
	timeline_finish(&f->t);
	/* unknown -> 2.4.1 is no deploy; an unknown version between two
	 * 2.4.2 records is none either */
	assert_int_equal(f->t.deploy_count, 1);
	assert_int_equal(f->t.deploys[0].at_ms, 40000);
	assert_string_equal(f->t.deploys[0].from, "2.4.1");
	assert_string_equal(f->t.deploys[0].to, "2.4.2");
	assert_string_equal(f->t.deploys[0].commit, "c-2.4.2");
	assert_int_equal(f->t.issue_count, 1);
	assert_int_equal(f->t.issues[0].deploy, 0);
	assert_int_equal(f->t.issues[0].started_ms - f->t.deploys[0].at_ms, 20000);
}

static void test_issue_long_after_a_deploy_is_not_linked(void **state)
{
	struct feed *f = *state;
	next(f, 1000, "1");
	timeline_add(&f->t, f->r);
	next(f, 2000, "2");
	timeline_add(&f->t, f->r);
	struct history_record *r = next(f, 2000 + TIMELINE_DEPLOY_WINDOW_MS + 1000, "2");
	issue(r, "app_down", "app_down", SEVERITY_HIGH, "down");
	timeline_add(&f->t, r);
	timeline_finish(&f->t);
	assert_int_equal(f->t.issues[0].deploy, -1);
}

static void test_gap_when_nothing_recorded(void **state)
{
	struct feed *f = *state;
	int64_t at = 0;
	for (int s = 0; s < 20; s++) {
		at += s == 10 ? 60000 : 2000; /* a minute with nothing */
		struct history_record *r = next(f, at, NULL);
		issue(r, "app_down", "app_down", SEVERITY_HIGH, "down");
		timeline_add(&f->t, r);
	}
	timeline_finish(&f->t);
	assert_int_equal(f->t.gap_count, 1);
	assert_int_equal(f->t.gaps[0].from_ms, 20000);
	assert_int_equal(f->t.gaps[0].until_ms, 80000);
	/* open on both sides of the gap: one span */
	assert_int_equal(f->t.issue_count, 1);
}

static void test_clock_stepped_back(void **state)
{
	struct feed *f = *state;
	const int64_t at[] = {100000, 102000, 104000, 95000, 97000, 99000};
	for (int s = 0; s < 6; s++) {
		struct history_record *r = next(f, at[s], NULL);
		if (s == 2 || s == 3)
			issue(r, "app_down", "app_down", SEVERITY_HIGH, "down");
		timeline_add(&f->t, r);
	}
	timeline_finish(&f->t);
	/* seq order stands: opened at the third record, cleared at the fifth */
	assert_int_equal(f->t.issue_count, 1);
	assert_int_equal(f->t.issues[0].started_ms, 104000);
	assert_int_equal(f->t.issues[0].ended_ms, 97000);
	assert_int_equal(f->t.gap_count, 0);
}

static void test_lowest_is_worst_for_cache_hit(void **state)
{
	(void)state;
	bool lowest = false;
	assert_string_equal(timeline_peak_figure("cache_hit", &lowest),
	                    "pg_upkeep.cache_hit_ratio");
	assert_true(lowest);
	assert_null(timeline_peak_figure("app_down", &lowest));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_spans_and_worst_severity, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reopened_issue_is_two_spans, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_deploy_and_linked_issue, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_issue_long_after_a_deploy_is_not_linked, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_gap_when_nothing_recorded, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_clock_stepped_back, setup, teardown),
	    cmocka_unit_test(test_lowest_is_worst_for_cache_hit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
