/* Unit tests for util/strbuf.c */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/strbuf.h"

static void test_empty_is_empty_string(void **state)
{
	struct strbuf b;
	strbuf_init(&b, 0);
	assert_string_equal(strbuf_str(&b), "");
	assert_int_equal(b.len, 0);
	strbuf_free(&b);
	strbuf_free(&b); /* twice is harmless */
}

static void test_append_and_printf_grow(void **state)
{
	struct strbuf b;
	strbuf_init(&b, 0);
	for (int i = 0; i < 1000; i++)
		strbuf_printf(&b, "%d,", i % 10);
	assert_int_equal(b.len, 2000);
	assert_memory_equal(b.data, "0,1,2,", 6);
	assert_false(b.truncated);
	strbuf_free(&b);
}

static void test_cap_truncates_and_flags(void **state)
{
	struct strbuf b;
	strbuf_init(&b, 5);
	strbuf_puts(&b, "abc");
	strbuf_puts(&b, "defgh");
	assert_string_equal(strbuf_str(&b), "abcde");
	assert_true(b.truncated);
	strbuf_putc(&b, 'x');
	assert_string_equal(strbuf_str(&b), "abcde");
	strbuf_reset(&b);
	assert_false(b.truncated);
	assert_string_equal(strbuf_str(&b), "");
	strbuf_free(&b);
}

static void test_long_printf(void **state)
{
	struct strbuf b;
	strbuf_init(&b, 0);
	char big[1000];
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	strbuf_printf(&b, "[%s]", big);
	assert_int_equal(b.len, 1001);
	assert_int_equal(b.data[0], '[');
	assert_int_equal(b.data[1000], ']');
	strbuf_free(&b);
}

static void test_take_hands_over(void **state)
{
	struct strbuf b;
	strbuf_init(&b, 10);
	char *empty = strbuf_take(&b);
	assert_string_equal(empty, "");
	free(empty);
	strbuf_puts(&b, "hello");
	char *s = strbuf_take(&b);
	assert_string_equal(s, "hello");
	assert_int_equal(b.len, 0);
	assert_int_equal(b.limit, 10);
	free(s);
	strbuf_free(&b);
}

static void test_markup(void **state)
{
	(void)state;
	struct strbuf b;
	strbuf_init(&b, 0);
	strbuf_puts_markup(&b, "a<b>&\"c'd\"");
	assert_string_equal(strbuf_str(&b), "a&lt;b&gt;&amp;&quot;c&#39;d&quot;");
	strbuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty_is_empty_string),
	    cmocka_unit_test(test_append_and_printf_grow),
	    cmocka_unit_test(test_cap_truncates_and_flags),
	    cmocka_unit_test(test_long_printf),
	    cmocka_unit_test(test_take_hands_over),
	    cmocka_unit_test(test_markup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
