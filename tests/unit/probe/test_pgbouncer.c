/* Unit tests for probe/pgbouncer.c: SHOW POOLS and SHOW STATS as PgBouncer
 * sends them (columns by name, the admin console left out), the top-N cap
 * and its order, sanitising, and bad replies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "probe/pgbouncer.h"

/* SHOW POOLS of PgBouncer 1.18 (more columns than are read). */
static const char *const POOL_COLS[] = {
    "database",  "user",       "cl_active", "cl_waiting", "cl_active_cancel_req",
    "sv_active", "sv_idle",    "sv_used",   "sv_tested",  "sv_login",
    "maxwait",   "maxwait_us", "pool_mode"};
#define NCOLS 13

static const char *const POOL_ROWS[] = {
    "pgbouncer", "pgbouncer", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0",      "statement",
    "shop",      "report",    "2", "0", "0", "2", "1", "0", "0", "0", "0", "0",      "transaction",
    "shop",      "app",       "1", "3", "0", "1", "0", "0", "0", "0", "7", "250000", "transaction"};

static const char *const STAT_COLS[] = {"database", "total_xact_count", "avg_wait_time"};
static const char *const STAT_ROWS[] = {"pgbouncer", "1", "0", "shop", "40", "1200"};

static void reads_pools_and_stats(void **state)
{
	(void)state;
	struct pgbouncer_table pools = {3, NCOLS, POOL_COLS, POOL_ROWS};
	struct pgbouncer_table stats = {2, 3, STAT_COLS, STAT_ROWS};
	struct pgbouncer_status s;
	char err[256] = "";
	pgbouncer_reset(&s);
	assert_int_equal(pgbouncer_parse(&pools, &stats, &s, err, sizeof(err)), 0);
	assert_int_equal(s.pool_total, 2); /* not the admin console */
	assert_int_equal(s.pool_count, 2);
	/* the pool with waiting clients first */
	assert_string_equal(s.pools[0].database, "shop");
	assert_string_equal(s.pools[0].user, "app");
	assert_string_equal(s.pools[0].mode, "transaction");
	assert_int_equal(s.pools[0].cl_waiting, 3);
	assert_int_equal(s.pools[0].sv_active, 1);
	assert_int_equal(s.pools[0].maxwait_us, 7250000);
	assert_int_equal(s.pools[0].avg_wait_us, 1200);
	assert_string_equal(s.pools[1].user, "report");
	assert_int_equal(s.pools[1].sv_idle, 1);
	assert_int_equal(s.cl_waiting, 3);
	assert_int_equal(s.cl_active, 3);
	assert_int_equal(s.sv_active, 3);
	assert_int_equal(s.maxwait_us, 7250000);
	char name[160];
	pgbouncer_pool_name(&s.pools[0], name, sizeof(name));
	assert_string_equal(name, "shop/app");
}

/* An older PgBouncer: no maxwait_us, no pool_mode, no SHOW STATS. */
static void reads_an_older_reply(void **state)
{
	(void)state;
	static const char *const cols[] = {"database",  "user",    "cl_active", "cl_waiting",
	                                   "sv_active", "sv_idle", "maxwait"};
	static const char *const rows[] = {"shop", "app", "4", "1", "2", "0", "3"};
	struct pgbouncer_table pools = {1, 7, cols, rows};
	struct pgbouncer_status s;
	char err[256] = "";
	pgbouncer_reset(&s);
	assert_int_equal(pgbouncer_parse(&pools, NULL, &s, err, sizeof(err)), 0);
	assert_int_equal(s.pool_count, 1);
	assert_int_equal(s.pools[0].maxwait_us, 3000000);
	assert_int_equal(s.pools[0].avg_wait_us, -1);
	assert_string_equal(s.pools[0].mode, "");
}

/* More pools than kept: the most waiting ones stay, the totals count all;
 * names are sanitised. */
static void caps_and_sanitises(void **state)
{
	(void)state;
	enum { N = PGBOUNCER_POOLS + 4 };
	static const char *const cols[] = {"database",  "user",    "cl_active", "cl_waiting",
	                                   "sv_active", "sv_idle", "maxwait"};
	static char text[N][3][32];
	static const char *rows[N * 7];
	for (int i = 0; i < N; i++) {
		snprintf(text[i][0], sizeof(text[i][0]), i == 0 ? "db\x1b[31m" : "db%d", i);
		snprintf(text[i][1], sizeof(text[i][1]), "%d", i); /* waiting: i */
		const char *r[7] = {text[i][0], "u", "1", text[i][1], "1", "0", "0"};
		memcpy(&rows[i * 7], r, sizeof(r));
	}
	struct pgbouncer_table pools = {N, 7, cols, rows};
	struct pgbouncer_status s;
	char err[256] = "";
	pgbouncer_reset(&s);
	assert_int_equal(pgbouncer_parse(&pools, NULL, &s, err, sizeof(err)), 0);
	assert_int_equal(s.pool_total, N);
	assert_int_equal(s.pool_count, PGBOUNCER_POOLS);
	for (int i = 0; i < PGBOUNCER_POOLS; i++)
		assert_int_equal(s.pools[i].cl_waiting, N - 1 - i);
	assert_int_equal(s.cl_waiting, N * (N - 1) / 2);
	/* the pool with the escape sequence waits least: check it uncapped */
	struct pgbouncer_table one = {1, 7, cols, rows};
	assert_int_equal(pgbouncer_parse(&one, NULL, &s, err, sizeof(err)), 0);
	assert_null(strchr(s.pools[0].database, '\x1b'));
}

static void refuses_bad_replies(void **state)
{
	(void)state;
	static const char *const cols[] = {"database",  "user",    "cl_active", "cl_waiting",
	                                   "sv_active", "sv_idle", "maxwait"};
	static const char *const rows[] = {"shop", "app", "1", "many", "1", "0", "0"};
	struct pgbouncer_table pools = {1, 7, cols, rows};
	struct pgbouncer_status s;
	char err[256] = "";
	pgbouncer_reset(&s);
	assert_int_equal(pgbouncer_parse(&pools, NULL, &s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cl_waiting"));
	struct pgbouncer_table no_wait = {1, 6, cols, rows};
	assert_int_equal(pgbouncer_parse(&no_wait, NULL, &s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no maxwait column"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reads_pools_and_stats),
	    cmocka_unit_test(reads_an_older_reply),
	    cmocka_unit_test(caps_and_sanitises),
	    cmocka_unit_test(refuses_bad_replies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
