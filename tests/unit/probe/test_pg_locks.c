/* Unit tests for probe/pg_locks.c: the rows of the locks query into a
 * lock_status (summary, sessions, running queries), hidden sessions,
 * sanitising, bounds and malformed values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "probe/pg_locks.h"

#define ROWS 48
static const char *cells[ROWS * PG_LOCKS_COL_COUNT];
static int rows;

static const char **row(const char *kind, const char *pid)
{
	const char **r = &cells[rows++ * PG_LOCKS_COL_COUNT];
	for (int i = 0; i < PG_LOCKS_COL_COUNT; i++)
		r[i] = NULL;
	r[PG_LOCKS_COL_KIND] = kind;
	r[PG_LOCKS_COL_PID] = pid;
	return r;
}

static void summary(const char *hidden, const char *super, const char *sees_all)
{
	const char **r = row("S", "77");
	r[PG_LOCKS_COL_USER] = "app";
	r[PG_LOCKS_COL_XACT_AGE_S] = hidden;
	r[PG_LOCKS_COL_QUERY_AGE_S] = "4";
	r[PG_LOCKS_COL_SUPERUSER] = super;
	r[PG_LOCKS_COL_BLOCKED_BY] = sees_all;
}

static const char **session(const char *pid, const char *state, const char *blocked_by,
                            const char *query)
{
	const char **r = row("L", pid);
	r[PG_LOCKS_COL_APP] = "worker";
	r[PG_LOCKS_COL_USER] = "app";
	r[PG_LOCKS_COL_CLIENT] = "10.0.0.5";
	r[PG_LOCKS_COL_STATE] = state;
	r[PG_LOCKS_COL_BACKEND_TYPE] = "client backend";
	r[PG_LOCKS_COL_BACKEND_START_US] = "1796381351742596";
	r[PG_LOCKS_COL_XACT_AGE_S] = "192.5";
	r[PG_LOCKS_COL_QUERY_AGE_S] = "10";
	r[PG_LOCKS_COL_WAIT_AGE_S] = blocked_by ? "47" : NULL;
	r[PG_LOCKS_COL_QUERY] = query;
	r[PG_LOCKS_COL_SUPERUSER] = "false";
	r[PG_LOCKS_COL_BLOCKED_BY] = blocked_by;
	return r;
}

static int setup(void **state)
{
	rows = 0;
	return 0;
}

static void test_chain_and_running(void **state)
{
	struct lock_status l;
	char err[256] = "";
	summary("2", "false", "false");
	session("4242", "idle in transaction", NULL, "UPDATE t SET v = 1\n\tWHERE id = 1");
	session("100", "active", "4242", "UPDATE t SET v = 2 WHERE id = 1");
	session("101", "active", "100 4242", "<insufficient privilege>");
	const char **q = row("R", "100");
	q[PG_LOCKS_COL_QUERY_AGE_S] = "47.5";
	q[PG_LOCKS_COL_WAIT_EVENT] = "transactionid";
	q[PG_LOCKS_COL_QUERY] = "SELECT \x1b[31mred";
	assert_int_equal(pg_locks_parse(cells, rows, &l, err, sizeof(err)), 0);
	assert_true(l.probed);
	assert_int_equal(l.own_pid, 77);
	assert_int_equal(l.hidden, 2);
	assert_false(l.role_sees_all);
	assert_int_equal(l.deadlocks_total, 4);
	assert_string_equal(l.role, "app");
	assert_int_equal(l.session_count, 3);
	assert_int_equal(l.root_count, 1);
	assert_int_equal(l.roots[0].pid, 4242);
	assert_int_equal(l.roots[0].waiters_total, 2);
	assert_int_equal(l.sessions[0].backend_start_us, 1796381351742596LL);
	assert_string_equal(l.sessions[0].query, "UPDATE t SET v = 1 WHERE id = 1");
	assert_true(l.sessions[0].wait_age_s < 0);
	assert_true(l.sessions[2].hidden);
	assert_string_equal(l.sessions[2].query, "");
	assert_int_equal(l.sessions[2].blocked_by_count, 2);
	assert_int_equal(l.running_count, 1);
	assert_true(l.running[0].duration_s == 47.5);
	assert_null(strchr(l.running[0].query, '\x1b'));
	assert_string_equal(l.running[0].wait_event, "transactionid");
}

static void test_truncated(void **state)
{
	struct lock_status l;
	char err[256] = "";
	summary("0", "true", "true");
	char pids[LOCKS_MAX_SESSIONS + 1][16];
	for (int i = 0; i <= LOCKS_MAX_SESSIONS; i++) {
		snprintf(pids[i], sizeof(pids[i]), "%d", 500 + i);
		session(pids[i], "active", i ? "500" : NULL, "x");
	}
	assert_int_equal(pg_locks_parse(cells, rows, &l, err, sizeof(err)), 0);
	assert_int_equal(l.session_count, LOCKS_MAX_SESSIONS);
	assert_true(l.sessions_truncated);
	assert_true(l.role_superuser);
	assert_int_equal(l.roots[0].waiters_total, LOCKS_MAX_SESSIONS - 1);
}

static void test_malformed(void **state)
{
	struct lock_status l;
	char err[256] = "";
	summary("0", "false", "false");
	session("12", "active", "5 x", "q");
	assert_int_equal(pg_locks_parse(cells, rows, &l, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "blocking pid list"));
	assert_false(l.probed);

	rows = 0;
	summary("0", "false", "false");
	session("-3", "active", NULL, "q");
	assert_int_equal(pg_locks_parse(cells, rows, &l, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "pid"));

	rows = 0;
	row("Z", "1");
	assert_int_equal(pg_locks_parse(cells, rows, &l, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "row kind"));
}

static void test_sql_by_version(void **state)
{
	assert_non_null(strstr(pg_locks_sql(150000), "waitstart FROM pg_locks"));
	assert_null(strstr(pg_locks_sql(130000), "FROM pg_locks"));
	assert_non_null(strstr(pg_locks_sql(130000), "pg_blocking_pids"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_chain_and_running, setup),
	    cmocka_unit_test_setup(test_truncated, setup),
	    cmocka_unit_test_setup(test_malformed, setup),
	    cmocka_unit_test_setup(test_sql_by_version, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
