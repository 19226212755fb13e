/* Unit tests for the pure parts of job/restore_db.c: the names given to
 * --into and the forms of KEY. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "job/restore_db.h"

static void database_names(void **state)
{
	(void)state;
	char err[256];
	const char *good[] = {"shop_restore", "_x", "S1", "a$b", "shop_20261204"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(restore_db_name_check(good[i], err, sizeof(err)), 0);
	const char *bad[] = {"",   "1shop",        "shop;drop", "a b", "x\"y", "caf\xc3\xa9",
	                     "-x", "shop-restore", NULL};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(restore_db_name_check(bad[i], err, sizeof(err)), -1);
		assert_non_null(strstr(err, "is not a database name"));
	}
	char longest[RESTORE_DB_NAME_MAX + 2];
	memset(longest, 'a', sizeof(longest));
	longest[RESTORE_DB_NAME_MAX] = '\0';
	assert_int_equal(restore_db_name_check(longest, err, sizeof(err)), 0);
	longest[RESTORE_DB_NAME_MAX] = 'a';
	longest[RESTORE_DB_NAME_MAX + 1] = '\0';
	assert_int_equal(restore_db_name_check(longest, err, sizeof(err)), -1);
}

static void keys(void **state)
{
	(void)state;
	char key[512], err[256];
	assert_int_equal(restore_db_key("shop_2026-12-04T10-00-00-000Z_1a2b3c4d.sql.gz", key,
	                                sizeof(key), err, sizeof(err)),
	                 0);
	assert_string_equal(key, "shop_2026-12-04T10-00-00-000Z_1a2b3c4d.sql.gz");
	assert_int_equal(restore_db_key("shop_x.sql.gz.json", key, sizeof(key), err, sizeof(err)),
	                 0);
	assert_string_equal(key, "shop_x.sql.gz");
	assert_int_equal(restore_db_key("", key, sizeof(key), err, sizeof(err)), -1);
	assert_int_equal(restore_db_key("../x.sql.gz", key, sizeof(key), err, sizeof(err)), -1);
	assert_int_equal(restore_db_key("/x.sql.gz", key, sizeof(key), err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(database_names),
	    cmocka_unit_test(keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
