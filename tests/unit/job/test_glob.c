/* test_glob.c - glob matching for [backup] files_patterns. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "job/glob.h"

#define MATCH(p, s)    assert_true(glob_match(p, s))
#define NO_MATCH(p, s) assert_false(glob_match(p, s))

static void test_literal(void **state)
{
	(void)state;
	MATCH("a.txt", "a.txt");
	NO_MATCH("a.txt", "b.txt");
	NO_MATCH("a.txt", "a.txt2");
	NO_MATCH("a", "");
	MATCH("", "");
}

static void test_star_stays_in_a_segment(void **state)
{
	(void)state;
	MATCH("*.png", "a.png");
	MATCH("*.png", ".png");
	NO_MATCH("*.png", "x/a.png");
	MATCH("x/*.png", "x/a.png");
	MATCH("*", "anything");
	NO_MATCH("*", "a/b");
	MATCH("a*b*c", "aXXbYYc");
	NO_MATCH("a*b*c", "aXXbYY");
}

static void test_question_and_class(void **state)
{
	(void)state;
	MATCH("?.txt", "a.txt");
	NO_MATCH("?.txt", "ab.txt");
	NO_MATCH("a?b", "a/b");
	MATCH("[abc].txt", "b.txt");
	NO_MATCH("[abc].txt", "d.txt");
	MATCH("img[0-9].png", "img7.png");
	NO_MATCH("img[0-9].png", "imgx.png");
	MATCH("[!a-c]x", "dx");
	NO_MATCH("[!a-c]x", "bx");
	MATCH("[^a-c]x", "zx");
	MATCH("[]]", "]");
	MATCH("a[", "a["); /* no closing bracket: literal */
	NO_MATCH("[a/b]", "/");
}

static void test_double_star(void **state)
{
	(void)state;
	MATCH("**/*", "a.txt");
	MATCH("**/*", "x/y/z.txt");
	MATCH("**", "x/y/z.txt");
	MATCH("**/*.png", "a.png");
	MATCH("**/*.png", "x/y/a.png");
	NO_MATCH("**/*.png", "x/y/a.jpg");
	MATCH("docs/**", "docs/a/b.txt");
	NO_MATCH("docs/**", "other/a.txt");
	MATCH("a/**/b", "a/b");
	MATCH("a/**/b", "a/x/y/b");
	NO_MATCH("a/**/b", "a/x/y/c");
	MATCH("a**z", "a/b/z");
}

static void test_escape_and_odd_names(void **state)
{
	(void)state;
	MATCH("\\*.txt", "*.txt");
	NO_MATCH("\\*.txt", "a.txt");
	MATCH("**/*", "dir with spaces/naïve +%20.txt");
	MATCH("*+*", "a+b");
	MATCH("**/.env", ".env");
	assert_false(glob_match(NULL, "a"));
}

static void test_many_stars_terminate(void **state)
{
	(void)state;
	/* backtracking must not explode on a hostile pattern */
	NO_MATCH("*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	/* 24 stars over 200 a's: untold years of backtracking unless failed
	 * positions are remembered; the same through "**" and segments. */
	char path[256];
	memset(path, 'a', 200);
	path[200] = '\0';
	NO_MATCH("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", path);
	MATCH("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*", path);
	path[100] = '/';
	NO_MATCH("**/**/**/*a*a*a*a*a*a*a*a*a*a*a*a**a*a*a*a*a*a*a*b", path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_literal),
	    cmocka_unit_test(test_star_stays_in_a_segment),
	    cmocka_unit_test(test_question_and_class),
	    cmocka_unit_test(test_double_star),
	    cmocka_unit_test(test_escape_and_odd_names),
	    cmocka_unit_test(test_many_stars_terminate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
