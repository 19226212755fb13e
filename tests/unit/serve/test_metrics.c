/* Unit tests for serve/metrics.c: the probe families and the page a
 * scrape reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "serve/metrics.h"

static void test_probe_families_per_polled_row(void **state)
{
	(void)state;
	struct metrics_probe_times times;
	memset(&times, 0, sizeof(times));
	times.finished_at_ms[CHECK_ID_HEALTH] = 10000;
	times.duration_ms[CHECK_ID_HEALTH] = 3002;
	times.finished_at_ms[CHECK_ID_REDIS] = 12500;
	times.duration_ms[CHECK_ID_REDIS] = 1;
	struct strbuf b;
	strbuf_init(&b, 0);
	metrics_probe_families(&times, 13000, &b);
	const char *t = strbuf_str(&b);
	assert_non_null(strstr(t, "# TYPE opsdeck_probe_age_seconds gauge\n"));
	assert_non_null(strstr(t, "opsdeck_probe_age_seconds{check=\"health\"} 3\n"));
	assert_non_null(strstr(t, "opsdeck_probe_age_seconds{check=\"redis\"} 0.5\n"));
	assert_non_null(strstr(t, "# TYPE opsdeck_probe_duration_seconds gauge\n"));
	assert_non_null(strstr(t, "opsdeck_probe_duration_seconds{check=\"health\"} 3.002\n"));
	assert_non_null(strstr(t, "opsdeck_probe_duration_seconds{check=\"redis\"} 0.001\n"));
	/* a row that is not polled, or has not completed a probe, has none */
	assert_null(strstr(t, "check=\"database\""));
	/* a clock read before the probe's end says 0, never a negative age */
	strbuf_reset(&b);
	metrics_probe_families(&times, 11000, &b);
	assert_non_null(strstr(strbuf_str(&b), "opsdeck_probe_age_seconds{check=\"redis\"} 0\n"));
	strbuf_free(&b);
}

static void test_page_serves_the_latest_update(void **state)
{
	(void)state;
	struct metrics_page *page = metrics_page_new();
	struct strbuf b;
	strbuf_init(&b, 0);
	assert_int_equal(metrics_page_render(page, 1000, &b), -1);
	assert_int_equal(b.len, 0);

	struct snapshot *s = test_malloc(sizeof(*s));
	snapshot_init(s);
	s->taken_at_ms = 1795000000000LL;
	s->redis.check.state = CHECK_UNHEALTHY;
	struct metrics_probe_times times;
	memset(&times, 0, sizeof(times));
	times.finished_at_ms[CHECK_ID_REDIS] = 500;
	metrics_page_update(page, s, NULL, &times);
	assert_int_equal(metrics_page_render(page, 2500, &b), 0);
	assert_non_null(strstr(strbuf_str(&b), "opsdeck_check_up{check=\"redis\"} 0\n"));
	assert_non_null(strstr(strbuf_str(&b), "opsdeck_probe_age_seconds{check=\"redis\"} 2\n"));

	s->redis.check.state = CHECK_OK;
	metrics_page_update(page, s, NULL, &times);
	strbuf_reset(&b);
	assert_int_equal(metrics_page_render(page, 2500, &b), 0);
	assert_non_null(strstr(strbuf_str(&b), "opsdeck_check_up{check=\"redis\"} 1\n"));
	strbuf_free(&b);
	test_free(s);
	metrics_page_free(page);
	metrics_page_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_probe_families_per_polled_row),
	    cmocka_unit_test(test_page_serves_the_latest_update),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
