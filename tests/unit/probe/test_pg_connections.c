/* Unit tests for probe/pg_connections.c: the connection groups parsed from
 * rows a real PostgreSQL 15 returned (fixtures/pg/connections_pg15.tsv) and
 * from crafted ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../pg_rows.h"
#include "probe/pg_connections.h"

static void parses_a_real_reply(void **state)
{
	(void)state;
	struct rows r;
	rows_load(&r, "connections_pg15.tsv", PG_CONNECTIONS_COL_COUNT);
	struct pg_connections c;
	memset(&c, 0, sizeof(c));
	char err[256] = "";
	assert_int_equal(pg_connections_parse(r.values, r.count, &c, err, sizeof(err)), 0);
	assert_int_equal(c.total, 6);
	assert_int_equal(c.app_connections, 6);
	assert_int_equal(c.max_connections, 50);
	assert_int_equal(c.superuser_reserved, 3);
	assert_int_equal(c.reserved, 0); /* NULL before PostgreSQL 16 */
	assert_int_equal(c.usable, 47);
	const struct conn_groups *apps = &c.by[CONN_BY_APPLICATION];
	assert_int_equal(apps->count, 4);
	assert_string_equal(apps->items[0].name, "worker");
	assert_int_equal(apps->items[0].count, 3);
	assert_int_equal(apps->other, 0);
	assert_string_equal(c.by[CONN_BY_CLIENT].items[0].name, "127.0.0.1");
	assert_string_equal(c.by[CONN_BY_STATE].items[0].name, "active");
	rows_free(&r);
}

/* Names are sanitised; what the top groups leave is "other"; a reply longer
 * than the query allows is cut; PG 16's reserved_connections counts. */
static void sanitises_cuts_and_counts_other(void **state)
{
	(void)state;
	struct rows r;
	rows_parse(&r,
	           "application\tbad\\x1b[2Jname\t40\n"
	           "application\ta\t9\napplication\tb\t8\napplication\tc\t7\n"
	           "application\td\t6\napplication\te\t5\n"
	           "total\t\\N\t100\napp\t\\N\t80\nmax_connections\t\\N\t200\n"
	           "superuser_reserved_connections\t\\N\t3\nreserved_connections\t\\N\t5\n"
	           "future_dimension\tx\t1\n",
	           PG_CONNECTIONS_COL_COUNT);
	struct pg_connections c;
	memset(&c, 0, sizeof(c));
	char err[256] = "";
	assert_int_equal(pg_connections_parse(r.values, r.count, &c, err, sizeof(err)), 0);
	const struct conn_groups *apps = &c.by[CONN_BY_APPLICATION];
	assert_int_equal(apps->count, CONN_TOP);
	assert_null(strchr(apps->items[0].name, 0x1b));
	assert_int_equal(apps->other, 100 - (40 + 9 + 8 + 7 + 6));
	assert_int_equal(c.usable, 192);
	assert_int_equal(c.by[CONN_BY_USER].other, 100);
	rows_free(&r);
}

static void refuses_a_malformed_count(void **state)
{
	(void)state;
	struct rows r;
	rows_parse(&r, "total\t\\N\tmany\n", PG_CONNECTIONS_COL_COUNT);
	struct pg_connections c;
	char err[256] = "";
	assert_int_equal(pg_connections_parse(r.values, r.count, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "total"));
	rows_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parses_a_real_reply),
	    cmocka_unit_test(sanitises_cuts_and_counts_other),
	    cmocka_unit_test(refuses_a_malformed_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
