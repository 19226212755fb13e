/* test_request_endpoints.c - the request log by path: the query's shape,
 * the parsing and ranking of its rows (COPY text as a real server writes
 * it), malformed replies, and a missing column as "not available". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/endpoints.h"
#include "model/redact.h"
#include "../pg_rows.h"
#include "probe/request_endpoints.h"

static const struct request_log_names NAMES = {"\"RequestLog\"", "\"timestamp\"", "\"duration\"",
                                               "\"statusCode\""};

static void test_sql(void **state)
{
	(void)state;
	char *sql = request_endpoints_sql(&NAMES, "\"path\"");
	assert_non_null(sql);
	assert_non_null(strstr(sql, "/* opsdeck */ WITH g AS (SELECT"));
	/* The metrics query's range predicate, so the same index serves it. */
	assert_non_null(strstr(sql,
	                       "FROM \"RequestLog\" WHERE \"timestamp\" >= (now() AT TIME ZONE "
	                       "'UTC') - $1::bigint * interval '1 millisecond'"));
	assert_non_null(strstr(sql, "split_part(\"path\"::text, '?', 1)"));
	assert_non_null(strstr(sql, "WHERE e > 0 ORDER BY e DESC, n DESC, p LIMIT $2::int"));
	assert_non_null(strstr(sql, "ORDER BY p95 DESC, n DESC, p LIMIT $2::int"));
	free(sql);
	/* Unquoted names are a programming error: no SQL. */
	assert_null(request_endpoints_sql(&NAMES, "path"));
	assert_null(request_endpoints_sql(&NAMES, "\"pa\"th\""));
	char params[REQUEST_ENDPOINTS_PARAM_COUNT][REQUEST_LOG_PARAM_SIZE];
	request_endpoints_params(3600000, params);
	assert_string_equal(params[0], "3600000");
	assert_string_equal(params[1], "5");
}

/* Six paths returned (top 5 by 5xx with one, top 5 by p95), in no
 * particular order; one without a path, one with control characters. */
static const char REPLY[] = "/api/checkout\t3010\t3000\t80\t9\t3100\t3012\n"
                            "/api/cart\t40\t12\t95.5\t9\t3100\t3012\n"
                            "/api/search\t20\t0\t2400\t9\t3100\t3012\n"
                            "\\N\t10\t0\t700\t9\t3100\t3012\n"
                            "/x\\033[31m\t5\t0\t650\t9\t3100\t3012\n"
                            "/\t10\t0\t600\t9\t3100\t3012\n"
                            "/login\t15\t0\t600\t9\t3100\t3012\n";

static void test_parse_ranks(void **state)
{
	(void)state;
	struct rows r;
	struct endpoint_breakdown b;
	char err[256] = "";
	rows_parse(&r, REPLY, REQUEST_ENDPOINT_COL_COUNT);
	endpoints_reset(&b, "path");
	assert_int_equal(request_endpoints_parse(r.values, r.count, &b, err, sizeof(err)), 0);
	assert_int_equal(b.state, ENDPOINTS_OK);
	assert_string_equal(b.column, "path");
	assert_int_equal(b.requests, 3100);
	assert_int_equal(b.errors, 3012);
	assert_int_equal(b.paths, 9);
	/* Only paths with a 5xx, most first. */
	assert_int_equal(b.error_count, 2);
	assert_string_equal(b.by_errors[0].path, "/api/checkout");
	assert_int_equal(b.by_errors[0].errors, 3000);
	assert_string_equal(b.by_errors[1].path, "/api/cart");
	/* Worst p95 first, cut to five; a tie goes to the busier path. */
	assert_int_equal(b.slow_count, ENDPOINTS_TOP);
	assert_string_equal(b.by_p95[0].path, "/api/search");
	assert_string_equal(b.by_p95[1].path, "(no path)");
	assert_null(strchr(b.by_p95[2].path, '\033'));
	assert_string_equal(b.by_p95[3].path, "/login");
	assert_string_equal(b.by_p95[4].path, "/");
	assert_true(b.by_p95[1].p95_ms == 700);

	char text[256];
	endpoints_errors_text(&b, 2, text, sizeof(text));
	assert_string_equal(text, "/api/checkout: 3,000 of 3,012 errors, /api/cart: 12 of 3,012 "
	                          "errors");
	endpoints_slowest_text(&b, text, sizeof(text));
	assert_string_equal(text, "/api/search (p95 2400 ms over 20 requests)");
	rows_free(&r);
}

static void test_no_rows_is_an_empty_window(void **state)
{
	(void)state;
	struct endpoint_breakdown b;
	char err[256] = "";
	endpoints_reset(&b, "path");
	assert_int_equal(request_endpoints_parse(NULL, 0, &b, err, sizeof(err)), 0);
	assert_int_equal(b.state, ENDPOINTS_OK);
	assert_int_equal(b.error_count + b.slow_count, 0);
	assert_null(endpoints_worst_errors(&b));
	assert_null(endpoints_slowest(&b));
}

static void test_malformed_replies(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "/a\tx\t0\t10\t1\t1\t0\n",                       /* requests not a number */
	    "/a\t1\t2\t10\t1\t1\t2\n",                       /* more errors than requests */
	    "/a\t5\t0\t10\t1\t4\t0\n",                       /* more than the total */
	    "/a\t1\t0\t\\N\t1\t1\t0\n",                      /* no p95 */
	    "/a\t1\t0\t-3\t1\t1\t0\n",                       /* negative p95 */
	    "/a\t1\t0\t10\t2\t2\t0\n/b\t1\t0\t9\t2\t3\t0\n", /* totals differ */
	    "/a\t1\t0\t10\t1\t2\t0\n/b\t1\t0\t9\t1\t2\t0\n", /* more rows than paths */
	};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		struct rows r;
		struct endpoint_breakdown b;
		char err[256] = "";
		rows_parse(&r, bad[k], REQUEST_ENDPOINT_COL_COUNT);
		endpoints_reset(&b, "path");
		assert_int_equal(request_endpoints_parse(r.values, r.count, &b, err, sizeof(err)),
		                 -1);
		assert_true(err[0] != '\0');
		assert_int_equal(b.state, ENDPOINTS_NOT_READ); /* untouched */
		rows_free(&r);
	}
}

static void test_missing_column_is_not_available(void **state)
{
	(void)state;
	struct endpoint_breakdown b;
	endpoints_reset(&b, "route");
	request_endpoints_describe_error("42703", "column \"route\" does not exist", "RequestLog",
	                                 &b);
	assert_int_equal(b.state, ENDPOINTS_NOT_AVAILABLE);
	assert_string_equal(b.why, "breakdown not available: RequestLog has no column route (set "
	                           "[database] request_path_column)");
	assert_string_equal(endpoints_state_name(b.state), "not_available");
	endpoints_reset(&b, "path");
	request_endpoints_describe_error("57014", "canceling statement due to statement timeout",
	                                 "RequestLog", &b);
	assert_int_equal(b.state, ENDPOINTS_FAILED);
	assert_string_equal(b.why,
	                    "breakdown not read: canceling statement due to statement timeout");
}

static void test_path_set(void **state)
{
	(void)state;
	char path[ENDPOINT_PATH];
	endpoint_path_set(path, sizeof(path), "/api/reset?token=s3cr3t-value#frag");
	assert_string_equal(path, "/api/reset");
	endpoint_path_set(path, sizeof(path), NULL);
	assert_string_equal(path, "(no path)");
	redact_register("hunter2secret");
	endpoint_path_set(path, sizeof(path), "/u/hunter2secret/x");
	assert_null(strstr(path, "hunter2secret"));
	redact_clear();
	char longer[400];
	memset(longer, 'b', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	endpoint_path_set(path, sizeof(path), longer);
	assert_true(strlen(path) < sizeof(path));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sql),
	    cmocka_unit_test(test_parse_ranks),
	    cmocka_unit_test(test_no_rows_is_an_empty_window),
	    cmocka_unit_test(test_malformed_replies),
	    cmocka_unit_test(test_missing_column_is_not_available),
	    cmocka_unit_test(test_path_set),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
