/* Unit tests for util/sanitize.c: nothing from a backend may drive the
 * operator's terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/sanitize.h"

static void test_plain_text_unchanged(void **state)
{
	char out[64];
	assert_string_equal(sanitize_text(out, sizeof(out), "SELECT 1 -- ok"), "SELECT 1 -- ok");
	assert_string_equal(sanitize_text(out, sizeof(out), NULL), "");
}

static void test_escape_sequences_neutralised(void **state)
{
	char out[64];
	/* cursor move, title change (OSC ... BEL), CSI via C1 */
	sanitize_text(out, sizeof(out), "a\x1b[2Jb\x1b]0;pwned\x07" "c\xc2\x9b" "31m");
	assert_null(strchr(out, 0x1b));
	assert_null(strchr(out, 0x07));
	assert_string_equal(out, "a?[2Jb?]0;pwned?c?31m");
}

static void test_newlines_become_spaces(void **state)
{
	char out[64];
	assert_string_equal(sanitize_text(out, sizeof(out), "one\r\ntwo\tthree"),
	                    "one  two three");
}

static void test_utf8_kept_invalid_replaced(void **state)
{
	char out[64];
	assert_string_equal(sanitize_text(out, sizeof(out), "caf\xc3\xa9 \xe2\x9c\x93"),
	                    "caf\xc3\xa9 \xe2\x9c\x93");
	/* stray continuation, overlong '/', surrogate, truncated sequence */
	assert_string_equal(sanitize_text(out, sizeof(out), "\x80|\xc0\xaf|\xed\xa0\x80|\xe2\x9c"),
	                    "?|??|???|??");
}

static void test_never_splits_a_character(void **state)
{
	char out[5];
	sanitize_text(out, sizeof(out), "ab\xe2\x9c\x93");
	assert_string_equal(out, "ab");
	char out2[6];
	sanitize_text(out2, sizeof(out2), "ab\xe2\x9c\x93");
	assert_string_equal(out2, "ab\xe2\x9c\x93");
}

static void test_in_place(void **state)
{
	char s[] = "x\x1b[1my\n";
	sanitize_text(s, sizeof(s), s);
	assert_string_equal(s, "x?[1my ");
}

static void test_bytes_stop_at_length(void **state)
{
	char out[16];
	sanitize_bytes(out, sizeof(out), "abcdef", 3);
	assert_string_equal(out, "abc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_unchanged),
		cmocka_unit_test(test_escape_sequences_neutralised),
		cmocka_unit_test(test_newlines_become_spaces),
		cmocka_unit_test(test_utf8_kept_invalid_replaced),
		cmocka_unit_test(test_never_splits_a_character),
		cmocka_unit_test(test_in_place),
		cmocka_unit_test(test_bytes_stop_at_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
