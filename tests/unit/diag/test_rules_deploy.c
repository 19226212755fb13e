/* Unit tests for the deploy link: model/deploy.c notes a change of the
 * deployed version and the first problem after it; diag/rules_deploy.c
 * turns a problem that began within 15 minutes after it into after_deploy
 * ("error rate began 40.0 s after deploy 1.4.2 -> 1.4.3"), which the causes
 * name as the likely cause, unless a failing backend explains it. Nothing
 * is linked when the problem was there before, began long after, or is of
 * a kind a deploy does not cause. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "diag/diagnose.h"
#include "diag_fixture.h"

#define T0 1764900000000LL /* the deploy */

static struct snapshot before, now;
static struct diagnosis d;

static void healthy(struct snapshot *s, const char *version, int64_t at_ms)
{
	diag_fixture_healthy(s);
	s->taken_at_ms = at_ms;
	snprintf(s->version.version, sizeof(s->version.version), "%s", version);
}

static void failing(struct snapshot *s)
{
	s->requests.errors = 200;
	s->requests.error_rate = 0.2;
}

/* One poll of a poller: track, diagnose, note. */
static void poll(struct deploy_status *dep, const struct snapshot *prev, struct snapshot *s)
{
	struct diagnosis last = d;
	deploy_track(dep, prev, s, &last);
	diagnose(s, prev, &cfg, &d);
	deploy_note_problems(dep, &d, s->taken_at_ms);
}

static void test_error_rate_after_a_deploy(void **state)
{
	(void)state;
	struct deploy_status dep = {0};
	memset(&d, 0, sizeof(d));
	healthy(&before, "1.4.2", T0 - 2000);
	poll(&dep, NULL, &before);
	assert_int_equal(dep.at_ms, 0);
	healthy(&now, "1.4.3", T0);
	poll(&dep, &before, &now);
	assert_int_equal(dep.at_ms, T0);
	assert_string_equal(dep.from, "1.4.2");
	assert_string_equal(dep.to, "1.4.3");
	assert_string_equal(dep.commit, "a1b2c3d");
	assert_null(find(&d, ISSUE_AFTER_DEPLOY)); /* a deploy alone is no problem */
	before = now;
	healthy(&now, "1.4.3", T0 + 40000);
	failing(&now);
	poll(&dep, &before, &now);
	assert_int_equal(dep.problem_at_ms, T0 + 40000);
	const struct issue *i = must_find(&d, ISSUE_AFTER_DEPLOY);
	assert_string_equal(i->id, "after_deploy:1.4.3");
	assert_int_equal(i->severity, SEVERITY_MEDIUM);
	assert_string_equal(i->message,
	                    "error rate began 40.0 s after deploy 1.4.2 -> 1.4.3 (commit a1b2c3d)");
	assert_non_null(strstr(i->recommendation, "roll back to 1.4.2"));
	assert_string_equal(must_find(&d, ISSUE_ERROR_RATE)->likely_cause, "after_deploy:1.4.3");
	/* later polls keep the time it began */
	before = now;
	healthy(&now, "1.4.3", T0 + 100000);
	failing(&now);
	poll(&dep, &before, &now);
	assert_string_equal(must_find(&d, ISSUE_AFTER_DEPLOY)->message,
	                    "error rate began 40.0 s after deploy 1.4.2 -> 1.4.3 (commit a1b2c3d)");
	/* and it ends with the problem */
	before = now;
	healthy(&now, "1.4.3", T0 + 102000);
	poll(&dep, &before, &now);
	assert_null(find(&d, ISSUE_AFTER_DEPLOY));
}

static void test_a_backend_down_stays_the_cause(void **state)
{
	(void)state;
	struct deploy_status dep = {.at_ms = T0, .from = "1.4.2", .to = "1.4.3"};
	healthy(&now, "1.4.3", T0 + 5000);
	now.database.check.state = CHECK_UNHEALTHY;
	now.health.check.state = CHECK_UNHEALTHY;
	memset(&d, 0, sizeof(d));
	poll(&dep, NULL, &now);
	must_find(&d, ISSUE_AFTER_DEPLOY);
	assert_string_equal(must_find(&d, ISSUE_APP_DOWN)->likely_cause, "database_down");
}

static void test_nothing_linked(void **state)
{
	(void)state;
	/* the problem was there before the deploy */
	struct deploy_status dep = {0};
	memset(&d, 0, sizeof(d));
	healthy(&before, "1.4.2", T0 - 2000);
	failing(&before);
	poll(&dep, NULL, &before);
	healthy(&now, "1.4.3", T0);
	failing(&now);
	poll(&dep, &before, &now);
	assert_int_equal(dep.problem_at_ms, DEPLOY_PROBLEMS_BEFORE);
	assert_null(find(&d, ISSUE_AFTER_DEPLOY));
	/* it began more than 15 minutes after */
	dep = (struct deploy_status){.at_ms = T0, .from = "1.4.2", .to = "1.4.3"};
	healthy(&now, "1.4.3", T0 + DEPLOY_LINK_WINDOW_MS + 2000);
	failing(&now);
	poll(&dep, NULL, &now);
	assert_int_equal(dep.problem_at_ms, 0);
	assert_null(find(&d, ISSUE_AFTER_DEPLOY));
	must_find(&d, ISSUE_ERROR_RATE);
	/* a kind a deploy does not cause */
	dep = (struct deploy_status){.at_ms = T0, .from = "1.4.2", .to = "1.4.3"};
	healthy(&now, "1.4.3", T0 + 5000);
	now.redis.check.state = CHECK_UNHEALTHY;
	poll(&dep, NULL, &now);
	must_find(&d, ISSUE_REDIS_DOWN);
	assert_null(find(&d, ISSUE_AFTER_DEPLOY));
	/* a version that could not be read is no deploy */
	dep = (struct deploy_status){0};
	healthy(&before, "1.4.2", T0);
	healthy(&now, "unknown", T0 + 2000);
	now.version.check.state = CHECK_UNHEALTHY;
	assert_false(deploy_observe(&dep, &before.version, &now.version, NULL, T0 + 2000));
	assert_int_equal(dep.at_ms, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_error_rate_after_a_deploy),
	    cmocka_unit_test(test_a_backend_down_stays_the_cause),
	    cmocka_unit_test(test_nothing_linked),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
