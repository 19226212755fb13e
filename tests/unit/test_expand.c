/* test_expand.c - ${NAME} expansion. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "config/expand.h"

/* A lookup over a NULL-terminated list of name, value pairs. */
static const char *lookup_pairs(void *ctx, const char *name)
{
	const char *const *pairs = ctx;
	for (size_t i = 0; pairs[i]; i += 2)
		if (strcmp(pairs[i], name) == 0)
			return pairs[i + 1];
	return NULL;
}

static const char *const vars[] = {
    "DATABASE_URL", "postgresql://app:pw@db/shop",
    "HOST",         "db",
    "EMPTY",        "",
    "NESTED",       "${HOST}",
    "DOLLAR",       "p$ss",
    NULL,
};

/* Expands `in` and checks the result and the reported unset name. */
static void check(const char *in, const char *expect, const char *expect_unset)
{
	char *out = NULL;
	char unset[64] = "garbage";
	char err[256] = "";
	int rc = expand_vars(in, lookup_pairs, (void *)vars, &out, unset, sizeof(unset), err,
	                     sizeof(err));
	if (rc != 0)
		fail_msg("expand_vars(%s) failed: %s", in, err);
	assert_string_equal(out, expect);
	assert_string_equal(unset, expect_unset);
	free(out);
}

static void check_error(const char *in, const char *expect_err)
{
	char *out = (char *)"untouched";
	char err[256] = "";
	assert_int_equal(
	    expand_vars(in, lookup_pairs, (void *)vars, &out, NULL, 0, err, sizeof(err)), -1);
	assert_null(out);
	assert_string_equal(err, expect_err);
}

static void test_plain_text_unchanged(void **state)
{
	(void)state;
	check("", "", "");
	check("http://127.0.0.1:3000/api/health", "http://127.0.0.1:3000/api/health", "");
}

static void test_variables_replaced(void **state)
{
	(void)state;
	check("${DATABASE_URL}", "postgresql://app:pw@db/shop", "");
	check("postgres://${HOST}:5432/${HOST}", "postgres://db:5432/db", "");
	check("${HOST}${HOST}", "dbdb", "");
	check("[${EMPTY}]", "[]", "");
}

static void test_unset_expands_to_nothing_and_is_reported(void **state)
{
	(void)state;
	check("${REDIS_URL}", "", "REDIS_URL");
	check("a${FIRST}b${SECOND}c", "abc", "FIRST");
	check("${HOST}-${NOPE}", "db-", "NOPE");
	/* The unset name may be left out. */
	char *out;
	char err[64];
	assert_int_equal(
	    expand_vars("${NOPE}", lookup_pairs, (void *)vars, &out, NULL, 0, err, sizeof(err)), 0);
	assert_string_equal(out, "");
	free(out);
	/* A NULL lookup knows nothing. */
	char unset[8];
	assert_int_equal(
	    expand_vars("x${LONG_NAME}", NULL, NULL, &out, unset, sizeof(unset), err, sizeof(err)),
	    0);
	assert_string_equal(out, "x");
	assert_string_equal(unset, "LONG_NA"); /* truncated to the buffer */
	free(out);
}

static void test_dollars_that_are_not_references(void **state)
{
	(void)state;
	check("$${HOST}", "${HOST}", "");
	check("price: $5 and $HOST", "price: $5 and $HOST", "");
	check("trailing $", "trailing $", "");
	check("$$", "$$", "");
	check("p$ss${HOST}", "p$ssdb", "");
}

static void test_values_are_not_expanded_again(void **state)
{
	(void)state;
	check("${NESTED}", "${HOST}", "");
	check("${DOLLAR}", "p$ss", "");
}

static void test_errors(void **state)
{
	(void)state;
	check_error("${HOST", "unterminated ${ (close it with }, or write $${ for a literal ${)");
	check_error("x ${", "unterminated ${ (close it with }, or write $${ for a literal ${)");
	check_error("${}", "${} is not a valid variable name (use letters, digits and _, not "
	                   "starting with a digit)");
	check_error("${1A}", "${1A} is not a valid variable name (use letters, digits and _, not "
	                     "starting with a digit)");
	check_error("${A B}", "${A B} is not a valid variable name (use letters, digits and _, not "
	                      "starting with a digit)");
	/* the default is not shown: it may be the secret itself */
	check_error("${DATABASE_URL:-postgres://app:hunter2@localhost/shop}",
	            "${DATABASE_URL:-...}: only plain ${NAME} is supported (no "
	            "defaults or other shell forms)");
	check_error("${DB_PASSWORD:-hunter2}", "${DB_PASSWORD:-...}: only plain ${NAME} is "
	                                       "supported (no defaults or other shell forms)");
	check_error("${HOST-x}", "${HOST-...}: only plain ${NAME} is supported (no defaults or "
	                         "other shell forms)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_text_unchanged),
	    cmocka_unit_test(test_variables_replaced),
	    cmocka_unit_test(test_unset_expands_to_nothing_and_is_reported),
	    cmocka_unit_test(test_dollars_that_are_not_references),
	    cmocka_unit_test(test_values_are_not_expanded_again),
	    cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
