/* test_expand.c - ${NAME} and ${NAME:-default} expansion. */
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

/* An unset variable is an error naming it: it must not quietly become "",
 * as an empty cache_prefix once meant "flush the whole database". */
static void test_unset_is_an_error_naming_the_variable(void **state)
{
	(void)state;
	check_error("${REDIS_URL}", "${REDIS_URL} is not set (write ${REDIS_URL:-} to allow an "
	                            "empty value, or ${REDIS_URL:-default})");
	check_error("a${FIRST}b${SECOND}c", "${FIRST} is not set (write ${FIRST:-} to allow an "
	                                    "empty value, or ${FIRST:-default})");
	check_error("${HOST}-${NOPE}", "${NOPE} is not set (write ${NOPE:-} to allow an empty "
	                               "value, or ${NOPE:-default})");
	/* Set but empty is a value like any other. */
	check("[${EMPTY}]", "[]", "");
}

static void test_defaults(void **state)
{
	(void)state;
	check("${NOPE:-fallback}", "fallback", "NOPE");
	check("${NOPE:-}", "", "NOPE");
	check("redis://${NOPE:-127.0.0.1}:6379/${DB:-0}", "redis://127.0.0.1:6379/0", "NOPE");
	/* A set variable wins; an empty one takes the default, as in a shell. */
	check("${HOST:-other}", "db", "");
	check("${EMPTY:-x}", "x", "");
	/* The default is literal text: not expanded, '$' kept. */
	check("${NOPE:-p$ss}", "p$ss", "NOPE");
	check("${NOPE:-$HOST}", "$HOST", "NOPE");
	check("${NOPE:-a:-b}", "a:-b", "NOPE");
	/* The unset name may be left out. */
	char *out;
	char err[64];
	assert_int_equal(
	    expand_vars("${NOPE:-}", lookup_pairs, (void *)vars, &out, NULL, 0, err, sizeof(err)),
	    0);
	assert_string_equal(out, "");
	free(out);
}

/* A NULL lookup knows nothing and refuses nothing: the text as written. */
static void test_null_lookup_leaves_the_written_text(void **state)
{
	(void)state;
	char *out;
	char err[64];
	char unset[8];
	assert_int_equal(expand_vars("x${PLAIN}y${LONG_NAME:-dflt}", NULL, NULL, &out, unset,
	                             sizeof(unset), err, sizeof(err)),
	                 0);
	assert_string_equal(out, "xydflt");
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
	check_error("${DATABASE_URL:+postgres://app:hunter2@localhost/shop}",
	            "${DATABASE_URL:+...}: only ${NAME} and ${NAME:-default} are supported (no "
	            "other shell forms)");
	check_error("${DB_PASSWORD:=hunter2}", "${DB_PASSWORD:=...}: only ${NAME} and "
	                                       "${NAME:-default} are supported (no other shell "
	                                       "forms)");
	check_error("${HOST-x}", "${HOST-...}: only ${NAME} and ${NAME:-default} are supported (no "
	                         "other shell forms)");
	check_error("${HOST:?}", "${HOST:?...}: only ${NAME} and ${NAME:-default} are supported "
	                         "(no other shell forms)");
	check_error("${1A:-hunter2}", "${1A:-...} is not a valid variable name (use letters, "
	                              "digits and _, not starting with a digit)");
	check_error("${:-hunter2}", "${:-...} is not a valid variable name (use letters, digits "
	                            "and _, not starting with a digit)");
	check_error("${NOPE:-hunter2", "unterminated ${ (close it with }, or write $${ for a "
	                               "literal ${)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_text_unchanged),
	    cmocka_unit_test(test_variables_replaced),
	    cmocka_unit_test(test_unset_is_an_error_naming_the_variable),
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_null_lookup_leaves_the_written_text),
	    cmocka_unit_test(test_dollars_that_are_not_references),
	    cmocka_unit_test(test_values_are_not_expanded_again),
	    cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
