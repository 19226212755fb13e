/* test_pg_parse.c - pg_activity_parse on rows as libpq returns them (text
 * or NULL per column), including malformed ones, and a sanity check of the
 * query text itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "model/snapshot.h"
#include "probe/pg_parse.h"

/* A row as PostgreSQL 15 returns it for a busy server. */
static void fill_row(const char *values[PG_COL_COUNT])
{
	values[PG_COL_TOTAL] = "12";
	values[PG_COL_ACTIVE] = "3";
	values[PG_COL_IDLE] = "6";
	values[PG_COL_IDLE_IN_TX] = "2";
	values[PG_COL_OTHER] = "1";
	values[PG_COL_LONGEST_IDLE_IN_TX_S] = "312.456789";
	values[PG_COL_LONGEST_QUERY_S] = "4.5e-05";
	values[PG_COL_LOCK_WAITERS] = "1";
	values[PG_COL_MAX_CONNECTIONS] = "100";
	values[PG_COL_SERVER_VERSION] = "15.18 (Debian 15.18-1.pgdg120+1)";
	values[PG_COL_SERVER_VERSION_NUM] = "150018";
}

static void test_full_row(void **state)
{
	(void)state;
	const char *values[PG_COL_COUNT];
	fill_row(values);
	struct pg_status p;
	memset(&p, 0, sizeof(p));
	char err[128] = "";
	assert_int_equal(pg_activity_parse(values, &p, err, sizeof(err)), 0);
	assert_int_equal(p.connections_total, 12);
	assert_int_equal(p.connections_active, 3);
	assert_int_equal(p.connections_idle, 6);
	assert_int_equal(p.connections_idle_in_tx, 2);
	assert_int_equal(p.connections_other, 1);
	assert_float_equal(p.longest_idle_in_tx_s, 312.456789, 1e-9);
	assert_float_equal(p.longest_query_s, 4.5e-05, 1e-12);
	assert_int_equal(p.lock_waiters, 1);
	assert_int_equal(p.max_connections, 100);
	assert_string_equal(p.server_version, "15.18"); /* packaging suffix dropped */
	assert_int_equal(p.server_version_num, 150018);
	assert_string_equal(err, "");
}

/* NULL (no session in that state, so no maximum) reads as 0. */
static void test_nulls_are_zero(void **state)
{
	(void)state;
	const char *values[PG_COL_COUNT];
	for (int i = 0; i < PG_COL_COUNT; i++)
		values[i] = NULL;
	struct pg_status p;
	memset(&p, 0x5a, sizeof(p)); /* garbage that must be overwritten */
	char err[128];
	assert_int_equal(pg_activity_parse(values, &p, err, sizeof(err)), 0);
	assert_int_equal(p.connections_total, 0);
	assert_int_equal(p.connections_idle_in_tx, 0);
	assert_float_equal(p.longest_idle_in_tx_s, 0, 0);
	assert_float_equal(p.longest_query_s, 0, 0);
	assert_int_equal(p.max_connections, 0);
	assert_string_equal(p.server_version, "");
	assert_int_equal(p.server_version_num, 0);
}

/* One bad value fails the whole row, names the column, and leaves out as
 * it was. */
static void test_bad_numbers(void **state)
{
	(void)state;
	static const struct {
		enum pg_activity_column col;
		const char *value;
		const char *message;
	} cases[] = {
	    {PG_COL_TOTAL, "12x", "bad total value \"12x\""},
	    {PG_COL_ACTIVE, "", "bad active value \"\""},
	    {PG_COL_IDLE, " 6", "bad idle value \" 6\""},
	    {PG_COL_IDLE_IN_TX, "-1", "bad idle in transaction value \"-1\""},
	    {PG_COL_OTHER, "1.0", "bad other value \"1.0\""},
	    {PG_COL_LOCK_WAITERS, "99999999999", "bad lock waiters value \"99999999999\""},
	    {PG_COL_MAX_CONNECTIONS, "100000000000000000000",
	     "bad max_connections value \"100000000000000000000\""},
	    {PG_COL_SERVER_VERSION_NUM, "15.18", "bad server_version_num value \"15.18\""},
	    {PG_COL_LONGEST_IDLE_IN_TX_S, "NaN", "bad longest idle in transaction value \"NaN\""},
	    {PG_COL_LONGEST_IDLE_IN_TX_S, "-3.5", "bad longest idle in transaction value \"-3.5\""},
	    {PG_COL_LONGEST_QUERY_S, "1e999", "bad longest query value \"1e999\""},
	    {PG_COL_LONGEST_QUERY_S, "00:01:02", "bad longest query value \"00:01:02\""},
	    {PG_COL_TOTAL, "1\x1b[2J", "bad total value \"1?[2J\""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *values[PG_COL_COUNT];
		fill_row(values);
		values[cases[i].col] = cases[i].value;
		struct pg_status p;
		memset(&p, 0, sizeof(p));
		p.connections_total = -7;
		char err[128] = "";
		assert_int_equal(pg_activity_parse(values, &p, err, sizeof(err)), -1);
		assert_string_equal(err, cases[i].message);
		assert_int_equal(p.connections_total, -7);
		assert_int_equal(p.max_connections, 0);
	}
}

/* The version string is server data: controls are sanitised, and a long
 * one is cut to the field. */
static void test_server_version_text(void **state)
{
	(void)state;
	const char *values[PG_COL_COUNT];
	fill_row(values);
	struct pg_status p;
	char err[128];

	values[PG_COL_SERVER_VERSION] = "16devel\x1b]0;x\x07";
	assert_int_equal(pg_activity_parse(values, &p, err, sizeof(err)), 0);
	assert_string_equal(p.server_version, "16devel?]0;x?");

	char long_version[300];
	memset(long_version, '9', sizeof(long_version) - 1);
	long_version[sizeof(long_version) - 1] = '\0';
	values[PG_COL_SERVER_VERSION] = long_version;
	assert_int_equal(pg_activity_parse(values, &p, err, sizeof(err)), 0);
	assert_int_equal(strlen(p.server_version), sizeof(p.server_version) - 1);

	values[PG_COL_SERVER_VERSION] = "10.23";
	assert_int_equal(pg_activity_parse(values, &p, err, sizeof(err)), 0);
	assert_string_equal(p.server_version, "10.23");
}

/* The query is one statement over pg_stat_activity, aggregated in SQL, and
 * asks for the columns the parser expects. */
static void test_query_shape(void **state)
{
	(void)state;
	assert_non_null(strstr(PG_ACTIVITY_SQL, "FROM pg_stat_activity"));
	assert_null(strchr(PG_ACTIVITY_SQL, ';'));
	assert_non_null(strstr(PG_ACTIVITY_SQL, "FILTER"));
	assert_non_null(strstr(PG_ACTIVITY_SQL, "pg_backend_pid()"));
	assert_non_null(strstr(PG_ACTIVITY_SQL, "wait_event_type = 'Lock'"));
	assert_non_null(strstr(PG_ACTIVITY_SQL, "current_setting('server_version_num')"));
	size_t commas = 0;
	int depth = 0;
	for (const char *p = PG_ACTIVITY_SQL; *p; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if (*p == ',' && depth == 0)
			commas++;
	}
	assert_int_equal(depth, 0);
	assert_int_equal(commas + 1, PG_COL_COUNT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_full_row),    cmocka_unit_test(test_nulls_are_zero),
	    cmocka_unit_test(test_bad_numbers), cmocka_unit_test(test_server_version_text),
	    cmocka_unit_test(test_query_shape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
