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
	sanitize_text(out, sizeof(out),
	              "a\x1b[2Jb\x1b]0;pwned\x07"
	              "c\xc2\x9b"
	              "31m");
	assert_null(strchr(out, 0x1b));
	assert_null(strchr(out, 0x07));
	assert_string_equal(out, "a?[2Jb?]0;pwned?c?31m");
}

static void test_newlines_become_spaces(void **state)
{
	char out[64];
	assert_string_equal(sanitize_text(out, sizeof(out), "one\r\ntwo\tthree"), "one  two three");
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

static void test_bidi_controls_replaced(void **state)
{
	(void)state;
	char out[64];
	/* RLO, LRE, PDF, RLI, PDI, LRM, RLM, ALM: they reorder the line */
	sanitize_text(out, sizeof(out),
	              "a\xe2\x80\xae"
	              "b\xe2\x80\xaa"
	              "c\xe2\x80\xac"
	              "d\xe2\x81\xa7"
	              "e\xe2\x81\xa9"
	              "f\xe2\x80\x8e"
	              "g\xe2\x80\x8f"
	              "h\xd8\x9c"
	              "i");
	assert_string_equal(out, "a?b?c?d?e?f?g?h?i");
	/* their neighbours stay: en dash U+2013, narrow no-break space U+202F */
	assert_string_equal(sanitize_text(out, sizeof(out),
	                                  "1\xe2\x80\x93"
	                                  "2\xe2\x80\xaf"
	                                  "3"),
	                    "1\xe2\x80\x93"
	                    "2\xe2\x80\xaf"
	                    "3");
}

/* Every C1 control, U+0080..U+009F, is replaced like a C0 one, whether it
 * comes as UTF-8 (\xc2\x80..\xc2\x9f: a terminal reads \xc2\x9b as CSI)
 * or as a raw byte; U+00A0 and what follows are text. */
static void test_c1_controls_replaced(void **state)
{
	(void)state;
	char out[64];
	for (unsigned c = 0x80; c <= 0x9f; c++) {
		char in[8] = {'a', (char)0xc2, (char)c, 'b', '\0'};
		assert_string_equal(sanitize_text(out, sizeof(out), in), "a?b");
		char raw[8] = {'a', (char)c, 'b', '\0'};
		assert_string_equal(sanitize_text(out, sizeof(out), raw), "a?b");
		assert_true(sanitize_is_control(c));
	}
	assert_string_equal(sanitize_text(out, sizeof(out), "x\x7f\xc2\xa0\xc3\xa9y"),
	                    "x?\xc2\xa0\xc3\xa9y");
	assert_false(sanitize_is_control(0xa0));
	/* A URL as `status` printed it. */
	assert_string_equal(sanitize_text(out, sizeof(out),
	                                  "postgresql://app@127.0.0.1:1/sh\xc2\x9b"
	                                  "31mop"),
	                    "postgresql://app@127.0.0.1:1/sh?31mop");
}

static void test_decode_one_character(void **state)
{
	(void)state;
	uint32_t cp = 0;
	assert_int_equal(sanitize_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(sanitize_decode("\xe2\x9c\x93", 3, &cp), 3);
	assert_int_equal(cp, 0x2713);
	assert_int_equal(sanitize_decode("\xe2\x9c", 2, &cp), 0);         /* truncated */
	assert_int_equal(sanitize_decode("\xc0\x9b", 2, &cp), 0);         /* overlong ESC */
	assert_int_equal(sanitize_decode("\xe0\x80\x9b", 3, &cp), 0);     /* overlong ESC */
	assert_int_equal(sanitize_decode("\xed\xa0\x80", 3, &cp), 0);     /* surrogate */
	assert_int_equal(sanitize_decode("\xf4\x90\x80\x80", 4, &cp), 0); /* > U+10FFFF */
	assert_int_equal(sanitize_decode("", 0, &cp), 0);
	assert_true(sanitize_is_control(0x1b));
	assert_true(sanitize_is_control(0x9b));
	assert_true(sanitize_is_control(0x202e));
	assert_false(sanitize_is_control(0x2713));
	assert_false(sanitize_is_control(' '));
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
	    cmocka_unit_test(test_bidi_controls_replaced),
	    cmocka_unit_test(test_c1_controls_replaced),
	    cmocka_unit_test(test_decode_one_character),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
