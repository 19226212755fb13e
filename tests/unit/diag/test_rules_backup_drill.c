/* Unit tests for diag/rules_backup_drill.c: no drill, an old one, a failed
 * one and an unreadable state file; quiet when recent, pending or not
 * configured. Only the backup_drill row is filled. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "diag/diagnose.h"
#include "diag_fixture.h"

#define DAY_MS (86400 * 1000LL)
#define NOW_MS (1800000000000LL)

static struct snapshot now;
static struct diagnosis d;

static int setup_drill(void **state)
{
	setup(state);
	snapshot_init(&now);
	now.taken_at_ms = NOW_MS;
	struct drill_status *s = &now.backup_drill;
	s->check.state = CHECK_OK;
	s->last.at_ms = NOW_MS - DAY_MS;
	s->last.ok = true;
	s->last.last_success_ms = s->last.at_ms;
	s->last.rto_ms = 4200;
	snprintf(s->last.key, sizeof(s->last.key), "shop_2026-12-01T00-00-00-000Z.sql.gz");
	return 0;
}

static void test_quiet_when_recent(void **state)
{
	(void)state;
	diagnose(&now, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_BACKUP_DRILL_STALE));
	assert_null(find(&d, ISSUE_BACKUP_DRILL_FAILED));
	/* just inside the default 7 days */
	now.backup_drill.last.last_success_ms = NOW_MS - 7 * DAY_MS;
	diagnose(&now, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_BACKUP_DRILL_STALE));
}

static void test_quiet_when_not_known(void **state)
{
	(void)state;
	now.backup_drill.check.state = CHECK_PENDING;
	now.backup_drill.last.ok = false;
	diagnose(&now, NULL, &cfg, &d);
	assert_int_equal(d.count, 0);
	now.backup_drill.check.state = CHECK_NOT_CONFIGURED;
	diagnose(&now, NULL, &cfg, &d);
	assert_int_equal(d.count, 0);
}

static void test_no_drill_is_a_warning(void **state)
{
	(void)state;
	memset(&now.backup_drill.last, 0, sizeof(now.backup_drill.last));
	diagnose(&now, NULL, &cfg, &d);
	const struct issue *i = must_find(&d, ISSUE_BACKUP_DRILL_STALE);
	assert_int_equal(i->severity, SEVERITY_MEDIUM);
	assert_int_equal(d.status, DIAGNOSIS_WARNING);
	assert_non_null(strstr(i->message, "no drill has passed yet"));
	assert_non_null(strstr(i->recommendation, "opsdeck backup drill"));
}

static void test_old_drill_is_a_warning(void **state)
{
	(void)state;
	now.backup_drill.last.at_ms = NOW_MS - 8 * DAY_MS;
	now.backup_drill.last.last_success_ms = NOW_MS - 8 * DAY_MS;
	diagnose(&now, NULL, &cfg, &d);
	const struct issue *i = must_find(&d, ISSUE_BACKUP_DRILL_STALE);
	assert_int_equal(i->severity, SEVERITY_MEDIUM);
	assert_non_null(strstr(i->message, "in the last 7d"));
	/* a longer drill_max_age accepts it */
	cfg.backup.drill_max_age_ms = 9 * DAY_MS;
	diagnose(&now, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_BACKUP_DRILL_STALE));
	cfg.backup.drill_max_age_ms = 7 * DAY_MS;
}

static void test_failed_drill_is_an_error(void **state)
{
	(void)state;
	struct drill_result *r = &now.backup_drill.last;
	r->ok = false;
	r->at_ms = NOW_MS - 3600 * 1000LL;
	r->last_success_ms = NOW_MS - 30 * DAY_MS;
	snprintf(r->why, sizeof(r->why), "public.\"User\": 11 rows, the manifest says 12");
	diagnose(&now, NULL, &cfg, &d);
	const struct issue *i = must_find(&d, ISSUE_BACKUP_DRILL_FAILED);
	assert_int_equal(i->severity, SEVERITY_HIGH);
	assert_int_equal(d.status, DIAGNOSIS_ERROR);
	assert_non_null(strstr(i->message, "public.\"User\": 11 rows"));
	assert_non_null(strstr(i->recommendation, "opsdeck backup drill"));
	/* the failure says more than the age: one issue, not two */
	assert_null(find(&d, ISSUE_BACKUP_DRILL_STALE));
}

static void test_unreadable_state_is_a_warning(void **state)
{
	(void)state;
	now.backup_drill.check.state = CHECK_UNHEALTHY;
	snprintf(now.backup_drill.check.error, sizeof(now.backup_drill.check.error),
	         "drill state /x/backup-drill.json: not a drill state file (version 1)");
	diagnose(&now, NULL, &cfg, &d);
	const struct issue *i = must_find(&d, ISSUE_BACKUP_DRILL_STALE);
	assert_int_equal(i->severity, SEVERITY_MEDIUM);
	assert_non_null(strstr(i->message, "not a drill state file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_quiet_when_recent, setup_drill, teardown),
	    cmocka_unit_test_setup_teardown(test_quiet_when_not_known, setup_drill, teardown),
	    cmocka_unit_test_setup_teardown(test_no_drill_is_a_warning, setup_drill, teardown),
	    cmocka_unit_test_setup_teardown(test_old_drill_is_a_warning, setup_drill, teardown),
	    cmocka_unit_test_setup_teardown(test_failed_drill_is_an_error, setup_drill, teardown),
	    cmocka_unit_test_setup_teardown(test_unreadable_state_is_a_warning, setup_drill,
	                                    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
