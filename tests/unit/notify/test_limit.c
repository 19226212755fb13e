/* Unit tests for notify/limit: at most N messages in any hour, the rest
 * held back and counted once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "notify/limit.h"

#define MIN (60 * 1000)

static void test_n_an_hour(void **state)
{
	(void)state;
	struct notify_limit *l = malloc(sizeof(*l));
	notify_limit_init(l, 3);
	assert_true(notify_limit_take(l, 0));
	assert_true(notify_limit_take(l, 1 * MIN));
	assert_true(notify_limit_take(l, 2 * MIN));
	assert_false(notify_limit_take(l, 3 * MIN));
	assert_false(notify_limit_take(l, 59 * MIN));
	/* the first is an hour old: one more may go, and says two were held */
	assert_true(notify_limit_take(l, 60 * MIN));
	assert_int_equal(notify_limit_held(l), 2);
	assert_int_equal(notify_limit_held(l), 0);
	/* the second's slot frees at 61 min, not before */
	assert_false(notify_limit_take(l, 60 * MIN + 1));
	assert_true(notify_limit_take(l, 61 * MIN));
	assert_int_equal(notify_limit_held(l), 1);
	free(l);
}

static void test_one_an_hour(void **state)
{
	(void)state;
	struct notify_limit *l = malloc(sizeof(*l));
	notify_limit_init(l, 1);
	assert_true(notify_limit_take(l, 1000));
	assert_false(notify_limit_take(l, 1000 + 59 * MIN));
	assert_true(notify_limit_take(l, 1000 + 60 * MIN));
	assert_int_equal(notify_limit_held(l), 1);
	/* out of range: at least one, at most NOTIFY_LIMIT_MAX */
	notify_limit_init(l, 0);
	assert_int_equal(l->per_hour, 1);
	notify_limit_init(l, NOTIFY_LIMIT_MAX + 5);
	assert_int_equal(l->per_hour, NOTIFY_LIMIT_MAX);
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_n_an_hour),
	    cmocka_unit_test(test_one_an_hour),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
