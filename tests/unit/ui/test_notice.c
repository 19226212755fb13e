/* Unit tests for ui/notice: the key bar's notice goes after its time, a
 * new text starts a new time, a longer text stays longer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ui/notice.h"

static void test_notice_expires(void **state)
{
	(void)state;
	struct ui_notice_clock clock = {0};
	char message[UI_NOTICE_TEXT_MAX] = "refresh every 2.0 s";
	assert_false(ui_notice_expire(&clock, message, 10000)); /* first seen */
	assert_false(ui_notice_expire(&clock, message, 10000 + UI_NOTICE_MS - 1));
	assert_true(ui_notice_expire(&clock, message, 10000 + UI_NOTICE_MS));
	assert_string_equal(message, "");
	assert_false(ui_notice_expire(&clock, message, 20000)); /* nothing to clear */

	/* another text starts again */
	strcpy(message, "refresh every 5.0 s");
	assert_false(ui_notice_expire(&clock, message, 30000));
	strcpy(message, "refresh every 10 s");
	assert_false(ui_notice_expire(&clock, message, 32000));
	assert_false(ui_notice_expire(&clock, message, 34000));
	assert_true(ui_notice_expire(&clock, message, 35000));

	/* the same text set again by a key press stays its whole time again */
	strcpy(message, "theme light");
	assert_false(ui_notice_expire(&clock, message, 40000));
	ui_notice_restart(&clock);
	assert_false(ui_notice_expire(&clock, message, 42000));
	assert_false(ui_notice_expire(&clock, message, 44000));
	assert_true(ui_notice_expire(&clock, message, 45000));
}

static void test_long_notices_stay_longer(void **state)
{
	(void)state;
	assert_int_equal(ui_notice_duration_ms(0), UI_NOTICE_MS);
	assert_int_equal(ui_notice_duration_ms(UI_NOTICE_CHARS), UI_NOTICE_MS);
	assert_int_equal(ui_notice_duration_ms(UI_NOTICE_CHARS + 1),
	                 UI_NOTICE_MS + UI_NOTICE_EXTRA_MS);
	assert_int_equal(ui_notice_duration_ms(1000), UI_NOTICE_MAX_MS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_notice_expires),
	    cmocka_unit_test(test_long_notices_stay_longer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
