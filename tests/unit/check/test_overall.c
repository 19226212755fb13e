/* Unit tests for check/overall.c: one overall state from the checks and the
 * diagnosis, the worst of both. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "check/overall.h"

/* Every health check ok, the version known, no diagnosis. */
static void healthy(struct snapshot *s, struct diagnosis *d)
{
	snapshot_init(s);
	s->database.check.state = CHECK_OK;
	s->redis.check.state = CHECK_OK;
	s->health.check.state = CHECK_OK;
	s->storage.check.state = CHECK_OK;
	s->version.check.state = CHECK_OK;
	memset(d, 0, sizeof(*d));
	d->status = DIAGNOSIS_OK;
}

static void add_issue(struct diagnosis *d, enum issue_severity severity)
{
	struct issue *issue = &d->issues[d->count++];
	issue->type = ISSUE_SLOW_QUERIES;
	issue->severity = severity;
	snprintf(issue->message, sizeof(issue->message), "an issue");
	if (severity == SEVERITY_HIGH)
		d->status = DIAGNOSIS_ERROR;
	else if (d->status == DIAGNOSIS_OK)
		d->status = DIAGNOSIS_WARNING;
}

static void test_ok_when_nothing_is_wrong(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	healthy(&s, &d);
	assert_int_equal(overall_state(&s, &d), OVERALL_OK);
	assert_int_equal(overall_state(&s, NULL), OVERALL_OK);
	assert_null(overall_worst_issue(&d));
	assert_null(overall_worst_issue(NULL));
}

/* The contradiction of `status`: all checks ok, the diagnosis a warning. */
static void test_a_warning_issue_makes_the_state_a_warning(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	healthy(&s, &d);
	add_issue(&d, SEVERITY_MEDIUM);
	assert_int_equal(overall_state(&s, &d), OVERALL_WARNING);
	assert_ptr_equal(overall_worst_issue(&d), &d.issues[0]);
	assert_string_equal(overall_state_name(OVERALL_WARNING), "warning");
	assert_string_equal(overall_state_word(OVERALL_WARNING), "WARNING");
}

static void test_a_high_issue_or_a_check_down_is_critical(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	healthy(&s, &d);
	add_issue(&d, SEVERITY_HIGH);
	assert_int_equal(overall_state(&s, &d), OVERALL_CRITICAL);

	healthy(&s, &d);
	s.redis.check.state = CHECK_UNHEALTHY;
	assert_int_equal(overall_state(&s, &d), OVERALL_CRITICAL);
	assert_int_equal(overall_state(&s, NULL), OVERALL_CRITICAL);
	assert_string_equal(overall_state_name(OVERALL_CRITICAL), "critical");
}

/* A likely cause comes before its effects whatever their severities: the
 * worst issue is still the first of the highest severity. */
static void test_the_worst_issue_is_the_most_severe_not_the_first(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	healthy(&s, &d);
	add_issue(&d, SEVERITY_MEDIUM);
	add_issue(&d, SEVERITY_HIGH);
	add_issue(&d, SEVERITY_HIGH);
	assert_ptr_equal(overall_worst_issue(&d), &d.issues[1]);
	assert_int_equal(overall_state(&s, &d), OVERALL_CRITICAL);
}

static void test_an_unknown_version_is_a_warning(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	healthy(&s, &d);
	s.version.check.state = CHECK_UNHEALTHY;
	assert_int_equal(overall_state(&s, &d), OVERALL_WARNING);
}

static void test_unknown_when_nothing_is_configured(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	healthy(&s, &d);
	s.database.check.state = CHECK_NOT_CONFIGURED;
	s.redis.check.state = CHECK_NOT_CONFIGURED;
	s.health.check.state = CHECK_NOT_CONFIGURED;
	s.storage.check.state = CHECK_NOT_CONFIGURED;
	assert_int_equal(overall_state(&s, &d), OVERALL_UNKNOWN);
	assert_string_equal(overall_state_word(OVERALL_UNKNOWN), "UNKNOWN");
	/* a pending check is configured */
	s.redis.check.state = CHECK_PENDING;
	assert_int_equal(overall_state(&s, &d), OVERALL_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ok_when_nothing_is_wrong),
	    cmocka_unit_test(test_a_warning_issue_makes_the_state_a_warning),
	    cmocka_unit_test(test_a_high_issue_or_a_check_down_is_critical),
	    cmocka_unit_test(test_the_worst_issue_is_the_most_severe_not_the_first),
	    cmocka_unit_test(test_an_unknown_version_is_a_warning),
	    cmocka_unit_test(test_unknown_when_nothing_is_configured),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
