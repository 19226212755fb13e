/* Unit tests for notify/limit: the ring of send times behind [notify]
 * max_per_hour. N messages go within any hour, the next is held back, and
 * the count of held ones is said once, by the first that goes after them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "notify/limit.h"

#define SEC  1000
#define MIN  (60 * SEC)
#define HOUR ((int64_t)NOTIFY_LIMIT_SPAN_MS)
#define T0   ((int64_t)1796432548323) /* a wall clock time, as the notifier passes */

/* The struct holds NOTIFY_LIMIT_MAX times: kept off the stack. */
static struct notify_limit *limit_new(int per_hour)
{
	struct notify_limit *l = calloc(1, sizeof(*l));
	assert_non_null(l);
	notify_limit_init(l, per_hour);
	return l;
}

static void test_fresh_limit_holds_nothing(void **state)
{
	(void)state;
	struct notify_limit *l = limit_new(5);
	assert_int_equal(l->per_hour, 5);
	assert_int_equal(l->count, 0);
	assert_int_equal(l->held, 0);
	assert_int_equal(notify_limit_held(l), 0);
	assert_true(notify_limit_take(l, T0));
	assert_int_equal(notify_limit_held(l), 0);
	free(l);
}

static void test_n_within_an_hour_then_held(void **state)
{
	(void)state;
	struct notify_limit *l = limit_new(3);
	assert_true(notify_limit_take(l, T0));
	assert_true(notify_limit_take(l, T0 + 10 * MIN));
	assert_true(notify_limit_take(l, T0 + 20 * MIN));
	/* the fourth within the hour is held back, and so are those after it */
	assert_false(notify_limit_take(l, T0 + 21 * MIN));
	assert_false(notify_limit_take(l, T0 + 30 * MIN));
	assert_false(notify_limit_take(l, T0 + HOUR - 1));
	free(l);
}

static void test_all_at_once(void **state)
{
	(void)state;
	struct notify_limit *l = limit_new(4);
	for (int i = 0; i < 4; i++)
		assert_true(notify_limit_take(l, T0));
	assert_false(notify_limit_take(l, T0));
	assert_false(notify_limit_take(l, T0 + 1));
	assert_true(notify_limit_take(l, T0 + HOUR + 1));
	assert_int_equal(notify_limit_held(l), 2);
	free(l);
}

static void test_held_count_said_once(void **state)
{
	(void)state;
	struct notify_limit *l = limit_new(2);
	assert_true(notify_limit_take(l, T0));
	assert_true(notify_limit_take(l, T0 + MIN));
	assert_false(notify_limit_take(l, T0 + 2 * MIN));
	assert_false(notify_limit_take(l, T0 + 3 * MIN));
	assert_false(notify_limit_take(l, T0 + 4 * MIN));
	/* the oldest is more than an hour old: one may go, and carries the 3 */
	assert_true(notify_limit_take(l, T0 + HOUR + 1));
	assert_int_equal(notify_limit_held(l), 3);
	/* said once: asked again, nothing is held */
	assert_int_equal(notify_limit_held(l), 0);
	/* the second slot frees an hour after the second message */
	assert_true(notify_limit_take(l, T0 + MIN + HOUR + 1));
	assert_int_equal(notify_limit_held(l), 0);
	/* a new run of held messages is counted from zero */
	assert_false(notify_limit_take(l, T0 + MIN + HOUR + 2));
	assert_true(notify_limit_take(l, T0 + 2 * HOUR + 2));
	assert_int_equal(notify_limit_held(l), 1);
	assert_int_equal(notify_limit_held(l), 0);
	free(l);
}

static void test_allowed_once_the_oldest_is_an_hour_old(void **state)
{
	(void)state;
	struct notify_limit *l = limit_new(3);
	assert_true(notify_limit_take(l, T0));
	assert_true(notify_limit_take(l, T0 + 5 * MIN));
	assert_true(notify_limit_take(l, T0 + 10 * MIN));
	/* the oldest is not yet an hour old */
	assert_false(notify_limit_take(l, T0 + HOUR - SEC));
	/* now it is more than an hour old: its slot is free, only that one */
	assert_true(notify_limit_take(l, T0 + HOUR + SEC));
	assert_int_equal(notify_limit_held(l), 1);
	assert_false(notify_limit_take(l, T0 + HOUR + 2 * SEC));
	/* the ring goes round: each slot frees an hour after its own send */
	assert_false(notify_limit_take(l, T0 + 5 * MIN + HOUR - SEC));
	assert_true(notify_limit_take(l, T0 + 5 * MIN + HOUR + SEC));
	assert_int_equal(notify_limit_held(l), 2);
	assert_true(notify_limit_take(l, T0 + 10 * MIN + HOUR + SEC));
	assert_int_equal(notify_limit_held(l), 0);
	assert_false(notify_limit_take(l, T0 + 10 * MIN + HOUR + 2 * SEC));
	/* the last three went at HOUR+1s, 65 min+1s and 70 min+1s */
	assert_false(notify_limit_take(l, T0 + 2 * HOUR));
	assert_true(notify_limit_take(l, T0 + 2 * HOUR + 2 * SEC));
	assert_int_equal(notify_limit_held(l), 2);
	free(l);
}

static void test_a_quiet_hour_frees_every_slot(void **state)
{
	(void)state;
	struct notify_limit *l = limit_new(3);
	for (int i = 0; i < 3; i++)
		assert_true(notify_limit_take(l, T0 + i * SEC));
	assert_false(notify_limit_take(l, T0 + 3 * SEC));
	int64_t later = T0 + 5 * HOUR;
	assert_true(notify_limit_take(l, later));
	assert_int_equal(notify_limit_held(l), 1);
	assert_true(notify_limit_take(l, later + SEC));
	assert_true(notify_limit_take(l, later + 2 * SEC));
	assert_int_equal(notify_limit_held(l), 0);
	assert_false(notify_limit_take(l, later + 3 * SEC));
	free(l);
}

static void test_one_per_hour(void **state)
{
	(void)state;
	struct notify_limit *l = limit_new(1);
	assert_true(notify_limit_take(l, T0));
	assert_int_equal(notify_limit_held(l), 0);
	assert_false(notify_limit_take(l, T0 + 1));
	assert_false(notify_limit_take(l, T0 + 30 * MIN));
	assert_false(notify_limit_take(l, T0 + HOUR - 1));
	assert_true(notify_limit_take(l, T0 + HOUR + 1));
	assert_int_equal(notify_limit_held(l), 3);
	assert_int_equal(notify_limit_held(l), 0);
	/* the one that went is now the oldest */
	assert_false(notify_limit_take(l, T0 + HOUR + 2));
	assert_false(notify_limit_take(l, T0 + 2 * HOUR));
	assert_true(notify_limit_take(l, T0 + 2 * HOUR + 2));
	assert_int_equal(notify_limit_held(l), 2);
	free(l);
}

static void test_largest_limit(void **state)
{
	(void)state;
	struct notify_limit *l = limit_new(NOTIFY_LIMIT_MAX);
	assert_int_equal(l->per_hour, NOTIFY_LIMIT_MAX);
	/* every 100 ms: the hour's worth goes, one more is held */
	for (int i = 0; i < NOTIFY_LIMIT_MAX; i++)
		assert_true(notify_limit_take(l, T0 + (int64_t)i * 100));
	assert_false(notify_limit_take(l, T0 + (int64_t)NOTIFY_LIMIT_MAX * 100));
	assert_true(notify_limit_take(l, T0 + HOUR + 1));
	assert_int_equal(notify_limit_held(l), 1);
	assert_false(notify_limit_take(l, T0 + HOUR + 2));
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fresh_limit_holds_nothing),
	    cmocka_unit_test(test_n_within_an_hour_then_held),
	    cmocka_unit_test(test_all_at_once),
	    cmocka_unit_test(test_held_count_said_once),
	    cmocka_unit_test(test_allowed_once_the_oldest_is_an_hour_old),
	    cmocka_unit_test(test_a_quiet_hour_frees_every_slot),
	    cmocka_unit_test(test_one_per_hour),
	    cmocka_unit_test(test_largest_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
