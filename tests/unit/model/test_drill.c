/* test_drill.c - the last drill in words, as the status text and the
 * dashboard show it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "model/drill.h"

static void test_summary(void **state)
{
	(void)state;
	struct drill_result r = {.at_ms = 1000000, .ok = true, .rto_ms = 4200};
	char text[300];
	drill_result_summary(&r, 1000000 + 7200 * 1000, text, sizeof(text));
	assert_string_equal(text, "ok 2h00m ago, RTO 4.2 s");
	r.ok = false;
	snprintf(r.why, sizeof(r.why), "public.\"User\": 11 rows, the manifest says 12");
	drill_result_summary(&r, 1000000 + 300 * 1000, text, sizeof(text));
	assert_string_equal(text,
	                    "FAILED 5m00s ago: public.\"User\": 11 rows, the manifest says 12");
	r.at_ms = 0;
	drill_result_summary(&r, 1000000, text, sizeof(text));
	assert_string_equal(text, "no drill yet");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_summary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
