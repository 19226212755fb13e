/* test_slow_queries.c - pg_stat_statements: the column choice on the view's
 * attributes of PostgreSQL 15 (captured) and 12 (the old names), the catalog
 * and list parsing on rows captured with COPY and on crafted ones (escape
 * sequences, C1 controls, invalid UTF-8, NULLs, hidden texts), the query
 * builder and the error classification. */
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
#include "probe/slow_queries.h"

/* ---------------------------------------------------------------- rows */

/* No byte a terminal would act on: no C0 but space, no DEL, no C1 (U+0080..
 * U+009F, "\xc2\x80".."\xc2\x9f" in UTF-8), and valid UTF-8 throughout. */
static bool harmless(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		if (*p < 0x20 || *p == 0x7f)
			return false;
		if (*p < 0x80) {
			p++;
			continue;
		}
		size_t n = (*p & 0xE0) == 0xC0   ? 2
		           : (*p & 0xF0) == 0xE0 ? 3
		           : (*p & 0xF8) == 0xF0 ? 4
		                                 : 0;
		if (n == 0)
			return false;
		for (size_t i = 1; i < n; i++)
			if ((p[i] & 0xC0) != 0x80)
				return false;
		if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			return false;
		p += n;
	}
	return true;
}

/* ---------------------------------------------------------------- columns */

/* The column names of a catalog fixture. */
static size_t fixture_columns(const struct rows *r, const char **columns, size_t max)
{
	size_t n = 0;
	for (int i = 0; i < r->count && n < max; i++) {
		const char *c =
		    r->values[(size_t)i * SLOW_CATALOG_COL_COUNT + SLOW_CATALOG_COL_COLUMN];
		if (c)
			columns[n++] = c;
	}
	return n;
}

/* The real PostgreSQL 15 view (pg_stat_statements 1.10). */
static void test_columns_pg15(void **state)
{
	(void)state;
	struct rows r;
	rows_load(&r, "pgss_catalog_pg15.tsv", SLOW_CATALOG_COL_COUNT);
	const char *columns[64], *mean = NULL, *total = NULL;
	size_t n = fixture_columns(&r, columns, 64);
	assert_int_equal(n, 43);
	assert_int_equal(slow_queries_pick_columns(columns, n, &mean, &total), 0);
	assert_string_equal(mean, "mean_exec_time");
	assert_string_equal(total, "total_exec_time");
	rows_free(&r);
}

/* PostgreSQL 12 (pg_stat_statements 1.7): the names before the rename. */
static void test_columns_pg12(void **state)
{
	(void)state;
	struct rows r;
	rows_load(&r, "pgss_catalog_pg12.tsv", SLOW_CATALOG_COL_COUNT);
	const char *columns[64], *mean = NULL, *total = NULL;
	size_t n = fixture_columns(&r, columns, 64);
	assert_int_equal(n, 23);
	assert_int_equal(slow_queries_pick_columns(columns, n, &mean, &total), 0);
	assert_string_equal(mean, "mean_time");
	assert_string_equal(total, "total_time");
	rows_free(&r);
}

static void test_columns_odd(void **state)
{
	(void)state;
	const char *mean = "x", *total = "x";
	/* both pairs (no such version, but the new one wins) */
	const char *both[] = {"mean_time", "total_time", "total_exec_time", "mean_exec_time"};
	assert_int_equal(slow_queries_pick_columns(both, 4, &mean, &total), 0);
	assert_string_equal(mean, "mean_exec_time");
	/* half a pair is no pair */
	const char *half[] = {"query", "mean_exec_time", "total_time"};
	assert_int_equal(slow_queries_pick_columns(half, 3, &mean, &total), -1);
	assert_null(mean);
	assert_null(total);
	assert_int_equal(slow_queries_pick_columns(NULL, 0, &mean, &total), -1);
}

/* ---------------------------------------------------------------- catalog */

static void test_catalog_pg15(void **state)
{
	(void)state;
	struct rows r;
	rows_load(&r, "pgss_catalog_pg15.tsv", SLOW_CATALOG_COL_COUNT);
	struct slow_queries_catalog cat;
	char err[128] = "";
	assert_int_equal(slow_queries_parse_catalog(r.values, r.count, &cat, err, sizeof(err)), 0);
	assert_true(cat.installed);
	assert_string_equal(cat.database, "shop");
	assert_string_equal(cat.role, "app");
	assert_string_equal(cat.schema, "public");
	assert_string_equal(cat.mean_column, "mean_exec_time");
	assert_string_equal(cat.total_column, "total_exec_time");
	rows_free(&r);
}

static void test_catalog_pg12(void **state)
{
	(void)state;
	struct rows r;
	rows_load(&r, "pgss_catalog_pg12.tsv", SLOW_CATALOG_COL_COUNT);
	struct slow_queries_catalog cat;
	char err[128] = "";
	assert_int_equal(slow_queries_parse_catalog(r.values, r.count, &cat, err, sizeof(err)), 0);
	assert_true(cat.installed);
	assert_string_equal(cat.schema, "monitoring");
	assert_string_equal(cat.mean_column, "mean_time");
	assert_string_equal(cat.total_column, "total_time");
	rows_free(&r);
}

static void test_catalog_not_installed(void **state)
{
	(void)state;
	struct rows r;
	rows_load(&r, "pgss_catalog_missing.tsv", SLOW_CATALOG_COL_COUNT);
	struct slow_queries_catalog cat;
	char err[128] = "";
	assert_int_equal(slow_queries_parse_catalog(r.values, r.count, &cat, err, sizeof(err)), 0);
	assert_false(cat.installed);
	assert_null(cat.mean_column);

	struct slow_query_status sq;
	slow_queries_reset(&sq, 1000);
	slow_queries_not_installed(&cat, &sq);
	assert_int_equal(sq.problem, SLOW_QUERY_NOT_INSTALLED);
	assert_int_equal(sq.check.state, CHECK_UNHEALTHY);
	assert_string_equal(sq.check.error, "pg_stat_statements is not installed in database shop: "
	                                    "run CREATE EXTENSION pg_stat_statements");
	assert_int_equal(sq.count, 0);
	rows_free(&r);

	/* A name that needs quotes is shown quoted, as it would be typed;
	 * one with controls is sanitised first. */
	rows_parse(&r, "Shop-Prod\tapp\t\\N\t\\N\n", SLOW_CATALOG_COL_COUNT);
	assert_int_equal(slow_queries_parse_catalog(r.values, r.count, &cat, err, sizeof(err)), 0);
	slow_queries_not_installed(&cat, &sq);
	assert_string_equal(sq.check.error,
	                    "pg_stat_statements is not installed in database \"Shop-Prod\": run "
	                    "CREATE EXTENSION pg_stat_statements");
	rows_free(&r);
	rows_parse(&r, "x\\x1b]0;t\\x07\tapp\t\\N\t\\N\n", SLOW_CATALOG_COL_COUNT);
	assert_int_equal(slow_queries_parse_catalog(r.values, r.count, &cat, err, sizeof(err)), 0);
	slow_queries_not_installed(&cat, &sq);
	assert_true(harmless(sq.check.error));
	assert_non_null(strstr(sq.check.error, "database \"x?]0;t?\""));
	rows_free(&r);
}

static void test_catalog_malformed(void **state)
{
	(void)state;
	struct slow_queries_catalog cat;
	char err[128] = "";
	assert_int_equal(slow_queries_parse_catalog(NULL, 0, &cat, err, sizeof(err)), -1);
	assert_string_equal(err, "the catalog query returned no row");

	struct rows r;
	rows_parse(&r, "shop\tapp\tpublic\t\\N\n", SLOW_CATALOG_COL_COUNT);
	assert_int_equal(slow_queries_parse_catalog(r.values, r.count, &cat, err, sizeof(err)), -1);
	assert_string_equal(err, "the extension is installed but its view is missing");
	rows_free(&r);

	rows_parse(&r, "shop\tapp\tpublic\tquery\nshop\tapp\tpublic\tcalls\n",
	           SLOW_CATALOG_COL_COUNT);
	assert_int_equal(slow_queries_parse_catalog(r.values, r.count, &cat, err, sizeof(err)), -1);
	assert_string_equal(err, "pg_stat_statements has neither mean_exec_time nor mean_time");
	rows_free(&r);
}

static void test_catalog_sql_shape(void **state)
{
	(void)state;
	assert_true(strncmp(SLOW_QUERIES_CATALOG_SQL, "/* opsdeck */ ", 14) == 0);
	assert_null(strchr(SLOW_QUERIES_CATALOG_SQL, ';'));
	assert_null(strchr(SLOW_QUERIES_CATALOG_SQL, '$'));
	assert_non_null(strstr(SLOW_QUERIES_CATALOG_SQL, "pg_extension"));
	assert_non_null(strstr(SLOW_QUERIES_CATALOG_SQL, "pg_attribute"));
	assert_null(strstr(SLOW_QUERIES_CATALOG_SQL, "server_version"));
}

/* ---------------------------------------------------------------- SQL */

static void test_sql(void **state)
{
	(void)state;
	char *sql = slow_queries_sql("\"public\"", "\"mean_exec_time\"", "\"total_exec_time\"");
	assert_non_null(sql);
	assert_true(strncmp(sql, "/* opsdeck */ ", 14) == 0);
	assert_null(strchr(sql, ';'));
	assert_non_null(strstr(sql, "FROM \"public\".pg_stat_statements s"));
	assert_non_null(strstr(sql, "s.\"total_exec_time\" > $1::float8"));
	assert_non_null(strstr(sql, "ORDER BY s.\"total_exec_time\" DESC LIMIT $2::int"));
	assert_non_null(strstr(sql, "left(s.query, $3::int), s.calls, s.\"total_exec_time\", "
	                            "s.\"mean_exec_time\", s.userid::text || ':' || "
	                            "s.queryid::text, s.shared_blks_hit + s.shared_blks_read"));
	/* opsdeck's own statements and pg_dump's COPY left out; this database only */
	assert_non_null(strstr(sql, "s.query NOT LIKE '/* opsdeck */%'"));
	assert_non_null(strstr(sql, "s.query NOT ILIKE 'COPY % TO stdout%'"));
	assert_non_null(strstr(sql, "datname = current_database()"));
	free(sql);

	sql = slow_queries_sql("\"my \"\"stats\"\"\"", "\"mean_time\"", "\"total_time\"");
	assert_non_null(sql);
	assert_non_null(strstr(sql, "FROM \"my \"\"stats\"\"\".pg_stat_statements s"));
	free(sql);

	assert_null(slow_queries_sql("public", "\"mean_time\"", "\"total_time\""));
	assert_null(slow_queries_sql("\"public\"", "mean_time", "\"total_time\""));
	assert_null(slow_queries_sql("\"public\"", "\"mean_time\"", "\"x\"; --\""));
}

static void test_params(void **state)
{
	(void)state;
	char params[SLOW_QUERIES_PARAM_COUNT][SLOW_QUERIES_PARAM_SIZE];
	slow_queries_params(1000, params);
	assert_string_equal(params[0], "1000");
	assert_string_equal(params[1], "100");
	assert_string_equal(params[2], "1023");
}

/* ---------------------------------------------------------------- rows */

static void catalog_of(struct slow_queries_catalog *cat, const char *role)
{
	memset(cat, 0, sizeof(*cat));
	snprintf(cat->database, sizeof(cat->database), "shop");
	snprintf(cat->role, sizeof(cat->role), "%s", role);
	cat->installed = true;
	snprintf(cat->schema, sizeof(cat->schema), "public");
	cat->mean_column = "mean_exec_time";
	cat->total_column = "total_exec_time";
}

/* Captured from the stack: the seed's slow queries and a crafted one with
 * OSC, BEL, CSI (7-bit and C1) in a comment (the key and buffer columns
 * added by hand). */
static void test_rows_pg15(void **state)
{
	(void)state;
	struct rows r;
	rows_load(&r, "pgss_rows_pg15.tsv", SLOW_COL_COUNT);
	struct slow_queries_catalog cat;
	catalog_of(&cat, "app");
	struct slow_query_status sq;
	slow_queries_reset(&sq, 1000);
	char err[128] = "";
	assert_int_equal(
	    slow_queries_parse(r.values, r.count, &cat, NULL, 0, &sq, err, sizeof(err)), 0);
	assert_int_equal(sq.check.state, CHECK_OK);
	assert_int_equal(sq.problem, SLOW_QUERY_OK);
	assert_string_equal(sq.check.error, "");
	assert_string_equal(sq.mean_column, "mean_exec_time");
	assert_int_equal(sq.threshold_ms, 1000);
	assert_int_equal(sq.count, 4);

	assert_string_equal(sq.items[0].query, "SELECT pg_sleep($1)");
	assert_int_equal(sq.items[0].calls, 3);
	assert_float_equal(sq.items[0].total_ms, 3606.879945, 1e-9);
	assert_float_equal(sq.items[0].mean_ms, 1202.2933150000001, 1e-9);
	assert_false(sq.items[0].text_hidden);

	/* several lines and tabs: one line, single spaces */
	assert_string_equal(
	    sq.items[1].query,
	    "SELECT count(*) FROM \"RequestLog\" WHERE pg_sleep($1) IS NOT NULL AND "
	    "id < $2");
	assert_non_null(
	    strstr(sq.items[2].query, "WITH pause AS (SELECT pg_sleep($1)) SELECT r.path"));

	/* the crafted one: every control replaced */
	assert_string_equal(sq.items[3].query,
	                    "SELECT $1 FROM pg_sleep($2) /* ?]0;pwned?\?[2J ?31m */");
	for (int i = 0; i < sq.count; i++) {
		assert_true(harmless(sq.items[i].query));
		assert_true(i == 0 || sq.items[i].mean_ms <= sq.items[i - 1].mean_ms);
	}
	rows_free(&r);
}

static void test_rows_crafted(void **state)
{
	(void)state;
	struct rows r;
	rows_load(&r, "pgss_rows_crafted.tsv", SLOW_COL_COUNT);
	struct slow_queries_catalog cat;
	catalog_of(&cat, "app");
	struct slow_query_status sq;
	slow_queries_reset(&sq, 1000);
	char err[128] = "";
	assert_int_equal(
	    slow_queries_parse(r.values, r.count, &cat, NULL, 0, &sq, err, sizeof(err)), 0);
	assert_int_equal(sq.count, 5);

	/* hidden text: timings kept, problem and recommendation set, the
	 * check itself OK (the view was read) */
	assert_true(sq.items[0].text_hidden);
	assert_string_equal(sq.items[0].query, "<insufficient privilege>");
	assert_int_equal(sq.items[0].calls, 12);
	assert_float_equal(sq.items[0].mean_ms, 2500.0416666666665, 1e-9);
	assert_int_equal(sq.problem, SLOW_QUERY_NO_PRIVILEGE);
	assert_int_equal(sq.check.state, CHECK_OK);
	assert_string_equal(sq.check.error, "query texts of other roles are hidden from app: run "
	                                    "GRANT pg_read_all_stats TO app");

	/* a text the server could not read (sorted by mean: 2500 ms) */
	assert_string_equal(sq.items[1].query, "<query text unavailable>");
	assert_false(sq.items[1].text_hidden);
	/* invalid UTF-8 and an OSC 52 (clipboard write) */
	assert_string_equal(sq.items[2].query,
	                    "SELECT '?\?' /* ?]52;c;ZXZpbA==? */ FROM pg_sleep($1)");
	/* CR LF, tabs, NEL and CSI as C1, DEL, BS */
	assert_string_equal(sq.items[3].query,
	                    "UPDATE \"Order\" SET \"status\" = $1 /* ?\?2J?\? */");
	/* DEC private mode (alternate screen), DCS ... ST */
	assert_string_equal(sq.items[4].query,
	                    "SELECT $1 /* ?[?1049h?P+q544e?\\ DCS and alternate screen */");
	for (int i = 0; i < sq.count; i++)
		assert_true(harmless(sq.items[i].query));
	rows_free(&r);
}

/* A role name that needs quotes is quoted in the GRANT to run. */
static void test_rows_hidden_role_quoted(void **state)
{
	(void)state;
	struct rows r;
	rows_parse(&r, "<insufficient privilege>\t1\t2000\t2000\t\\N\t0\n", SLOW_COL_COUNT);
	struct slow_queries_catalog cat;
	catalog_of(&cat, "Monitor\"Role");
	struct slow_query_status sq;
	slow_queries_reset(&sq, 1000);
	char err[128] = "";
	assert_int_equal(
	    slow_queries_parse(r.values, r.count, &cat, NULL, 0, &sq, err, sizeof(err)), 0);
	assert_string_equal(
	    sq.check.error,
	    "query texts of other roles are hidden from \"Monitor\"\"Role\": run GRANT "
	    "pg_read_all_stats TO \"Monitor\"\"Role\"");
	rows_free(&r);
}

/* At most SNAPSHOT_SLOW_QUERIES, and a long text is cut on a character. */
static void test_rows_limits(void **state)
{
	(void)state;
	char *data = malloc(64 * 1024);
	assert_non_null(data);
	size_t o = 0;
	/* first row: 2000 two-byte characters */
	o += (size_t)sprintf(data + o, "SELECT '");
	for (int i = 0; i < 2000; i++)
		o += (size_t)sprintf(data + o, "\xc3\xa9");
	o += (size_t)sprintf(data + o, "'\t1\t9000\t9000\t10:1\t0\n");
	for (int i = 0; i < 14; i++)
		o += (size_t)sprintf(data + o, "SELECT %d\t1\t%d\t%d\t10:%d\t0\n", i, 8000 - i,
		                     8000 - i, i + 2);
	struct rows r;
	rows_parse(&r, data, SLOW_COL_COUNT);
	free(data);
	assert_int_equal(r.count, 15);
	struct slow_queries_catalog cat;
	catalog_of(&cat, "app");
	struct slow_query_status sq;
	slow_queries_reset(&sq, 1000);
	char err[128] = "";
	assert_int_equal(
	    slow_queries_parse(r.values, r.count, &cat, NULL, 0, &sq, err, sizeof(err)), 0);
	assert_int_equal(sq.count, SNAPSHOT_SLOW_QUERIES);
	size_t len = strlen(sq.items[0].query);
	assert_true(len < SNAPSHOT_QUERY_TEXT);
	assert_true(len > SNAPSHOT_QUERY_TEXT - 4);
	assert_true(harmless(sq.items[0].query));
	assert_string_equal(sq.items[9].query, "SELECT 8");
	rows_free(&r);
}

/* One poll of a caller that polls: rows in COPY text, parsed against the
 * baseline at now_ms. */
static void poll_rows(const char *data, struct slow_queries_baseline *b, int64_t now_ms,
                      struct slow_query_status *sq)
{
	struct rows r;
	rows_parse(&r, data, SLOW_COL_COUNT);
	struct slow_queries_catalog cat;
	catalog_of(&cat, "app");
	slow_queries_reset(sq, 1000);
	char err[128] = "";
	assert_int_equal(
	    slow_queries_parse(r.values, r.count, &cat, b, now_ms, sq, err, sizeof(err)), 0);
	rows_free(&r);
}

/* The view only grows; the list shows the calls since the older baseline,
 * one to two windows back, so it empties once the slow statement has
 * stopped for that long, and does not flicker between polls. */
static void test_rows_since_the_previous_poll(void **state)
{
	(void)state;
	struct slow_queries_baseline b;
	slow_queries_baseline_init(&b);
	struct slow_query_status sq;

	/* the first poll only takes the baseline */
	poll_rows("SELECT pg_sleep($1)\t3\t3600\t1200\t10:1\t0\n"
	          "UPDATE t SET x = $1 WHERE id = $2\t1\t5000\t5000\t10:2\t4\n",
	          &b, 10000, &sq);
	assert_int_equal(sq.check.state, CHECK_OK);
	assert_int_equal(sq.span, SLOW_SPAN_BASELINE);
	assert_int_equal(sq.count, 0);
	assert_true(b.older.valid);
	assert_int_equal(b.older.count, 2);

	/* two more sleeps; the UPDATE ran 100 fast calls since */
	poll_rows("SELECT pg_sleep($1)\t5\t6000\t1200\t10:1\t0\n"
	          "UPDATE t SET x = $1 WHERE id = $2\t101\t5100\t50.5\t10:2\t404\n",
	          &b, 12000, &sq);
	assert_int_equal(sq.span, SLOW_SPAN_WINDOW);
	assert_int_equal(sq.span_ms, 2000);
	assert_int_equal(sq.count, 1);
	assert_string_equal(sq.items[0].query, "SELECT pg_sleep($1)");
	assert_int_equal(sq.items[0].calls, 2);
	assert_float_equal(sq.items[0].total_ms, 2400, 1e-9);
	assert_float_equal(sq.items[0].mean_ms, 1200, 1e-9);
	assert_float_equal(sq.items[0].blocks_per_call, 0, 1e-9);

	/* the statement stopped: listed on while the older baseline predates
	 * it, then the warning clears */
	static const char *const same =
	    "SELECT pg_sleep($1)\t5\t6000\t1200\t10:1\t0\n"
	    "UPDATE t SET x = $1 WHERE id = $2\t101\t5100\t50.5\t10:2\t404\n";
	const int64_t listed_at[] = {14000, 10000 + SLOW_QUERIES_WINDOW_MS,
	                             10000 + 2 * SLOW_QUERIES_WINDOW_MS};
	for (size_t t = 0; t < sizeof(listed_at) / sizeof(listed_at[0]); t++) {
		poll_rows(same, &b, listed_at[t], &sq);
		assert_int_equal(sq.count, 1);
		assert_int_equal(sq.span_ms, listed_at[t] - 10000);
	}
	poll_rows(same, &b, 12000 + 2 * SLOW_QUERIES_WINDOW_MS, &sq);
	assert_int_equal(sq.span, SLOW_SPAN_WINDOW);
	assert_int_equal(sq.span_ms, 2000 + SLOW_QUERIES_WINDOW_MS);
	assert_int_equal(sq.count, 0);

	/* a reset (counters went back) and a statement new to the baseline
	 * count from zero; buffers per call over the span */
	poll_rows("SELECT pg_sleep($1)\t1\t1500\t1500\t10:1\t0\n"
	          "SELECT * FROM big WHERE note LIKE $1\t2\t4000\t2000\t10:3\t90000\n",
	          &b, 14000 + 2 * SLOW_QUERIES_WINDOW_MS, &sq);
	assert_int_equal(sq.count, 2);
	assert_string_equal(sq.items[0].query, "SELECT * FROM big WHERE note LIKE $1");
	assert_float_equal(sq.items[0].blocks_per_call, 45000, 1e-9);
	assert_int_equal(sq.items[1].calls, 1);
	assert_float_equal(sq.items[1].mean_ms, 1500, 1e-9);
}

/* One-shot verbs read the whole view, and say so. */
static void test_rows_without_a_baseline_since_reset(void **state)
{
	(void)state;
	struct slow_query_status sq;
	poll_rows("SELECT pg_sleep($1)\t3\t3600\t1200\t10:1\t0\n"
	          "SELECT 1\t1000\t1100\t1.1\t10:4\t0\n",
	          NULL, 10000, &sq);
	assert_int_equal(sq.span, SLOW_SPAN_SINCE_RESET);
	assert_int_equal(sq.span_ms, 0);
	assert_int_equal(sq.count, 1);
	assert_int_equal(sq.items[0].calls, 3);
}

/* A malformed reply leaves the baseline as it was. */
static void test_rows_malformed_keeps_the_baseline(void **state)
{
	(void)state;
	struct slow_queries_baseline b;
	slow_queries_baseline_init(&b);
	struct slow_query_status sq;
	poll_rows("SELECT pg_sleep($1)\t3\t3600\t1200\t10:1\t0\n", &b, 10000, &sq);
	struct rows r;
	rows_parse(&r, "SELECT pg_sleep($1)\tx\t3600\t1200\t10:1\t0\n", SLOW_COL_COUNT);
	struct slow_queries_catalog cat;
	catalog_of(&cat, "app");
	char err[128] = "";
	assert_int_equal(
	    slow_queries_parse(r.values, r.count, &cat, &b, 12000, &sq, err, sizeof(err)), -1);
	rows_free(&r);
	assert_int_equal(b.older.taken_ms, 10000);
	assert_int_equal(b.older.rows[0].calls, 3);
}

/* No row above the threshold: OK with an empty list. */
static void test_rows_none(void **state)
{
	(void)state;
	struct slow_queries_catalog cat;
	catalog_of(&cat, "app");
	struct slow_query_status sq;
	slow_queries_reset(&sq, 1000);
	char err[128] = "";
	assert_int_equal(slow_queries_parse(NULL, 0, &cat, NULL, 0, &sq, err, sizeof(err)), 0);
	assert_int_equal(sq.check.state, CHECK_OK);
	assert_int_equal(sq.count, 0);
	assert_int_equal(sq.problem, SLOW_QUERY_OK);
}

static void test_rows_malformed(void **state)
{
	(void)state;
	static const struct {
		const char *rows, *message;
	} cases[] = {
	    {"SELECT 1\tx\t1\t1\tk\t0\n", "bad calls value \"x\""},
	    {"SELECT 1\t-1\t1\t1\tk\t0\n", "bad calls value \"-1\""},
	    {"SELECT 1\t\\N\t1\t1\tk\t0\n", "bad calls value \"NULL\""},
	    {"SELECT 1\t1\tInfinity\t1\tk\t0\n", "bad total time value \"Infinity\""},
	    {"SELECT 1\t1\t1\t\\N\tk\t0\n", "bad mean time value \"NULL\""},
	    {"SELECT 1\t1\t1\t1\tk\t0\nSELECT 2\t1\t1\t-0.5\tk\t0\n",
	     "bad mean time value \"-0.5\""},
	    {"SELECT 1\t1\t1\t1\tk\t-3\n", "bad blocks value \"-3\""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rows r;
		rows_parse(&r, cases[i].rows, SLOW_COL_COUNT);
		struct slow_queries_catalog cat;
		catalog_of(&cat, "app");
		struct slow_query_status sq;
		slow_queries_reset(&sq, 1000);
		char err[128] = "";
		assert_int_equal(
		    slow_queries_parse(r.values, r.count, &cat, NULL, 0, &sq, err, sizeof(err)),
		    -1);
		assert_string_equal(err, cases[i].message);
		assert_int_equal(sq.count, 0);
		assert_int_equal(sq.check.state, CHECK_PENDING);
		rows_free(&r);
	}
}

/* ---------------------------------------------------------------- errors */

static void test_describe_error(void **state)
{
	(void)state;
	struct slow_query_status sq;

	slow_queries_reset(&sq, 1000);
	slow_queries_describe_error(
	    "55000", "pg_stat_statements must be loaded via shared_preload_libraries", &sq);
	assert_int_equal(sq.problem, SLOW_QUERY_NOT_PRELOADED);
	assert_int_equal(sq.check.state, CHECK_UNHEALTHY);
	assert_string_equal(sq.check.error,
	                    "pg_stat_statements is installed but not loaded: add it to "
	                    "shared_preload_libraries in postgresql.conf and restart PostgreSQL");

	/* another 55000 is not this */
	slow_queries_reset(&sq, 1000);
	slow_queries_describe_error("55000", "object not in prerequisite state", &sq);
	assert_int_equal(sq.problem, SLOW_QUERY_FAILED);
	assert_string_equal(sq.check.error, "pg_stat_statements: object not in prerequisite state");

	slow_queries_reset(&sq, 1000);
	slow_queries_describe_error("42501", "permission denied for view pg_stat_statements", &sq);
	assert_int_equal(sq.problem, SLOW_QUERY_FAILED);
	assert_string_equal(sq.check.error,
	                    "pg_stat_statements not readable: permission denied for view "
	                    "pg_stat_statements (GRANT pg_read_all_stats to this role)");

	slow_queries_reset(&sq, 1000);
	slow_queries_describe_error("", "timed out after 3.0 s waiting for a reply", &sq);
	assert_int_equal(sq.problem, SLOW_QUERY_FAILED);
	assert_string_equal(sq.check.error,
	                    "pg_stat_statements: timed out after 3.0 s waiting for a reply");

	slow_queries_reset(&sq, 1000);
	slow_queries_describe_error(NULL, "bad \x1b[31mthing\x07", &sq);
	assert_string_equal(sq.check.error, "pg_stat_statements: bad ?[31mthing?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_columns_pg15),
	    cmocka_unit_test(test_columns_pg12),
	    cmocka_unit_test(test_columns_odd),
	    cmocka_unit_test(test_catalog_pg15),
	    cmocka_unit_test(test_catalog_pg12),
	    cmocka_unit_test(test_catalog_not_installed),
	    cmocka_unit_test(test_catalog_malformed),
	    cmocka_unit_test(test_catalog_sql_shape),
	    cmocka_unit_test(test_sql),
	    cmocka_unit_test(test_params),
	    cmocka_unit_test(test_rows_pg15),
	    cmocka_unit_test(test_rows_crafted),
	    cmocka_unit_test(test_rows_hidden_role_quoted),
	    cmocka_unit_test(test_rows_limits),
	    cmocka_unit_test(test_rows_none),
	    cmocka_unit_test(test_rows_since_the_previous_poll),
	    cmocka_unit_test(test_rows_without_a_baseline_since_reset),
	    cmocka_unit_test(test_rows_malformed_keeps_the_baseline),
	    cmocka_unit_test(test_rows_malformed),
	    cmocka_unit_test(test_describe_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
