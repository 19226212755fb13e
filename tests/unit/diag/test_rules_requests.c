/* test_rules_requests.c - the request rules (src/diag/rules_requests.c) with
 * the breakdown by path: the error-rate issue names the worst endpoints and
 * their share, the slow-response and p95 issues the slowest endpoint, and a
 * missing breakdown is said, never a failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "diag/diagnose.h"
#include "diag_fixture.h"

static void endpoint(struct endpoint_stat *e, const char *path, int64_t requests, int64_t errors,
                     double p95)
{
	snprintf(e->path, sizeof(e->path), "%s", path);
	e->requests = requests;
	e->errors = errors;
	e->p95_ms = p95;
}

/* Only the request figures set: 3,100 requests, 3,012 of them 5xx, most on
 * /api/checkout; /api/search is the slowest. */
static void failing(struct snapshot *s)
{
	snapshot_init(s);
	struct request_metrics *m = &s->requests;
	m->check.state = CHECK_OK;
	m->window_ms = 3600000;
	m->requests = 3100;
	m->errors = 3012;
	m->error_rate = 3012.0 / 3100.0;
	m->avg_ms = 120;
	m->p95_ms = 400;
	m->p99_ms = 900;
	struct endpoint_breakdown *b = &m->endpoints;
	endpoints_reset(b, "path");
	b->state = ENDPOINTS_OK;
	b->requests = 3100;
	b->errors = 3012;
	b->paths = 4;
	endpoint(&b->by_errors[0], "/api/checkout", 3010, 3000, 80);
	endpoint(&b->by_errors[1], "/api/cart", 40, 12, 95);
	b->error_count = 2;
	endpoint(&b->by_p95[0], "/api/search", 1250, 0, 2400);
	endpoint(&b->by_p95[1], "/api/cart", 40, 12, 95);
	b->slow_count = 2;
}

static void test_error_rate_names_the_worst_endpoints(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	failing(&s);
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = must_find(&d, ISSUE_ERROR_RATE);
	assert_non_null(strstr(i->message, "3,012 of 3,100 requests answered 5xx"));
	assert_non_null(strstr(
	    i->message, "/api/checkout: 3,000 of 3,012 errors, /api/cart: 12 of 3,012 errors"));
	assert_non_null(strstr(i->recommendation, "Start with /api/checkout (99.6% of the 5xx)"));
}

static void test_error_rate_without_breakdown(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	failing(&s);
	struct endpoint_breakdown *b = &s.requests.endpoints;
	endpoints_reset(b, "route");
	b->state = ENDPOINTS_NOT_AVAILABLE;
	snprintf(b->why, sizeof(b->why), "breakdown not available: RequestLog has no column route");
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = must_find(&d, ISSUE_ERROR_RATE);
	assert_int_equal(i->severity, SEVERITY_HIGH);
	assert_null(strstr(i->message, "errors,"));
	assert_non_null(strstr(i->message, "3,012 of 3,100 requests answered 5xx"));
	assert_non_null(
	    strstr(i->recommendation, "(breakdown not available: RequestLog has no column route)"));
	/* Not read at all (no traffic at the time, an old snapshot): nothing said. */
	endpoints_reset(b, "path");
	diagnose(&s, NULL, &cfg, &d);
	i = must_find(&d, ISSUE_ERROR_RATE);
	assert_null(strstr(i->recommendation, "breakdown"));
	assert_non_null(strstr(i->recommendation, "Find the failing routes in the app's log;"));
}

static void test_error_rate_under_the_limit_names_nothing(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	failing(&s);
	s.requests.errors = 50;
	s.requests.error_rate = 50.0 / 3100.0;
	diagnose(&s, NULL, &cfg, &d);
	for (int k = 0; k < d.count; k++)
		assert_int_not_equal(d.issues[k].type, ISSUE_ERROR_RATE);
}

static void test_slow_issues_name_the_slowest_endpoint(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	failing(&s);
	s.requests.errors = 0;
	s.requests.error_rate = 0;
	s.requests.avg_ms = 1500;
	s.requests.p95_ms = 2500;
	s.requests.p99_ms = 4000;
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *avg = must_find(&d, ISSUE_SLOW_RESPONSE);
	assert_non_null(strstr(avg->message, "Average response 1500 ms over the last 1h00m "
	                                     "(limit 1000 ms); slowest endpoint /api/search "
	                                     "(p95 2400 ms over 1,250 requests)"));
	const struct issue *p95 = must_find(&d, ISSUE_P95_RESPONSE);
	assert_non_null(strstr(p95->message, "p95 response 2500 ms (limit 2000 ms); p99 4000 ms; "
	                                     "slowest endpoint /api/search"));
	assert_non_null(strstr(p95->recommendation, "worst on /api/search"));

	/* Without a breakdown the messages stay as they were. */
	s.requests.endpoints.state = ENDPOINTS_FAILED;
	diagnose(&s, NULL, &cfg, &d);
	assert_null(strstr(must_find(&d, ISSUE_SLOW_RESPONSE)->message, "slowest endpoint"));
	assert_null(strstr(must_find(&d, ISSUE_P95_RESPONSE)->message, "slowest endpoint"));
}

/* A long path is cut in the message, which keeps its figures. */
static void test_long_paths_are_cut(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	failing(&s);
	char path[ENDPOINT_PATH];
	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	endpoint(&s.requests.endpoints.by_errors[0], path, 3010, 3000, 80);
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = must_find(&d, ISSUE_ERROR_RATE);
	assert_null(strstr(i->message, path));
	assert_non_null(strstr(i->message, ": 3,000 of 3,012 errors"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_error_rate_names_the_worst_endpoints),
	    cmocka_unit_test(test_error_rate_without_breakdown),
	    cmocka_unit_test(test_error_rate_under_the_limit_names_nothing),
	    cmocka_unit_test(test_slow_issues_name_the_slowest_endpoint),
	    cmocka_unit_test(test_long_paths_are_cut),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
