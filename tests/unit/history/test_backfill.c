/* Unit tests for history/backfill: the dashboard's graphs from the store —
 * a short span as it was, a long one folded into HISTORY_LEN buckets that
 * keep each bucket's worst value, nothing from a directory without a
 * history. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "history/backfill.h"
#include "store_fixture.h"

static void test_short_span_as_it_was(void **state)
{
	(void)state;
	char *dir = store_fixture_dir();
	struct history_store *s = store_fixture_open(dir);
	store_fixture_append(s, 50); /* p95 = n * 10 at n * 1000 ms */
	history_store_close(s);
	struct history h;
	history_init(&h);
	assert_true(history_backfill(&h, dir, 50000, 60000) >= 50);
	double values[HISTORY_LEN];
	assert_int_equal(history_values(&h, HISTORY_P95, values, HISTORY_LEN), 50);
	assert_true(values[0] > 9.9 && values[0] < 10.1);
	assert_true(values[49] > 499.9 && values[49] < 500.1);
	assert_int_equal(history_since_ms(&h, HISTORY_P95, HISTORY_LEN), 1000);
	store_fixture_remove(dir);
	free(dir);
}

static void test_long_span_folded_keeping_the_worst(void **state)
{
	(void)state;
	char *dir = store_fixture_dir();
	struct history_store *s = store_fixture_open(dir);
	store_fixture_append(s, 1200);
	history_store_close(s);
	struct history h;
	history_init(&h);
	/* 1,200 values in 1,200 s: ten to a bucket */
	assert_true(history_backfill(&h, dir, 1200000, 1200000) > 0);
	double values[HISTORY_LEN];
	assert_int_equal(history_values(&h, HISTORY_P95, values, HISTORY_LEN), HISTORY_LEN);
	/* a rising series: each bucket's worst is its last, the final one the
	 * newest value */
	assert_true(values[HISTORY_LEN - 1] > 11999.9 && values[HISTORY_LEN - 1] < 12000.1);
	for (int i = 1; i < HISTORY_LEN; i++)
		assert_true(values[i] > values[i - 1]);
	store_fixture_remove(dir);
	free(dir);
}

static void test_nothing_without_a_history(void **state)
{
	(void)state;
	char *dir = store_fixture_dir();
	struct history h;
	history_init(&h);
	assert_int_equal(history_backfill(&h, dir, 1000, 1000), 0);
	assert_int_equal(history_backfill(&h, "", 1000, 1000), 0);
	double values[HISTORY_LEN];
	assert_int_equal(history_values(&h, HISTORY_P95, values, HISTORY_LEN), 0);
	store_fixture_remove(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_short_span_as_it_was),
	    cmocka_unit_test(test_long_span_folded_keeping_the_worst),
	    cmocka_unit_test(test_nothing_without_a_history),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
