/* Unit tests for check/registry.c: the table of checks is well formed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "check/check.h"
#include "config/config.h"

static void test_keys_are_unique_and_found(void **state)
{
	(void)state;
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		assert_non_null(CHECKS[i]);
		assert_non_null(CHECKS[i]->key);
		assert_true(CHECKS[i]->key[0] != '\0');
		for (size_t j = i + 1; j < CHECK_COUNT; j++)
			assert_string_not_equal(CHECKS[i]->key, CHECKS[j]->key);
		assert_ptr_equal(check_find(CHECKS[i]->key), CHECKS[i]);
	}
	assert_null(check_find("no such check"));
	assert_null(check_find(NULL));
}

static void test_every_row_has_a_title_and_a_section(void **state)
{
	(void)state;
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		assert_non_null(CHECKS[i]->title);
		assert_true(CHECKS[i]->title[0] != '\0');
		assert_non_null(CHECKS[i]->section);
		if (!config_has_section(CHECKS[i]->section))
			fail_msg("%s: no [%s] in the config key table", CHECKS[i]->key,
			         CHECKS[i]->section);
	}
}

static void test_members_lie_inside_the_snapshot(void **state)
{
	(void)state;
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		assert_true(CHECKS[i]->size > 0);
		assert_true(CHECKS[i]->offset + CHECKS[i]->size <= sizeof(struct snapshot));
		if (CHECKS[i]->has_common)
			assert_true(CHECKS[i]->size >= sizeof(struct check_common));
		for (size_t j = 0; j < CHECK_COUNT; j++)
			if (j != i)
				assert_true(
				    CHECKS[i]->offset + CHECKS[i]->size <= CHECKS[j]->offset ||
				    CHECKS[j]->offset + CHECKS[j]->size <= CHECKS[i]->offset);
	}
}

static void test_every_row_is_probed(void **state)
{
	(void)state;
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		const struct check_class *c = CHECKS[i];
		if (c->probe) {
			assert_null(c->filled_by);
			continue;
		}
		const struct check_class *filler = c->filled_by;
		bool in_table = false;
		for (size_t j = 0; filler && j < CHECK_COUNT; j++)
			in_table = in_table || CHECKS[j] == filler;
		if (!in_table || !filler->probe)
			fail_msg("%s: no probe and no row with a probe fills it", c->key);
		assert_int_equal(filler->schedule, c->schedule);
	}
}

static void test_panel_rows_have_a_short_label_and_a_summary(void **state)
{
	(void)state;
	struct snapshot s;
	snapshot_init(&s);
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		const struct check_class *c = CHECKS[i];
		if (!c->panel_label) {
			assert_null(c->summary);
			continue;
		}
		assert_true(strlen(c->panel_label) <= 9);
		assert_true(c->has_common);
		assert_non_null(c->summary);
		struct check_figure figures[CHECK_FIGURES_MAX];
		int n = c->summary(&s, figures);
		assert_true(n >= 0 && n <= CHECK_FIGURES_MAX);
		for (int k = 0; k < n; k++)
			assert_true(figures[k].text[0] != '\0');
	}
}

static void test_summary_is_the_detail_line(void **state)
{
	(void)state;
	struct snapshot s;
	snapshot_init(&s);
	s.database.connections_total = 12;
	s.database.max_connections = 100;
	s.database.connections_active = 3;
	s.database.connections_idle = 8;
	s.database.connections_idle_in_tx = 1;
	struct check_figure f[CHECK_FIGURES_MAX];
	assert_int_equal(CHECKS[CHECK_ID_DATABASE]->summary(&s, f), 4);
	assert_string_equal(f[0].text, "12/100 conn");
	assert_string_equal(f[1].text, "3 active");
	assert_string_equal(f[2].text, "8 idle");
	assert_string_equal(f[3].text, "1 idle-in-tx");
	assert_string_equal(f[3].brief, "1 idle-tx");
	assert_true(f[3].rank < f[1].rank); /* idle-in-tx outlives active and idle */
	s.health.status_code = 503;
	assert_int_equal(CHECKS[CHECK_ID_HEALTH]->summary(&s, f), 1);
	assert_string_equal(f[0].text, "HTTP 503");
}

static void test_publish_copies_the_row_and_what_it_fills(void **state)
{
	(void)state;
	struct snapshot src, dst;
	snapshot_init(&src);
	snapshot_init(&dst);
	src.database.check.state = CHECK_OK;
	src.requests.requests = 42;
	src.slow_queries.count = 3;
	src.redis.check.state = CHECK_UNHEALTHY;
	check_publish(CHECKS[CHECK_ID_DATABASE], &dst, &src);
	assert_int_equal(dst.database.check.state, CHECK_OK);
	assert_int_equal(dst.requests.requests, 42);
	assert_int_equal(dst.slow_queries.count, 3);
	assert_int_equal(dst.redis.check.state, CHECK_PENDING);
}

static void test_overall_is_the_worst_health_check(void **state)
{
	(void)state;
	struct snapshot s;
	snapshot_init(&s);
	s.database.check.state = CHECK_NOT_CONFIGURED;
	s.redis.check.state = CHECK_NOT_CONFIGURED;
	s.health.check.state = CHECK_NOT_CONFIGURED;
	s.storage.check.state = CHECK_NOT_CONFIGURED;
	assert_int_equal(check_overall(&s), CHECK_NOT_CONFIGURED);
	s.storage.check.state = CHECK_OK;
	assert_int_equal(check_overall(&s), CHECK_OK);
	s.redis.check.state = CHECK_UNHEALTHY;
	assert_int_equal(check_overall(&s), CHECK_UNHEALTHY);
	/* the version is not a health check */
	s.redis.check.state = CHECK_OK;
	s.version.check.state = CHECK_UNHEALTHY;
	assert_int_equal(check_overall(&s), CHECK_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keys_are_unique_and_found),
	    cmocka_unit_test(test_every_row_has_a_title_and_a_section),
	    cmocka_unit_test(test_members_lie_inside_the_snapshot),
	    cmocka_unit_test(test_every_row_is_probed),
	    cmocka_unit_test(test_panel_rows_have_a_short_label_and_a_summary),
	    cmocka_unit_test(test_summary_is_the_detail_line),
	    cmocka_unit_test(test_publish_copies_the_row_and_what_it_fills),
	    cmocka_unit_test(test_overall_is_the_worst_health_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
