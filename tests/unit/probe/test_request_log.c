/* test_request_log.c - the request-log query builder, the bucket plan, the
 * parsing of the metrics and index-check rows (including rows captured from
 * PostgreSQL 15 with COPY, in tests/fixtures/pg/metrics_*.tsv) and the
 * mapping of errors to the operator's line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../pg_rows.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/snapshot.h"
#include "probe/request_log.h"

static const struct request_log_names prisma = {
    .table = "\"RequestLog\"",
    .timestamp = "\"timestamp\"",
    .duration = "\"duration\"",
    .status = "\"statusCode\"",
};

/* ---------------------------------------------------------------- rows */

/* ---------------------------------------------------------------- plan */

static void test_plan(void **state)
{
	(void)state;
	static const struct {
		int64_t window_ms, width_ms;
		int count;
	} cases[] = {
	    {3600000, 60000, 60},   /* the default hour: one bucket a minute */
	    {600000, 60000, 10},    /* never narrower than a minute */
	    {90000, 60000, 2},      /* the oldest bucket is half outside */
	    {21600000, 360000, 60}, /* 6 h: 6-minute buckets */
	    {3660000, 61000, 60},   /* 61 min */
	    {3600001, 60001, 60},   /* rounded up, never 61 buckets */
	    {366LL * 86400000, 527040000, 60},
	    {1, 60000, 1},
	    {0, 60000, 1}, /* impossible from the configuration: a minute */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct request_log_plan p;
		request_log_plan(cases[i].window_ms, &p);
		assert_int_equal(p.bucket_width_ms, cases[i].width_ms);
		assert_int_equal(p.bucket_count, cases[i].count);
		assert_true(p.bucket_count <= SNAPSHOT_BUCKETS);
		assert_true((int64_t)p.bucket_count * p.bucket_width_ms >= p.window_ms);
	}
}

static void test_params(void **state)
{
	(void)state;
	struct request_log_plan p;
	request_log_plan(21600000, &p);
	char params[REQUEST_LOG_PARAM_COUNT][REQUEST_LOG_PARAM_SIZE];
	request_log_params(&p, params);
	assert_string_equal(params[0], "21600000");
	assert_string_equal(params[1], "360000");
	assert_string_equal(params[2], "60");
}

/* ---------------------------------------------------------------- SQL */

static size_t occurrences(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

static void test_sql_shape(void **state)
{
	(void)state;
	char *sql = request_log_sql(&prisma);
	assert_non_null(sql);
	/* opsdeck's mark first, one statement, values only as parameters */
	assert_true(strncmp(sql, "/* opsdeck */ ", 14) == 0);
	assert_null(strchr(sql, ';'));
	assert_non_null(strstr(sql, "$1::bigint"));
	assert_non_null(strstr(sql, "$2::bigint"));
	assert_non_null(strstr(sql, "$3::int"));
	assert_null(strstr(sql, "$4"));
	/* one scan of the table: it is named once, in the FROM of the window */
	assert_int_equal(occurrences(sql, "\"RequestLog\""), 1);
	assert_int_equal(occurrences(sql, "SELECT"), 3); /* outer, window, bucket starts */
	assert_non_null(strstr(sql, "GROUP BY ROLLUP (k)"));
	assert_null(strstr(sql, "UNION"));
	/* Prisma's UTC wall-clock timestamps */
	assert_non_null(strstr(sql, "\"timestamp\" >= (now() AT TIME ZONE 'UTC') - $1::bigint"));
	assert_non_null(strstr(sql, "FILTER (WHERE s >= 500)"));
	assert_non_null(strstr(sql, "percentile_cont(0.95) WITHIN GROUP (ORDER BY d)"));
	assert_non_null(strstr(sql, "percentile_cont(0.99) WITHIN GROUP (ORDER BY d)"));
	assert_non_null(strstr(sql, "\"duration\" AS d"));
	assert_non_null(strstr(sql, "\"statusCode\" AS s"));
	assert_non_null(strstr(sql, "width_bucket(\"timestamp\", (SELECT array_agg("));
	assert_non_null(strstr(sql, "generate_series(0, $3::int - 1)"));
	free(sql);
}

/* Names are pasted only as PQescapeIdentifier wrote them; a doubled quote
 * inside is fine, anything unquoted or half-quoted is refused. */
static void test_sql_names(void **state)
{
	(void)state;
	struct request_log_names n = prisma;
	n.table = "\"Request\"\"Log\"";
	char *sql = request_log_sql(&n);
	assert_non_null(sql);
	assert_non_null(strstr(sql, "FROM \"Request\"\"Log\" WHERE"));
	free(sql);

	static const char *const bad[] = {
	    "RequestLog",
	    "\"RequestLog",
	    "\"\"",
	    "\"a\"b\"",
	    "\"x\"; DROP TABLE y; --\"",
	    "\"x\" \"y\"",
	    "",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = prisma;
		n.table = bad[i];
		assert_null(request_log_sql(&n));
		n = prisma;
		n.status = bad[i];
		assert_null(request_log_sql(&n));
	}
	n = prisma;
	n.timestamp = NULL;
	assert_null(request_log_sql(&n));
}

/* ---------------------------------------------------------------- parse */

static void prepared(struct request_metrics *m, int64_t window_ms, struct request_log_plan *p)
{
	request_log_plan(window_ms, p);
	request_log_reset(m, "RequestLog", p, 1700000000000);
}

static void test_reset(void **state)
{
	(void)state;
	struct request_metrics m;
	struct request_log_plan p;
	memset(&m, 0x5a, sizeof(m));
	prepared(&m, 600000, &p);
	assert_int_equal(m.check.state, CHECK_PENDING);
	assert_string_equal(m.table, "RequestLog");
	assert_int_equal(m.window_ms, 600000);
	assert_int_equal(m.requests, 0);
	assert_float_equal(m.error_rate, -1, 0);
	assert_float_equal(m.avg_ms, -1, 0);
	assert_float_equal(m.p95_ms, -1, 0);
	assert_float_equal(m.p99_ms, -1, 0);
	assert_int_equal(m.bucket_count, 10);
	for (int i = 0; i < m.bucket_count; i++) {
		assert_int_equal(m.buckets[i].requests, 0);
		assert_float_equal(m.buckets[i].avg_ms, -1, 0);
		assert_int_equal(m.buckets[i].start_ms, 1700000000000 - (10 - i) * 60000LL);
	}
	assert_false(m.timestamp_index_missing);
	assert_string_equal(m.index_hint, "");
}

/* What PostgreSQL 15 returned for the stack's seed over the last hour. */
static void test_parse_hour_fixture(void **state)
{
	(void)state;
	struct rows r;
	rows_load(&r, "metrics_1h_pg15.tsv", REQUEST_COL_COUNT);
	struct request_metrics m;
	struct request_log_plan p;
	prepared(&m, 3600000, &p);
	char err[128] = "";
	assert_int_equal(request_log_parse(r.values, r.count, &p, &m, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(m.check.state, CHECK_OK);
	assert_int_equal(m.requests, 506);
	assert_int_equal(m.errors, 7);
	assert_float_equal(m.error_rate, 7.0 / 506.0, 1e-12);
	assert_float_equal(m.avg_ms, 148.74505928853756, 1e-9);
	assert_float_equal(m.p95_ms, 281, 1e-9);
	assert_float_equal(m.p99_ms, 905.8, 1e-9);
	assert_true(m.p99_ms >= m.p95_ms && m.p95_ms >= m.avg_ms);
	assert_int_equal(m.bucket_width_ms, 60000);
	assert_int_equal(m.bucket_count, 60);

	/* every bucket present; the empty ones (the seed stopped writing 17
	 * minutes before the capture) 0 with no average */
	int64_t requests = 0, errors = 0;
	int empty = 0;
	for (int i = 0; i < m.bucket_count; i++) {
		const struct request_bucket *b = &m.buckets[i];
		requests += b->requests;
		errors += b->errors;
		if (b->requests == 0) {
			empty++;
			assert_float_equal(b->avg_ms, -1, 0);
		} else {
			assert_true(b->avg_ms >= 0);
		}
		/* consecutive, the last one ending at the server's now() */
		assert_int_equal(b->start_ms, 1795775087674 - (60 - i) * 60000LL);
	}
	assert_int_equal(requests, m.requests);
	assert_int_equal(errors, m.errors);
	assert_int_equal(empty, 17);
	assert_int_equal(m.buckets[0].requests, 12);
	assert_int_equal(m.buckets[0].errors, 1);
	assert_float_equal(m.buckets[0].avg_ms, 100.91666666666667, 1e-12);
	assert_int_equal(m.buckets[42].requests, 2);
	assert_float_equal(m.buckets[42].avg_ms, 58, 0);
	assert_int_equal(m.buckets[43].requests, 0);
	rows_free(&r);
}

static void test_parse_six_hours_fixture(void **state)
{
	(void)state;
	struct rows r;
	rows_load(&r, "metrics_6h_pg15.tsv", REQUEST_COL_COUNT);
	struct request_metrics m;
	struct request_log_plan p;
	prepared(&m, 21600000, &p);
	char err[128] = "";
	assert_int_equal(request_log_parse(r.values, r.count, &p, &m, err, sizeof(err)), 0);
	assert_int_equal(m.requests, 4106);
	assert_int_equal(m.errors, 64);
	assert_int_equal(m.bucket_width_ms, 360000);
	assert_int_equal(m.buckets[0].start_ms, 1795775087718 - 21600000);
	int64_t sum = 0;
	for (int i = 0; i < m.bucket_count; i++)
		sum += m.buckets[i].requests;
	assert_int_equal(sum, 4106);
	rows_free(&r);
}

/* No requests in the window: "no traffic", not a division by zero. */
static void test_parse_no_traffic(void **state)
{
	(void)state;
	struct rows r;
	rows_parse(&r, "\\N\t0\t0\t\\N\t\\N\t\\N\t1700000000000\n", REQUEST_COL_COUNT);
	struct request_metrics m;
	struct request_log_plan p;
	prepared(&m, 3600000, &p);
	char err[128] = "";
	assert_int_equal(request_log_parse(r.values, r.count, &p, &m, err, sizeof(err)), 0);
	assert_int_equal(m.check.state, CHECK_OK);
	assert_int_equal(m.requests, 0);
	assert_int_equal(m.errors, 0);
	assert_float_equal(m.error_rate, -1, 0);
	assert_float_equal(m.avg_ms, -1, 0);
	assert_float_equal(m.p95_ms, -1, 0);
	assert_float_equal(m.p99_ms, -1, 0);
	assert_int_equal(m.bucket_count, 60);
	for (int i = 0; i < 60; i++) {
		assert_int_equal(m.buckets[i].requests, 0);
		assert_float_equal(m.buckets[i].avg_ms, -1, 0);
	}
	rows_free(&r);
}

/* Every request a 5xx: rate 1, not more. One bucket only, in the order
 * ROLLUP returns them (buckets, then the total), with the per-bucket
 * percentiles the rollup computes and the parser ignores. */
static void test_parse_all_errors(void **state)
{
	(void)state;
	struct rows r;
	rows_parse(&r,
	           "59\t4\t4\t250\t280.5\t298.1\t1700000000000\n"
	           "\\N\t4\t4\t250\t280.5\t298.1\t1700000000000\n",
	           REQUEST_COL_COUNT);
	struct request_metrics m;
	struct request_log_plan p;
	prepared(&m, 3600000, &p);
	char err[128] = "";
	assert_int_equal(request_log_parse(r.values, r.count, &p, &m, err, sizeof(err)), 0);
	assert_float_equal(m.error_rate, 1.0, 0);
	assert_int_equal(m.buckets[59].errors, 4);
	assert_int_equal(m.buckets[58].requests, 0);
	rows_free(&r);
}

/* A reply that does not make sense fails as a whole and leaves the
 * metrics as they were. */
static void test_parse_malformed(void **state)
{
	(void)state;
	static const struct {
		const char *rows;
		const char *message;
	} cases[] = {
	    {"", "no total row in the reply"},
	    {"3\t1\t0\t5\t\\N\t\\N\t\\N\n", "no total row in the reply"},
	    {"\\N\t1\t0\t5\t5\t5\t1\n\\N\t1\t0\t5\t5\t5\t1\n", "two total rows"},
	    {"\\N\t12x\t0\t5\t5\t5\t1\n", "bad requests value \"12x\""},
	    {"\\N\t-1\t0\t5\t5\t5\t1\n", "bad requests value \"-1\""},
	    {"\\N\t1\t2\t5\t5\t5\t1\n", "2 errors out of 1 requests"},
	    {"\\N\t1\t0\tNaN\t5\t5\t1\n", "bad average value \"NaN\""},
	    {"\\N\t1\t0\t5\t-3\t5\t1\n", "bad p95 value \"-3\""},
	    {"\\N\t1\t0\t5\t5\t1e999\t1\n", "bad p99 value \"1e999\""},
	    {"\\N\t1\t0\t5\t5\t5\t\\N\n", "bad server time value \"NULL\""},
	    {"\\N\t1\t0\t5\t5\t5\t0\n", "bad server time value \"0\""},
	    {"\\N\t1\t0\t5\t5\t5\t1\n60\t1\t0\t5\t\\N\t\\N\t\\N\n", "bad bucket value \"60\""},
	    {"\\N\t1\t0\t5\t5\t5\t1\n-1\t1\t0\t5\t\\N\t\\N\t\\N\n", "bad bucket value \"-1\""},
	    {"\\N\t2\t0\t5\t5\t5\t1\n3\t1\t0\t5\t\\N\t\\N\t\\N\n3\t1\t0\t5\t\\N\t\\N\t\\N\n",
	     "bucket 3 appears twice"},
	    {"\\N\t2\t0\t5\t5\t5\t1\n3\t1\t0\t5\t\\N\t\\N\t\\N\n",
	     "buckets hold 1 requests and 0 errors, the total 2 and 0"},
	    {"\\N\t1\t0\t5\t5\t5\t1\n3\t1\t1\t5\t\\N\t\\N\t\\N\n",
	     "buckets hold 1 requests and 1 errors, the total 1 and 0"},
	    {"\\N\t1\t0\t5\t5\t5\t1\n\x1b[2J\t1\t0\t5\t\\N\t\\N\t\\N\n",
	     "bad bucket value \"?[2J\""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rows r;
		rows_parse(&r, cases[i].rows, REQUEST_COL_COUNT);
		struct request_metrics m;
		struct request_log_plan p;
		prepared(&m, 3600000, &p);
		m.requests = 77;
		char err[128] = "";
		assert_int_equal(request_log_parse(r.values, r.count, &p, &m, err, sizeof(err)),
		                 -1);
		assert_string_equal(err, cases[i].message);
		assert_int_equal(m.requests, 77);
		assert_int_equal(m.check.state, CHECK_PENDING);
		assert_float_equal(m.error_rate, -1, 0);
		rows_free(&r);
	}
}

/* ---------------------------------------------------------------- index */

static void test_index_present(void **state)
{
	(void)state;
	struct request_metrics m;
	struct request_log_plan p;
	prepared(&m, 3600000, &p);
	const char *values[REQUEST_INDEX_COL_COUNT] = {"t", "598016"};
	char err[128] = "";
	assert_int_equal(request_log_parse_index(values, &prisma, &m, err, sizeof(err)), 1);
	assert_false(m.timestamp_index_missing);
	assert_string_equal(m.index_hint, "");
	assert_int_equal(m.check.state, CHECK_PENDING);
}

static void test_index_missing_small(void **state)
{
	(void)state;
	struct request_metrics m;
	struct request_log_plan p;
	prepared(&m, 3600000, &p);
	const char *values[REQUEST_INDEX_COL_COUNT] = {"f", "598016"};
	char err[128] = "";
	assert_int_equal(request_log_parse_index(values, &prisma, &m, err, sizeof(err)), 1);
	assert_true(m.timestamp_index_missing);
	assert_string_equal(m.index_hint,
	                    "CREATE INDEX CONCURRENTLY ON \"RequestLog\" (\"timestamp\");");
	assert_int_equal(m.check.state, CHECK_PENDING); /* the metrics still run */
}

/* A big table without the index is not scanned every poll. */
static void test_index_missing_large(void **state)
{
	(void)state;
	struct request_metrics m;
	struct request_log_plan p;
	prepared(&m, 3600000, &p);
	const char *values[REQUEST_INDEX_COL_COUNT] = {"f", "1288490188"};
	char err[128] = "";
	assert_int_equal(request_log_parse_index(values, &prisma, &m, err, sizeof(err)), 0);
	assert_true(m.timestamp_index_missing);
	assert_int_equal(m.check.state, CHECK_UNHEALTHY);
	assert_string_equal(m.check.error,
	                    "request log not read: \"RequestLog\" (1.2 GiB) has no index on "
	                    "\"timestamp\", and reading all of it every poll would load the "
	                    "database: run CREATE INDEX CONCURRENTLY ON \"RequestLog\" "
	                    "(\"timestamp\");");

	/* just at the limit it still runs */
	char limit[32];
	snprintf(limit, sizeof(limit), "%lld", (long long)REQUEST_LOG_UNINDEXED_MAX_BYTES);
	values[REQUEST_INDEX_COL_BYTES] = limit;
	prepared(&m, 3600000, &p);
	assert_int_equal(request_log_parse_index(values, &prisma, &m, err, sizeof(err)), 1);
}

static void test_index_malformed(void **state)
{
	(void)state;
	struct request_metrics m;
	struct request_log_plan p;
	prepared(&m, 3600000, &p);
	char err[128] = "";
	const char *values[REQUEST_INDEX_COL_COUNT] = {"true", "1"};
	assert_int_equal(request_log_parse_index(values, &prisma, &m, err, sizeof(err)), -1);
	assert_string_equal(err, "bad index found value \"true\"");
	values[0] = NULL;
	assert_int_equal(request_log_parse_index(values, &prisma, &m, err, sizeof(err)), -1);
	values[0] = "t";
	values[1] = "big";
	assert_int_equal(request_log_parse_index(values, &prisma, &m, err, sizeof(err)), -1);
	assert_string_equal(err, "bad table size value \"big\"");
}

static void test_index_sql_shape(void **state)
{
	(void)state;
	assert_true(strncmp(REQUEST_LOG_INDEX_SQL, "/* opsdeck */ ", 14) == 0);
	assert_null(strchr(REQUEST_LOG_INDEX_SQL, ';'));
	assert_non_null(strstr(REQUEST_LOG_INDEX_SQL, "$1::regclass"));
	assert_non_null(strstr(REQUEST_LOG_INDEX_SQL, "a.attname = $2"));
	assert_non_null(strstr(REQUEST_LOG_INDEX_SQL, "i.indkey[0]"));
	assert_non_null(strstr(REQUEST_LOG_INDEX_SQL, "i.indpred IS NULL"));
	assert_non_null(strstr(REQUEST_LOG_INDEX_SQL, "pg_relation_size($1::regclass)"));
}

/* ---------------------------------------------------------------- errors */

static void test_describe_error(void **state)
{
	(void)state;
	static const struct {
		const char *sqlstate, *message, *line;
	} cases[] = {
	    {"42P01", "relation \"RequestLog\" does not exist",
	     "request log not found: relation \"RequestLog\" does not exist"},
	    {"3F000", "schema \"app\" does not exist",
	     "request log not found: schema \"app\" does not exist"},
	    {"42703", "column \"statusCode\" does not exist",
	     "request log not found: column \"statusCode\" does not exist (expected Prisma's "
	     "columns \"timestamp\", \"duration\", \"statusCode\")"},
	    {"42501", "permission denied for table RequestLog",
	     "request log not readable: permission denied for table RequestLog (GRANT SELECT ON "
	     "\"RequestLog\" to this role)"},
	    {"57014", "canceling statement due to statement timeout",
	     "request log: canceling statement due to statement timeout"},
	    {"", "timed out after 3.0 s waiting for a reply",
	     "request log: timed out after 3.0 s waiting for a reply"},
	    {NULL, NULL, "request log: unknown error"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char line[SNAPSHOT_TEXT];
		request_log_describe_error(cases[i].sqlstate, cases[i].message, &prisma, line,
		                           sizeof(line));
		assert_string_equal(line, cases[i].line);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plan),
	    cmocka_unit_test(test_params),
	    cmocka_unit_test(test_sql_shape),
	    cmocka_unit_test(test_sql_names),
	    cmocka_unit_test(test_reset),
	    cmocka_unit_test(test_parse_hour_fixture),
	    cmocka_unit_test(test_parse_six_hours_fixture),
	    cmocka_unit_test(test_parse_no_traffic),
	    cmocka_unit_test(test_parse_all_errors),
	    cmocka_unit_test(test_parse_malformed),
	    cmocka_unit_test(test_index_present),
	    cmocka_unit_test(test_index_missing_small),
	    cmocka_unit_test(test_index_missing_large),
	    cmocka_unit_test(test_index_malformed),
	    cmocka_unit_test(test_index_sql_shape),
	    cmocka_unit_test(test_describe_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
