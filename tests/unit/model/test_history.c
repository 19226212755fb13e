/* Unit tests for model/history: ring order, wrap-around, recording rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/history.h"

static void test_push_and_read_in_order(void **state)
{
	(void)state;
	struct history h;
	history_init(&h);
	double out[HISTORY_LEN];
	assert_int_equal(history_values(&h, HISTORY_P95, out, HISTORY_LEN), 0);
	for (int i = 0; i < 5; i++)
		history_push(&h, HISTORY_P95, i);
	assert_int_equal(history_values(&h, HISTORY_P95, out, HISTORY_LEN), 5);
	assert_true(out[0] == 0 && out[4] == 4);
	/* the newest 2 */
	assert_int_equal(history_values(&h, HISTORY_P95, out, 2), 2);
	assert_true(out[0] == 3 && out[1] == 4);
}

static void test_wraps_keeping_the_newest(void **state)
{
	(void)state;
	struct history h;
	history_init(&h);
	for (int i = 0; i < HISTORY_LEN + 7; i++)
		history_push(&h, HISTORY_ERROR_RATE, i);
	double out[HISTORY_LEN];
	assert_int_equal(history_values(&h, HISTORY_ERROR_RATE, out, HISTORY_LEN), HISTORY_LEN);
	assert_true(out[0] == 7);
	assert_true(out[HISTORY_LEN - 1] == HISTORY_LEN + 6);
	/* other series untouched */
	assert_int_equal(history_values(&h, HISTORY_P95, out, HISTORY_LEN), 0);
	/* out-of-range series are ignored */
	history_push(&h, HISTORY_SERIES_COUNT, 1);
	assert_int_equal(history_values(&h, HISTORY_SERIES_COUNT, out, HISTORY_LEN), 0);
}

static void test_records_only_healthy_checks(void **state)
{
	(void)state;
	struct history h;
	history_init(&h);
	struct check_common c = {.state = CHECK_UNHEALTHY, .latency_ms = 3};
	history_record_latency(&h, HISTORY_LATENCY_REDIS, &c);
	double out[4];
	assert_int_equal(history_values(&h, HISTORY_LATENCY_REDIS, out, 4), 0);
	c.state = CHECK_OK;
	history_record_latency(&h, HISTORY_LATENCY_REDIS, &c);
	assert_int_equal(history_values(&h, HISTORY_LATENCY_REDIS, out, 4), 1);
	assert_true(out[0] == 3);

	struct request_metrics m = {0};
	m.check.state = CHECK_OK;
	m.window_ms = 3600000;
	m.requests = 600;
	m.error_rate = 0.25;
	m.p95_ms = 120;
	history_record_requests(&h, &m);
	assert_int_equal(history_values(&h, HISTORY_REQUEST_RATE, out, 4), 1);
	assert_true(out[0] == 10); /* per minute */
	history_values(&h, HISTORY_ERROR_RATE, out, 4);
	assert_true(out[0] == 0.25);
	m.check.state = CHECK_UNHEALTHY;
	history_record_requests(&h, &m);
	assert_int_equal(history_values(&h, HISTORY_P95, out, 4), 1);
}

static void test_knows_the_span_it_covers(void **state)
{
	(void)state;
	struct history h;
	history_init(&h);
	assert_int_equal(history_since_ms(&h, HISTORY_P95, 10), 0);
	struct request_metrics m = {0};
	m.check.state = CHECK_OK;
	m.window_ms = 3600000;
	for (int i = 0; i < HISTORY_LEN + 5; i++) {
		m.check.checked_at_ms = 1000000 + 2000 * (int64_t)i;
		history_record_requests(&h, &m);
	}
	/* the oldest value kept, and the oldest of the newest 10 */
	assert_int_equal(history_since_ms(&h, HISTORY_P95, HISTORY_LEN), 1000000 + 2000 * 5);
	assert_int_equal(history_since_ms(&h, HISTORY_P95, 10),
	                 1000000 + 2000 * (HISTORY_LEN + 5 - 10));
	/* a value pushed without a time leaves the span unknown */
	history_push(&h, HISTORY_LATENCY_REDIS, 1);
	assert_int_equal(history_since_ms(&h, HISTORY_LATENCY_REDIS, 10), 0);
}

/* A history read after the polls began: its values go before theirs,
 * those it shares with them (as new or newer) left out, and the newest
 * HISTORY_LEN kept; a series without times keeps every past value. */
static void test_prepend_the_past(void **state)
{
	(void)state;
	struct history live, past;
	history_init(&live);
	history_init(&past);
	for (int i = 0; i < 10; i++) /* the past: 100..109 at 1000..10000 ms */
		history_push_at(&past, HISTORY_P95, 100 + i, 1000 * (i + 1));
	history_push_at(&live, HISTORY_P95, 500, 9000); /* a poll overlapping it */
	history_push_at(&live, HISTORY_P95, 501, 11000);
	history_push(&past, HISTORY_LATENCY_REDIS, 7);
	history_push(&live, HISTORY_LATENCY_REDIS, 8);
	history_prepend(&live, &past);
	double v[HISTORY_LEN];
	assert_int_equal(history_values(&live, HISTORY_P95, v, HISTORY_LEN), 10);
	assert_true(v[0] == 100 && v[7] == 107 && v[8] == 500 && v[9] == 501);
	assert_int_equal(history_values(&live, HISTORY_LATENCY_REDIS, v, HISTORY_LEN), 2);
	assert_true(v[0] == 7 && v[1] == 8);
	/* more than fits: the newest stay, the live ones among them */
	history_init(&past);
	for (int i = 0; i < HISTORY_LEN; i++)
		history_push_at(&past, HISTORY_P95, i, 1000 * (i + 1));
	history_init(&live);
	history_push_at(&live, HISTORY_P95, 999, 1000 * (HISTORY_LEN + 1));
	history_prepend(&live, &past);
	assert_int_equal(history_values(&live, HISTORY_P95, v, HISTORY_LEN), HISTORY_LEN);
	assert_true(v[0] == 1 && v[HISTORY_LEN - 1] == 999);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_push_and_read_in_order),
	    cmocka_unit_test(test_wraps_keeping_the_newest),
	    cmocka_unit_test(test_records_only_healthy_checks),
	    cmocka_unit_test(test_knows_the_span_it_covers),
	    cmocka_unit_test(test_prepend_the_past),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
