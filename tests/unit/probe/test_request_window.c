/* test_request_window.c - the request-log window kept between polls:
 * applying replies, dropping and replacing minutes, and the figures, whose
 * expected values were computed by PostgreSQL 15 (percentile_cont,
 * avg(...)::float8) on the same rows with psql (each case says how). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/snapshot.h"
#include "probe/request_log.h"
#include "probe/request_window.h"

#define MINUTE 60000
#define HOUR   3600000
/* Mid-minute, as a poll's now() is. */
#define NOW_MS        (1800000000000LL + 30500)
#define NOW_MINUTE    (NOW_MS / MINUTE)
#define OLDEST_MINUTE ((NOW_MS - HOUR) / MINUTE)

/* One request as the table holds it. */
struct raw {
	int64_t minute, duration;
	int status;
};

/* A reply of the window query for these requests: one row per (minute,
 * duration), then the now() row. The cells are allocated; reply_free. */
struct reply {
	char **cells;
	int rows;
};

static char *num(int64_t v)
{
	char *s = malloc(24);
	snprintf(s, 24, "%lld", (long long)v);
	return s;
}

static void reply_build(struct reply *r, const struct raw *raw, int n, int64_t now_ms)
{
	r->cells = calloc((size_t)(n + 1) * REQUEST_WINDOW_COL_COUNT, sizeof(char *));
	r->rows = 0;
	bool *used = calloc((size_t)(n > 0 ? n : 1), sizeof(bool));
	for (int i = 0; i < n; i++) {
		if (used[i])
			continue;
		int64_t count = 0, errors = 0;
		for (int j = i; j < n; j++)
			if (!used[j] && raw[j].minute == raw[i].minute &&
			    raw[j].duration == raw[i].duration) {
				used[j] = true;
				count++;
				errors += raw[j].status >= 500;
			}
		char **row = r->cells + (size_t)r->rows++ * REQUEST_WINDOW_COL_COUNT;
		row[REQUEST_WINDOW_COL_MINUTE] = num(raw[i].minute);
		row[REQUEST_WINDOW_COL_DURATION] = num(raw[i].duration);
		row[REQUEST_WINDOW_COL_REQUESTS] = num(count);
		row[REQUEST_WINDOW_COL_ERRORS] = num(errors);
	}
	char **row = r->cells + (size_t)r->rows++ * REQUEST_WINDOW_COL_COUNT;
	row[REQUEST_WINDOW_COL_NOW_MS] = num(now_ms);
	free(used);
}

static void reply_free(struct reply *r)
{
	for (int i = 0; i < r->rows * REQUEST_WINDOW_COL_COUNT; i++)
		free(r->cells[i]);
	free(r->cells);
}

/* Applies raw as the reply to a poll asking from since_ms at now_ms. */
static int apply(struct request_window *w, const struct raw *raw, int n, int64_t now_ms,
                 int64_t since_ms)
{
	struct reply r;
	char err[256] = "";
	reply_build(&r, raw, n, now_ms);
	int rc = request_window_apply(w, HOUR, since_ms, (const char *const *)r.cells, r.rows, err,
	                              sizeof(err));
	reply_free(&r);
	return rc;
}

static void metrics(const struct request_window *w, struct request_metrics *m)
{
	struct request_log_plan plan;
	request_log_plan(HOUR, &plan);
	request_log_reset(m, "RequestLog", &plan, 0);
	request_window_metrics(w, &plan, m);
}

/* ------------------------------------------------------------- figures */

static void test_empty(void **state)
{
	(void)state;
	struct request_window w;
	struct request_metrics m;
	request_window_init(&w);
	assert_int_equal(request_window_since(&w), 0);
	assert_int_equal(apply(&w, NULL, 0, NOW_MS, 0), 0);
	metrics(&w, &m);
	assert_int_equal(m.check.state, CHECK_OK);
	assert_int_equal(m.requests, 0);
	assert_int_equal(m.errors, 0);
	assert_true(m.error_rate == -1 && m.avg_ms == -1 && m.p95_ms == -1 && m.p99_ms == -1);
	assert_int_equal(m.bucket_count, 60);
	assert_int_equal(m.bucket_width_ms, MINUTE);
	for (int k = 0; k < 60; k++) {
		assert_int_equal(m.buckets[k].requests, 0);
		assert_true(m.buckets[k].avg_ms == -1);
	}
	/* The buckets end at the end of now()'s minute. */
	assert_int_equal(m.buckets[59].start_ms, NOW_MINUTE * MINUTE);
	assert_int_equal(m.buckets[0].start_ms, (NOW_MINUTE - 59) * MINUTE);
	request_window_free(&w);
}

/* psql: SELECT avg(d)::float8, percentile_cont(0.95) ..., (0.99) ...
 * FROM (VALUES (42)) v(d) -> 42 | 42 | 42 */
static void test_single_row(void **state)
{
	(void)state;
	struct request_window w;
	struct request_metrics m;
	const struct raw raw[] = {{NOW_MINUTE, 42, 502}};
	request_window_init(&w);
	assert_int_equal(apply(&w, raw, 1, NOW_MS, 0), 0);
	metrics(&w, &m);
	assert_int_equal(m.requests, 1);
	assert_int_equal(m.errors, 1);
	assert_true(m.error_rate == 1.0);
	assert_true(m.avg_ms == 42 && m.p95_ms == 42 && m.p99_ms == 42);
	assert_int_equal(m.buckets[59].requests, 1);
	assert_int_equal(m.buckets[59].errors, 1);
	assert_true(m.buckets[59].avg_ms == 42);
	request_window_free(&w);
}

/* psql: ... FROM (VALUES (5),(5),(5),(7),(7),(100)) v(d)
 * -> 21.5 | 76.75 | 95.35000000000002; and (3),(1) -> 2 | 2.9 | 2.98 */
static void test_ties(void **state)
{
	(void)state;
	struct request_window w;
	struct request_metrics m;
	const struct raw raw[] = {{NOW_MINUTE - 3, 5, 200}, {NOW_MINUTE - 3, 100, 200},
	                          {NOW_MINUTE - 2, 5, 200}, {NOW_MINUTE - 2, 7, 200},
	                          {NOW_MINUTE, 7, 200},     {NOW_MINUTE, 5, 404}};
	request_window_init(&w);
	assert_int_equal(apply(&w, raw, 6, NOW_MS, 0), 0);
	metrics(&w, &m);
	assert_int_equal(m.requests, 6);
	assert_int_equal(m.errors, 0);
	assert_true(m.error_rate == 0);
	assert_true(m.avg_ms == 21.5);
	assert_true(m.p95_ms == 76.75);
	assert_true(m.p99_ms == 95.35000000000002);
	assert_int_equal(m.buckets[56].requests, 2);
	assert_true(m.buckets[56].avg_ms == 52.5);
	assert_int_equal(m.buckets[57].requests, 2);
	assert_int_equal(m.buckets[58].requests, 0);
	assert_true(m.buckets[58].avg_ms == -1);

	const struct raw two[] = {{NOW_MINUTE - 10, 3, 200}, {NOW_MINUTE, 1, 200}};
	assert_int_equal(apply(&w, two, 2, NOW_MS, 0), 0);
	metrics(&w, &m);
	assert_int_equal(m.requests, 2);
	assert_true(m.avg_ms == 2 && m.p95_ms == 2.9 && m.p99_ms == 2.98);
	request_window_free(&w);
}

/* 997 requests over the 61 minutes the window touches:
 * psql: WITH c AS (SELECT g, (g * 37) % 211 AS d, CASE WHEN g % 13 = 0 THEN 503
 * ELSE 200 END AS s FROM generate_series(1, 997) g) SELECT count(*), count(*)
 * FILTER (WHERE s >= 500), avg(d)::float8, percentile_cont(0.95) ...,
 * percentile_cont(0.99) ... FROM c
 * -> 997 | 76 | 105.15346038114343 | 200 | 208.03999999999996 */
#define SPREAD_ROWS 997
static void spread(struct raw *raw)
{
	for (int g = 1; g <= SPREAD_ROWS; g++)
		raw[g - 1] =
		    (struct raw){OLDEST_MINUTE + g % 61, (g * 37) % 211, g % 13 == 0 ? 503 : 200};
}

static void assert_spread(const struct request_metrics *m)
{
	assert_int_equal(m->requests, 997);
	assert_int_equal(m->errors, 76);
	assert_true(fabs(m->avg_ms - 105.15346038114343) < 1e-12);
	assert_true(m->p95_ms == 200);
	assert_true(m->p99_ms == 208.03999999999996);
	int64_t sum = 0, errors = 0;
	for (int k = 0; k < m->bucket_count; k++) {
		sum += m->buckets[k].requests;
		errors += m->buckets[k].errors;
	}
	assert_int_equal(sum, 997);
	assert_int_equal(errors, 76);
}

static void test_spread(void **state)
{
	(void)state;
	struct request_window w;
	struct request_metrics m;
	struct raw raw[SPREAD_ROWS];
	spread(raw);
	request_window_init(&w);
	assert_int_equal(apply(&w, raw, SPREAD_ROWS, NOW_MS, 0), 0);
	assert_int_equal(w.count, 61);
	metrics(&w, &m);
	assert_spread(&m);
	/* The oldest minute (before the first bucket) counts in the first. */
	int64_t oldest = 0, first = 0;
	for (int i = 0; i < SPREAD_ROWS; i++) {
		oldest += raw[i].minute == OLDEST_MINUTE;
		first += raw[i].minute == OLDEST_MINUTE + 1;
	}
	assert_int_equal(m.buckets[0].requests, oldest + first);
	request_window_free(&w);
}

/* ------------------------------------------------------------- polls */

/* The same requests, fetched as a first poll of part of them and a second
 * poll of the recent minutes: the figures of one whole reply. */
static void test_incremental_equals_whole(void **state)
{
	(void)state;
	struct request_window inc, whole;
	struct request_metrics a, b;
	struct raw raw[SPREAD_ROWS + 4];
	spread(raw);
	request_window_init(&inc);
	request_window_init(&whole);

	/* First poll, 90 s earlier: the window then started at minute
	 * OLDEST - 1 (dropped since), and the last two minutes held less. */
	int64_t first_now = NOW_MS - 90000;
	struct raw early[SPREAD_ROWS + 1];
	int n = 0;
	early[n++] = (struct raw){OLDEST_MINUTE - 1, 999, 500}; /* leaves the window */
	for (int i = 0; i < SPREAD_ROWS; i++)
		if (raw[i].minute <= (first_now / MINUTE) - 1)
			early[n++] = raw[i];
	assert_int_equal(apply(&inc, early, n, first_now, 0), 0);
	int64_t since = request_window_since(&inc);
	assert_int_equal(since, ((first_now / MINUTE) - 1) * MINUTE);

	/* Second poll: rows since `since` (the minute before first_now's and
	 * on), plus the oldest minute again. */
	struct raw recent[SPREAD_ROWS];
	int r = 0;
	for (int i = 0; i < SPREAD_ROWS; i++)
		if (raw[i].minute >= since / MINUTE || raw[i].minute == OLDEST_MINUTE)
			recent[r++] = raw[i];
	assert_int_equal(apply(&inc, recent, r, NOW_MS, since), 0);
	assert_true(r < SPREAD_ROWS / 10);
	metrics(&inc, &a);
	assert_spread(&a);

	assert_int_equal(apply(&whole, raw, SPREAD_ROWS, NOW_MS, 0), 0);
	metrics(&whole, &b);
	assert_memory_equal(&a, &b, sizeof(a));

	/* A minute refetched with fewer rows (deleted) is replaced wholly; a
	 * kept minute is not touched. */
	struct raw one[] = {{NOW_MINUTE, 1, 200}};
	assert_int_equal(apply(&inc, one, 1, NOW_MS + 1000, request_window_since(&inc)), 0);
	metrics(&inc, &a);
	int64_t kept = 0;
	for (int i = 0; i < SPREAD_ROWS; i++)
		kept += raw[i].minute < NOW_MINUTE - 1 && raw[i].minute > OLDEST_MINUTE;
	assert_int_equal(a.requests, kept + 1);

	/* A poll after more than the window: everything is replaced. */
	assert_int_equal(apply(&inc, one, 0, NOW_MS + 2 * HOUR, request_window_since(&inc)), 0);
	metrics(&inc, &a);
	assert_int_equal(a.requests, 0);
	assert_int_equal(inc.count, 0);
	request_window_free(&inc);
	request_window_free(&whole);
}

static void test_prepare(void **state)
{
	(void)state;
	struct request_window w;
	const struct raw raw[] = {{NOW_MINUTE, 42, 200}};
	request_window_init(&w);
	request_window_prepare(&w, "RequestLog", HOUR);
	assert_int_equal(apply(&w, raw, 1, NOW_MS, 0), 0);
	request_window_prepare(&w, "RequestLog", HOUR);
	assert_true(w.primed);
	assert_int_equal(w.count, 1);
	request_window_prepare(&w, "Other", HOUR);
	assert_false(w.primed);
	assert_int_equal(w.count, 0);
	assert_int_equal(request_window_since(&w), 0);
	request_window_free(&w);
}

static void test_malformed(void **state)
{
	(void)state;
	struct request_window w;
	char err[256];
	const struct raw raw[] = {{NOW_MINUTE, 42, 200}};
	request_window_init(&w);
	assert_int_equal(apply(&w, raw, 1, NOW_MS, 0), 0);

	static const char *const cases[][REQUEST_WINDOW_COL_COUNT * 2] = {
	    /* no now() row */
	    {"28000000", "5", "1", "0", NULL, "28000000", "6", "1", "0", NULL},
	    /* two now() rows */
	    {NULL, NULL, NULL, NULL, "1800000030500", NULL, NULL, NULL, NULL, "1800000030500"},
	    /* more errors than requests */
	    {"30000000", "5", "1", "2", NULL, NULL, NULL, NULL, NULL, "1800000030500"},
	    /* a repeated (minute, duration) */
	    {"30000000", "5", "1", "0", NULL, "30000000", "5", "1", "0", NULL},
	    /* a minute before the window */
	    {"29939000", "5", "1", "0", NULL, NULL, NULL, NULL, NULL, "1800000030500"},
	    /* not a number */
	    {"30000000", "x", "1", "0", NULL, NULL, NULL, NULL, NULL, "1800000030500"},
	    /* a negative duration */
	    {"30000000", "-1", "1", "0", NULL, NULL, NULL, NULL, NULL, "1800000030500"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		assert_int_equal(request_window_apply(&w, HOUR, 0, cases[i], 2, err, sizeof(err)),
		                 -1);
		assert_true(err[0] != '\0');
		assert_true(w.primed);
		assert_int_equal(w.count, 1);
		assert_int_equal(w.now_ms, NOW_MS);
	}
	/* The repeated row, with a now() row: caught too. */
	const char *const dup[] = {"30000000", "5",  "1",  "0",  NULL,
	                           "30000000", "5",  "1",  "0",  NULL,
	                           NULL,       NULL, NULL, NULL, "1800000030500"};
	assert_int_equal(request_window_apply(&w, HOUR, 0, dup, 3, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "twice"));
	request_window_free(&w);
}

/* ------------------------------------------------------------- SQL */

static void test_window_sql(void **state)
{
	(void)state;
	const struct request_log_names prisma = {"\"RequestLog\"", "\"timestamp\"", "\"duration\"",
	                                         "\"statusCode\""};
	char *sql = request_log_window_sql(&prisma);
	assert_non_null(sql);
	assert_true(strncmp(sql, "/* opsdeck */ ", 14) == 0);
	assert_non_null(strstr(sql, "FROM \"RequestLog\""));
	assert_non_null(strstr(sql, "FILTER (WHERE s >= 500)"));
	assert_non_null(strstr(sql, "GROUP BY 1, 2"));
	assert_non_null(strstr(sql, "$1::bigint"));
	assert_non_null(strstr(sql, "$2::bigint"));
	free(sql);
	const struct request_log_names bad = {"RequestLog; DROP", "\"timestamp\"", "\"duration\"",
	                                      "\"statusCode\""};
	assert_null(request_log_window_sql(&bad));

	char params[REQUEST_LOG_WINDOW_PARAM_COUNT][REQUEST_LOG_PARAM_SIZE];
	request_log_window_params(HOUR, 1800000000000LL, params);
	assert_string_equal(params[0], "3600000");
	assert_string_equal(params[1], "1800000000000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_single_row),
	    cmocka_unit_test(test_ties),
	    cmocka_unit_test(test_spread),
	    cmocka_unit_test(test_incremental_equals_whole),
	    cmocka_unit_test(test_prepare),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_window_sql),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
