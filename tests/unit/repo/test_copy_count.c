/* test_copy_count.c - rows per table counted from a plain dump fed in
 * chunks split anywhere; names checked before they reach SQL. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "repo/copy_count.h"

static const char DUMP[] =
    "--\n-- PostgreSQL database dump\n--\n\n"
    "CREATE FUNCTION public.f() RETURNS void AS $$\nCOPY x FROM somewhere;\n$$;\n"
    "COPY public.\"User\" (id, email, \"Name\") FROM stdin;\n"
    "1\ta@example.com\tAnn\n"
    "2\tb@example.com\tline one\\nline two\n"
    "3\tc@example.com\t\\\\.\n"
    "4\t\\.x\t\\N\n"
    "\\.\n\n"
    "COPY public.empty (id) FROM stdin;\n"
    "\\.\n"
    "COPY \"My Schema\".\"a \"\"b\"\" (c\" (id) FROM stdin;\n"
    "7\n"
    "\\.\n"
    "SELECT pg_catalog.setval('public.seq', 4, true);\n";

static struct copy_count *count_in_chunks(const char *text, size_t chunk)
{
	struct copy_count *c = copy_count_new();
	size_t len = strlen(text);
	for (size_t off = 0; off < len; off += chunk)
		copy_count_feed(c, text + off, len - off < chunk ? len - off : chunk);
	return c;
}

static void check_dump(const struct copy_count *c)
{
	size_t n;
	const struct copy_count_table *t = copy_count_tables(c, &n);
	assert_int_equal(n, 3);
	assert_string_equal(t[0].name, "public.\"User\"");
	assert_int_equal(t[0].rows, 4);
	assert_string_equal(t[1].name, "public.empty");
	assert_int_equal(t[1].rows, 0);
	assert_string_equal(t[2].name, "\"My Schema\".\"a \"\"b\"\" (c\"");
	assert_int_equal(t[2].rows, 1);
	assert_true(copy_count_complete(c));
}

static void test_whole(void **state)
{
	(void)state;
	struct copy_count *c = count_in_chunks(DUMP, sizeof(DUMP));
	check_dump(c);
	copy_count_free(c);
}

/* every chunk size splits the COPY line, a row and "\." somewhere */
static void test_every_split(void **state)
{
	(void)state;
	for (size_t chunk = 1; chunk < 64; chunk++) {
		struct copy_count *c = count_in_chunks(DUMP, chunk);
		check_dump(c);
		copy_count_free(c);
	}
}

static void test_no_tables(void **state)
{
	(void)state;
	struct copy_count *c = copy_count_new();
	size_t n = 99;
	assert_true(copy_count_complete(c));
	copy_count_feed(c, "CREATE TABLE t (id int);\n", 25);
	assert_null(copy_count_tables(c, &n));
	assert_int_equal(n, 0);
	assert_true(copy_count_complete(c));
	copy_count_free(c);
	copy_count_free(NULL);
}

static void test_stops_inside_copy(void **state)
{
	(void)state;
	const char *text = "COPY public.t (id) FROM stdin;\n1\n2\n";
	struct copy_count *c = count_in_chunks(text, 5);
	size_t n;
	const struct copy_count_table *t = copy_count_tables(c, &n);
	assert_int_equal(n, 1);
	assert_int_equal(t[0].rows, 2);
	assert_false(copy_count_complete(c));
	copy_count_free(c);
}

static void test_bad_name_is_incomplete(void **state)
{
	(void)state;
	const char *text = "COPY public.t;drop (id) FROM stdin;\n\\.\n";
	struct copy_count *c = count_in_chunks(text, 7);
	assert_false(copy_count_complete(c));
	copy_count_free(c);
}

static void test_name_valid(void **state)
{
	(void)state;
	assert_true(copy_count_name_valid("public.\"User\""));
	assert_true(copy_count_name_valid("t"));
	assert_true(copy_count_name_valid("_prisma_migrations"));
	assert_true(copy_count_name_valid("s1.t$2"));
	assert_true(copy_count_name_valid("\"a \"\"b\"\" (c\""));
	assert_false(copy_count_name_valid(""));
	assert_false(copy_count_name_valid("1t"));
	assert_false(copy_count_name_valid("a.b.c"));
	assert_false(copy_count_name_valid("a."));
	assert_false(copy_count_name_valid("\"\""));
	assert_false(copy_count_name_valid("\"a\"\"\""
	                                   "; drop table x; --\""));
	assert_false(copy_count_name_valid("t; drop table x"));
	assert_false(copy_count_name_valid("\"unterminated"));
	assert_false(copy_count_name_valid("\"tab\there\""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_whole),
	    cmocka_unit_test(test_every_split),
	    cmocka_unit_test(test_no_tables),
	    cmocka_unit_test(test_stops_inside_copy),
	    cmocka_unit_test(test_bad_name_is_incomplete),
	    cmocka_unit_test(test_name_valid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
