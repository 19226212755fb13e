/* Unit tests for check/runner.c: one poll over the table, with nothing
 * configured, so that no probe does any I/O. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "check/check.h"
#include "config/config.h"
#include "probe/probe.h"

static char EMPTY[] = "";
static char NAME[] = "shop";
static char TABLE[] = "RequestLog";

static void config_nothing(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->app.name = NAME;
	cfg->app.health_url = EMPTY;
	cfg->app.version_url = EMPTY;
	cfg->app.version_file = EMPTY;
	cfg->app.timeout_ms = 1000;
	cfg->database.url = EMPTY;
	cfg->database.request_log = TABLE;
	cfg->database.window_ms = 3600 * 1000;
	cfg->database.slow_query_ms = 1000;
	cfg->redis.url = EMPTY;
	cfg->storage.max_used_percent = 90;
	cfg->backup.target = EMPTY;
}

static void test_every_probed_row_is_filled(void **state)
{
	(void)state;
	struct config cfg;
	config_nothing(&cfg);
	struct snapshot s;
	check_probe_all(&cfg, &s);
	assert_string_equal(s.app_name, "shop");
	assert_true(s.taken_at_ms > 0);
	assert_true(s.duration_ms >= 0);
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		const struct check_common *c = check_common_of(CHECKS[i], &s);
		if (c)
			assert_int_equal(c->state, CHECK_NOT_CONFIGURED);
	}
	assert_int_equal(check_overall(&s), CHECK_NOT_CONFIGURED);
	assert_false(s.backup.listed);
}

static void test_every_poll_leaves_the_seldom_rows_alone(void **state)
{
	(void)state;
	struct config cfg;
	config_nothing(&cfg);
	struct snapshot s;
	check_probe_every_poll(&cfg, &s);
	assert_int_equal(s.database.check.state, CHECK_NOT_CONFIGURED);
	struct backup_status untouched;
	memset(&untouched, 0, sizeof(untouched));
	assert_memory_equal(&s.backup, &untouched, sizeof(untouched));
}

int main(void)
{
	if (probe_global_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_probed_row_is_filled),
	    cmocka_unit_test(test_every_poll_leaves_the_seldom_rows_alone),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	probe_global_cleanup();
	return rc;
}
