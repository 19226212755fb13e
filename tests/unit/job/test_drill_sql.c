/* test_drill_sql.c - [backup] drill_sql split into queries (quotes, dollar
 * quotes and comments do not split) and judged by their first value. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "job/drill_sql.h"

static void test_split(void **state)
{
	(void)state;
	char *q[DRILL_SQL_MAX];
	char err[128];
	int n = drill_sql_split(" SELECT count(*) > 0 FROM \"User\";SELECT 'a;b' = 'a;b' ; ;\n"
	                        "SELECT $x$;$x$ <> '' -- not; split\n; SELECT \"x;\"\"y\" FROM t",
	                        q, DRILL_SQL_MAX, err, sizeof(err));
	assert_int_equal(n, 4);
	assert_string_equal(q[0], "SELECT count(*) > 0 FROM \"User\"");
	assert_string_equal(q[1], "SELECT 'a;b' = 'a;b'");
	assert_string_equal(q[2], "SELECT $x$;$x$ <> '' -- not; split");
	assert_string_equal(q[3], "SELECT \"x;\"\"y\" FROM t");
	for (int i = 0; i < n; i++)
		free(q[i]);
	assert_int_equal(drill_sql_split("", q, DRILL_SQL_MAX, err, sizeof(err)), 0);
	assert_int_equal(drill_sql_split(NULL, q, DRILL_SQL_MAX, err, sizeof(err)), 0);
	assert_int_equal(drill_sql_split(" ; ;", q, DRILL_SQL_MAX, err, sizeof(err)), 0);
}

static void test_split_refuses(void **state)
{
	(void)state;
	char *q[2];
	char err[128];
	assert_int_equal(drill_sql_split("SELECT 'open", q, 2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "quote"));
	assert_int_equal(drill_sql_split("SELECT $a$ x", q, 2, err, sizeof(err)), -1);
	assert_int_equal(drill_sql_split("SELECT 1; SELECT 2; SELECT 3", q, 2, err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "more than 2"));
}

static void test_passes(void **state)
{
	(void)state;
	assert_true(drill_sql_passes(1, "t"));
	assert_true(drill_sql_passes(3, "42"));
	assert_true(drill_sql_passes(1, ""));
	assert_false(drill_sql_passes(1, "f"));
	assert_false(drill_sql_passes(1, NULL));
	assert_false(drill_sql_passes(0, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split),
	    cmocka_unit_test(test_split_refuses),
	    cmocka_unit_test(test_passes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
