/* Unit tests for diag/causes.c: issues that co-occur name their likely
 * cause, list each other as related, and the cause comes first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "diag/causes.h"

/* A diagnosis of the given types in that (severity-sorted) order. */
static void build(struct diagnosis *d, const enum issue_type *types,
                  const enum issue_severity *severities, int count)
{
	memset(d, 0, sizeof(*d));
	for (int i = 0; i < count; i++) {
		struct issue *is = &d->issues[d->count++];
		is->type = types[i];
		is->severity = severities[i];
		snprintf(is->id, sizeof(is->id), "%s", ISSUE_TYPES[types[i]].name);
	}
}

static const char *id_at(const struct diagnosis *d, int i)
{
	return d->issues[i].id;
}

/* A lock makes requests fail and slow: the lock waiters come first, their
 * effects right after, an unrelated issue keeps its place after them. */
static void test_cause_takes_its_effects_place(void **state)
{
	(void)state;
	struct diagnosis d;
	enum issue_type t[] = {ISSUE_ERROR_RATE, ISSUE_STORAGE_FULL, ISSUE_SLOW_RESPONSE,
	                       ISSUE_LOCK_WAITERS};
	enum issue_severity s[] = {SEVERITY_HIGH, SEVERITY_MEDIUM, SEVERITY_MEDIUM,
	                           SEVERITY_MEDIUM};
	build(&d, t, s, 4);
	diagnose_link_causes(&d);
	assert_int_equal(d.count, 4);
	assert_string_equal(id_at(&d, 0), "lock_waiters");
	assert_string_equal(id_at(&d, 1), "error_rate");
	assert_string_equal(id_at(&d, 2), "slow_response");
	assert_string_equal(id_at(&d, 3), "storage_full");
	assert_string_equal(d.issues[1].likely_cause, "lock_waiters");
	assert_string_equal(d.issues[2].likely_cause, "lock_waiters");
	assert_string_equal(d.issues[0].likely_cause, "");
	assert_string_equal(d.issues[3].likely_cause, "");
	assert_int_equal(d.issues[0].related_count, 2);
	assert_string_equal(d.issues[0].related[0], "error_rate");
	assert_string_equal(d.issues[0].related[1], "slow_response");
	assert_int_equal(d.issues[1].related_count, 1);
	assert_string_equal(d.issues[1].related[0], "lock_waiters");
	assert_int_equal(d.issues[3].related_count, 0);
}

/* Slow statements slow the responses, and a lock slows the statements:
 * the response names the root of the chain, the lock. */
static void test_root_most_cause_is_named(void **state)
{
	(void)state;
	struct diagnosis d;
	enum issue_type t[] = {ISSUE_P95_RESPONSE, ISSUE_SLOW_QUERIES, ISSUE_LOCK_WAITERS};
	enum issue_severity s[] = {SEVERITY_MEDIUM, SEVERITY_MEDIUM, SEVERITY_MEDIUM};
	build(&d, t, s, 3);
	diagnose_link_causes(&d);
	assert_string_equal(id_at(&d, 0), "lock_waiters");
	assert_string_equal(d.issues[1].likely_cause, "lock_waiters");
	assert_string_equal(d.issues[2].likely_cause, "lock_waiters");
}

/* Unrelated issues: nothing linked, nothing moved. */
static void test_unrelated_issues_keep_their_order(void **state)
{
	(void)state;
	struct diagnosis d;
	enum issue_type t[] = {ISSUE_APP_DOWN, ISSUE_STORAGE_FULL, ISSUE_BACKUP_STALE};
	enum issue_severity s[] = {SEVERITY_HIGH, SEVERITY_MEDIUM, SEVERITY_MEDIUM};
	build(&d, t, s, 3);
	diagnose_link_causes(&d);
	assert_string_equal(id_at(&d, 0), "app_down");
	assert_string_equal(id_at(&d, 1), "storage_full");
	assert_string_equal(id_at(&d, 2), "backup_stale");
	for (int i = 0; i < 3; i++) {
		assert_string_equal(d.issues[i].likely_cause, "");
		assert_int_equal(d.issues[i].related_count, 0);
	}
}

/* A cause that is itself absent links nothing: error rate alone. */
static void test_lone_effect(void **state)
{
	(void)state;
	struct diagnosis d;
	enum issue_type t[] = {ISSUE_ERROR_RATE};
	enum issue_severity s[] = {SEVERITY_HIGH};
	build(&d, t, s, 1);
	diagnose_link_causes(&d);
	assert_int_equal(d.count, 1);
	assert_string_equal(d.issues[0].likely_cause, "");
	assert_null(diagnosis_find(&d, "lock_waiters"));
	assert_ptr_equal(diagnosis_find(&d, "error_rate"), &d.issues[0]);
}

/* A Redis fork stalls it: the fork comes before the latency spike and the
 * slow p95 it produces, and both name it. */
static void test_redis_fork_before_latency(void **state)
{
	(void)state;
	struct diagnosis d;
	enum issue_type t[] = {ISSUE_P95_RESPONSE, ISSUE_REDIS_LATENCY, ISSUE_REDIS_FORK};
	enum issue_severity s[] = {SEVERITY_MEDIUM, SEVERITY_MEDIUM, SEVERITY_MEDIUM};
	build(&d, t, s, 3);
	diagnose_link_causes(&d);
	assert_string_equal(id_at(&d, 0), "redis_fork");
	assert_string_equal(d.issues[1].likely_cause, "redis_fork");
	assert_string_equal(d.issues[2].likely_cause, "redis_fork");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cause_takes_its_effects_place),
	    cmocka_unit_test(test_root_most_cause_is_named),
	    cmocka_unit_test(test_unrelated_issues_keep_their_order),
	    cmocka_unit_test(test_lone_effect),
	    cmocka_unit_test(test_redis_fork_before_latency),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
