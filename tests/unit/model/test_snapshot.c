/* Unit tests for model/snapshot.c */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/redact.h"
#include "model/snapshot.h"

static void test_init_marks_pending(void **state)
{
	struct snapshot s;
	snapshot_init(&s);
	assert_int_equal(s.database.check.state, CHECK_PENDING);
	assert_true(s.redis.check.latency_ms < 0);
	assert_string_equal(s.version.version, "unknown");
}

static void test_error_is_sanitised_and_redacted(void **state)
{
	struct check_common c;
	memset(&c, 0, sizeof(c));
	redact_register("hunter2secret");
	check_set_error(&c, CHECK_UNHEALTHY, "auth failed for %s\x1b[31m\n", "hunter2secret");
	assert_int_equal(c.state, CHECK_UNHEALTHY);
	assert_null(strstr(c.error, "hunter2secret"));
	assert_null(strchr(c.error, 0x1b));
	assert_string_equal(c.error, "auth failed for ***?[31m ");
	redact_clear();
}

/* What a check probes comes from the configuration: shown without its
 * password and without controls, C1 (as `status` printed \xc2\x9b) as
 * well as C0. */
static void test_target_is_redacted_and_sanitised(void **state)
{
	struct check_common c;
	memset(&c, 0, sizeof(c));
	check_set_target(&c, "postgresql://app:hunter2pw@127.0.0.1:5432/sh\xc2\x9b"
	                     "31m\x9b\x1bop");
	assert_string_equal(c.target, "postgresql://app:***@127.0.0.1:5432/sh?31m??op");
	/* A URL redacted already is shown as it is. */
	check_set_target(&c, "redis://:***@127.0.0.1:6379/0");
	assert_string_equal(c.target, "redis://:***@127.0.0.1:6379/0");
	check_set_target(&c, "/srv/\xc2\x85shop");
	assert_string_equal(c.target, "/srv/?shop");
	check_set_target(&c, NULL);
	assert_string_equal(c.target, "");
}

static void test_state_names(void **state)
{
	assert_string_equal(check_state_name(CHECK_OK), "ok");
	assert_string_equal(check_state_name(CHECK_UNHEALTHY), "unhealthy");
	assert_string_equal(check_state_name(CHECK_NOT_CONFIGURED), "not configured");
}

static void test_derived_figures(void **state)
{
	(void)state;
	struct request_metrics m = {.window_ms = 3600000, .requests = 1200};
	assert_true(request_metrics_per_minute(&m) == 20.0);
	m.window_ms = 0;
	assert_true(request_metrics_per_minute(&m) == 0.0);
	struct redis_status r = {.used_memory = 256, .maxmemory = 1024};
	assert_true(redis_memory_percent(&r) == 25.0);
	r.maxmemory = 0;
	assert_true(redis_memory_percent(&r) < 0);
	struct disk_status d = {.used_percent = 90.0};
	assert_true(disk_over_limit(&d, 90.0));
	assert_false(disk_over_limit(&d, 90.5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init_marks_pending),
	    cmocka_unit_test(test_error_is_sanitised_and_redacted),
	    cmocka_unit_test(test_target_is_redacted_and_sanitised),
	    cmocka_unit_test(test_state_names),
	    cmocka_unit_test(test_derived_figures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
