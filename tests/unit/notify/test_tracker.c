/* Unit tests for notify/tracker: one event per change (opened, cleared,
 * escalated; a fall not told), the minimum severity, flap damping with the
 * held changes told when the window ends, and what is kept across a
 * restart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "notify/tracker.h"
#include "util/text.h"

#define MIN  (60 * 1000)
#define FLAP (10 * MIN)

static struct issue make(const char *id, enum issue_type type, enum issue_severity severity)
{
	struct issue i;
	memset(&i, 0, sizeof(i));
	text_copy(i.id, id, sizeof(i.id));
	i.type = type;
	i.severity = severity;
	text_printf(i.message, sizeof(i.message), "%s is %s", id, issue_severity_name(severity));
	return i;
}

/* One poll with n issues; returns the events' count, events in ev. */
static int poll(struct notify_tracker *t, const struct issue *issues, int n, int64_t now,
                int64_t flap, struct notify_event *ev)
{
	return notify_tracker_update(t, issues, n, SEVERITY_MEDIUM, flap, now, ev, 16);
}

static void test_one_event_per_change(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	struct notify_event ev[16];
	struct issue down = make("app_down", ISSUE_APP_DOWN, SEVERITY_HIGH);
	assert_int_equal(poll(t, &down, 1, 1000, 0, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_OPENED);
	assert_string_equal(ev[0].issue_id, "app_down");
	assert_string_equal(ev[0].issue_type, "app_down");
	assert_int_equal(ev[0].severity, SEVERITY_HIGH);
	assert_string_equal(ev[0].message, "app_down is high");
	assert_true(notify_tracker_dirty(t));
	assert_int_equal(poll(t, &down, 1, 2000, 0, ev), 0);
	assert_int_equal(poll(t, NULL, 0, 61000, 0, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_CLEARED);
	assert_int_equal(ev[0].open_ms, 60000);
	assert_int_equal(ev[0].severity, SEVERITY_HIGH);
	assert_int_equal(poll(t, NULL, 0, 62000, 0, ev), 0);
	notify_tracker_free(t);
}

static void test_minimum_severity_and_escalation(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	struct notify_event ev[16];
	struct issue low = make("version_unknown", ISSUE_VERSION_UNKNOWN, SEVERITY_LOW);
	assert_int_equal(poll(t, &low, 1, 1000, 0, ev), 0); /* below medium: never */
	struct issue err = make("error_rate", ISSUE_ERROR_RATE, SEVERITY_MEDIUM);
	assert_int_equal(poll(t, &err, 1, 2000, 0, ev), 1);
	err.severity = SEVERITY_HIGH;
	assert_int_equal(poll(t, &err, 1, 3000, 0, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_ESCALATED);
	assert_int_equal(ev[0].old_severity, SEVERITY_MEDIUM);
	assert_int_equal(ev[0].severity, SEVERITY_HIGH);
	err.severity = SEVERITY_MEDIUM; /* a fall is not told */
	assert_int_equal(poll(t, &err, 1, 4000, 0, ev), 0);
	err.severity = SEVERITY_HIGH; /* but a rise again is */
	assert_int_equal(poll(t, &err, 1, 5000, 0, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_ESCALATED);
	err.severity = SEVERITY_LOW; /* below the minimum: cleared */
	assert_int_equal(poll(t, &err, 1, 6000, 0, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_CLEARED);
	notify_tracker_free(t);
}

static void test_flapping_is_damped(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	struct notify_event ev[16];
	struct issue down = make("app_down", ISSUE_APP_DOWN, SEVERITY_HIGH);
	assert_int_equal(poll(t, &down, 1, 0, FLAP, ev), 1);    /* opened */
	assert_int_equal(poll(t, NULL, 0, 1000, FLAP, ev), 1);  /* cleared */
	assert_int_equal(poll(t, &down, 1, 2000, FLAP, ev), 0); /* held */
	assert_int_equal(poll(t, NULL, 0, 3000, FLAP, ev), 0);  /* held */
	assert_int_equal(poll(t, &down, 1, 4000, FLAP, ev), 0); /* held */
	assert_int_equal(poll(t, &down, 1, 5000, FLAP, ev), 0); /* no change */
	/* the window ends: where it settled, with the changes held */
	assert_int_equal(poll(t, &down, 1, FLAP + 1000, FLAP, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_OPENED);
	assert_int_equal(ev[0].held_changes, 3);
	notify_tracker_free(t);
}

static void test_settled_as_told_says_nothing(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	struct notify_event ev[16];
	struct issue down = make("app_down", ISSUE_APP_DOWN, SEVERITY_HIGH);
	poll(t, &down, 1, 0, FLAP, ev);
	poll(t, NULL, 0, 1000, FLAP, ev);
	assert_int_equal(poll(t, &down, 1, 2000, FLAP, ev), 0);
	assert_int_equal(poll(t, NULL, 0, 3000, FLAP, ev), 0);
	/* cleared, as last told: nothing to say when the window ends */
	assert_int_equal(poll(t, NULL, 0, FLAP + 1000, FLAP, ev), 0);
	/* and the next change is told at once, with nothing held */
	assert_int_equal(poll(t, &down, 1, FLAP + 2000, FLAP, ev), 1);
	assert_int_equal(ev[0].held_changes, 0);
	notify_tracker_free(t);
}

static void test_kept_across_a_restart(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	struct notify_event ev[16];
	struct issue both[2] = {make("app_down", ISSUE_APP_DOWN, SEVERITY_HIGH),
	                        make("storage_full:/srv", ISSUE_STORAGE_FULL, SEVERITY_MEDIUM)};
	assert_int_equal(poll(t, both, 2, 1000, FLAP, ev), 2);
	struct strbuf saved;
	strbuf_init(&saved, 0);
	notify_tracker_save(t, &saved);
	assert_false(notify_tracker_dirty(t));
	notify_tracker_free(t);

	struct notify_tracker *next = notify_tracker_new();
	char err[256];
	assert_int_equal(notify_tracker_load(next, strbuf_str(&saved), err, sizeof(err)), 0);
	assert_int_equal(poll(next, both, 2, 2000, FLAP, ev), 0); /* told already */
	assert_int_equal(poll(next, &both[1], 1, 3000, FLAP, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_CLEARED);
	assert_string_equal(ev[0].issue_id, "app_down");
	assert_int_equal(ev[0].open_ms, 2000);
	notify_tracker_free(next);
	strbuf_free(&saved);
}

static void test_garbage_is_refused(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	char err[256];
	assert_int_equal(notify_tracker_load(t, "{not json", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a JSON array"));
	assert_int_equal(
	    notify_tracker_load(t, "[{\"id\":\"x\",\"severity\":\"urgent\"}]", err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "entry 1"));
	/* refused: empty, so every open issue is told afresh */
	struct notify_event ev[16];
	struct issue down = make("app_down", ISSUE_APP_DOWN, SEVERITY_HIGH);
	assert_int_equal(poll(t, &down, 1, 1000, 0, ev), 1);
	notify_tracker_free(t);
}

static void test_max_bounds_the_events(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	struct notify_event ev[16];
	struct issue many[5];
	for (int i = 0; i < 5; i++) {
		char id[16];
		text_printf(id, sizeof(id), "storage_full:/%d", i);
		many[i] = make(id, ISSUE_STORAGE_FULL, SEVERITY_HIGH);
	}
	assert_int_equal(notify_tracker_update(t, many, 5, SEVERITY_MEDIUM, FLAP, 0, ev, 3), 3);
	/* the rest in the next call, none twice */
	assert_int_equal(notify_tracker_update(t, many, 5, SEVERITY_MEDIUM, FLAP, 0, ev, 3), 2);
	assert_int_equal(notify_tracker_update(t, many, 5, SEVERITY_MEDIUM, FLAP, 0, ev, 3), 0);
	notify_tracker_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_one_event_per_change),
	    cmocka_unit_test(test_minimum_severity_and_escalation),
	    cmocka_unit_test(test_flapping_is_damped),
	    cmocka_unit_test(test_settled_as_told_says_nothing),
	    cmocka_unit_test(test_kept_across_a_restart),
	    cmocka_unit_test(test_garbage_is_refused),
	    cmocka_unit_test(test_max_bounds_the_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
