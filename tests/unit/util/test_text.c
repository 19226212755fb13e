/* Unit tests for util/text.c */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/text.h"

static void test_copy_truncates_and_reports_length(void **state)
{
	char dst[4];
	assert_int_equal(text_copy(dst, "abcdef", sizeof(dst)), 6);
	assert_string_equal(dst, "abc");
	assert_int_equal(text_copy(dst, "ab", sizeof(dst)), 2);
	assert_string_equal(dst, "ab");
}

static void test_trim(void **state)
{
	char s[] = " \t value with spaces \r\n";
	assert_string_equal(text_trim(s), "value with spaces");
	char e[] = "   ";
	assert_string_equal(text_trim(e), "");
}

static void test_sizes(void **state)
{
	(void)state;
	int64_t b;
	assert_int_equal(text_parse_bytes("4096", &b), 0);
	assert_int_equal(b, 4096);
	assert_int_equal(text_parse_bytes("512M", &b), 0);
	assert_int_equal(b, 512LL << 20);
	assert_int_equal(text_parse_bytes("1.5G", &b), 0);
	assert_int_equal(b, 3LL << 29);
	assert_int_equal(text_parse_bytes("2KiB", &b), 0);
	assert_int_equal(b, 2048);
	assert_int_equal(text_parse_bytes("1tb", &b), 0);
	assert_int_equal(b, 1LL << 40);
	assert_int_equal(text_parse_bytes("10B", &b), 0);
	assert_int_equal(b, 10);
	const char *bad[] = {"", "M", "-1M", "5X", "5MM", " 5M", "1e30", "5 M"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(text_parse_bytes(bad[i], &b), -1);
}

static void test_durations(void **state)
{
	int64_t ms;
	assert_int_equal(text_parse_duration_ms("3s", &ms), 0);
	assert_int_equal(ms, 3000);
	assert_int_equal(text_parse_duration_ms("250ms", &ms), 0);
	assert_int_equal(ms, 250);
	assert_int_equal(text_parse_duration_ms("5m", &ms), 0);
	assert_int_equal(ms, 300000);
	assert_int_equal(text_parse_duration_ms("1.5m", &ms), 0);
	assert_int_equal(ms, 90000);
	assert_int_equal(text_parse_duration_ms("1h", &ms), 0);
	assert_int_equal(ms, 3600000);
	assert_int_equal(text_parse_duration_ms("2d", &ms), 0);
	assert_int_equal(ms, 172800000);
	assert_int_equal(text_parse_duration_ms("7", &ms), 0);
	assert_int_equal(ms, 7000);
}

static void test_bad_durations(void **state)
{
	int64_t ms = 42;
	const char *bad[] = {"",    "3x",    "s",   "-1s", "+1s", " 3s",
	                     "3 s", "1e30h", "nan", "inf", "3ss"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(text_parse_duration_ms(bad[i], &ms), -1);
	assert_int_equal(ms, 42);
}

static void test_numbers(void **state)
{
	int64_t i;
	double d;
	assert_int_equal(text_parse_int64("-12", &i), 0);
	assert_int_equal(i, -12);
	assert_int_equal(text_parse_int64("12abc", &i), -1);
	assert_int_equal(text_parse_int64("99999999999999999999", &i), -1);
	assert_int_equal(text_parse_int64("", &i), -1);
	assert_int_equal(text_parse_double("0.05", &d), 0);
	assert_true(d > 0.0499 && d < 0.0501);
	assert_int_equal(text_parse_double("0.05%", &d), -1);
	assert_int_equal(text_parse_double("nan", &d), -1);
}

static void test_format_bytes(void **state)
{
	char buf[32];
	text_format_bytes(buf, sizeof(buf), 512);
	assert_string_equal(buf, "512 B");
	text_format_bytes(buf, sizeof(buf), 3 * 1024 * 1024 + 200 * 1024);
	assert_string_equal(buf, "3.2 MiB");
	text_format_bytes(buf, sizeof(buf), 252ULL * 1024 * 1024 * 1024);
	assert_string_equal(buf, "252 GiB");
}

static void test_plural(void **state)
{
	(void)state;
	assert_string_equal(text_plural(1, "call", "calls"), "call");
	assert_string_equal(text_plural(0, "call", "calls"), "calls");
	assert_string_equal(text_plural(2, "query", "queries"), "queries");
	assert_string_equal(text_plural(-1, "file", "files"), "files");
}

static void test_format_duration(void **state)
{
	char buf[32];
	text_format_duration(buf, sizeof(buf), 250);
	assert_string_equal(buf, "250 ms");
	text_format_duration(buf, sizeof(buf), 3100);
	assert_string_equal(buf, "3.1 s");
	text_format_duration(buf, sizeof(buf), 252000);
	assert_string_equal(buf, "4m12s");
	text_format_duration(buf, sizeof(buf), 7500000);
	assert_string_equal(buf, "2h05m");
	text_format_duration(buf, sizeof(buf), 3 * 86400000LL + 4 * 3600000LL);
	assert_string_equal(buf, "3d04h");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_copy_truncates_and_reports_length),
	    cmocka_unit_test(test_trim),
	    cmocka_unit_test(test_durations),
	    cmocka_unit_test(test_sizes),
	    cmocka_unit_test(test_bad_durations),
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_format_bytes),
	    cmocka_unit_test(test_plural),
	    cmocka_unit_test(test_format_duration),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
