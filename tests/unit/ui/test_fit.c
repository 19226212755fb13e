/* Unit tests for ui/fit: fields fitted into a width by priority, so that a
 * figure is shown whole or not at all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ui/fit.h"

/* The row as text: each shown field at its place, a cut one to its width. */
static void fit_render(const struct fit_field *f, int n, int width, char *out)
{
	struct fit_place p[FIT_MAX_FIELDS];
	int used = fit_fields(f, n, width, p);
	assert_true(used <= width || width <= 0);
	memset(out, ' ', (size_t)width);
	out[width] = '\0';
	for (int i = 0; i < n; i++) {
		if (!p[i].shown)
			continue;
		size_t len = strlen(p[i].text);
		if (len > (size_t)p[i].width)
			len = (size_t)p[i].width;
		memcpy(out + p[i].x, p[i].text, len);
	}
	while (width > 0 && out[width - 1] == ' ')
		out[--width] = '\0';
}

/* "7/100 conn", "2 active", "4 idle", "1 idle-in-tx", as the Health panel
 * ranks them: connections, then idle-in-transaction, active, idle. */
static const struct fit_field DB[] = {
    {"7/100 conn", "7/100", 6, 0, false, UI_NORMAL, NULL},
    {"2 active", "2 act", 4, 2, false, UI_NORMAL, NULL},
    {"4 idle", NULL, 3, 2, false, UI_NORMAL, NULL},
    {"1 idle-in-tx", "1 idle-tx", 5, 2, false, UI_NORMAL, NULL},
};

static void test_all_fit(void **state)
{
	(void)state;
	char row[128];
	fit_render(DB, 4, 80, row);
	assert_string_equal(row, "7/100 conn  2 active  4 idle  1 idle-in-tx");
}

/* The database row at each width: brief forms of the lowest priority first
 * (active, then idle-in-tx), then idle and active dropped whole; full forms
 * come back where they fit, highest priority first; a figure is never cut. */
static void test_brief_first_then_dropped_whole(void **state)
{
	(void)state;
	static const struct {
		int width;
		const char *row;
	} CASES[] = {
	    {39, "7/100 conn  2 act  4 idle  1 idle-in-tx"},
	    {36, "7/100 conn  2 act  4 idle  1 idle-tx"},
	    {28, "7/100 conn  2 act  1 idle-tx"},
	    {21, "7/100 conn  1 idle-tx"},
	    {19, "7/100  1 idle-in-tx"},
	    {10, "7/100 conn"},
	    {6, "7/100"},
	    {3, ""},
	};
	char row[128];
	for (size_t i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
		fit_render(DB, 4, CASES[i].width, row);
		assert_string_equal(row, CASES[i].row);
	}
}

static void test_stretch_is_cut_in_its_turn_and_takes_the_rest(void **state)
{
	(void)state;
	const struct fit_field f[] = {
	    {"x CRITICAL", NULL, FIT_KEEP, 0, false, UI_NORMAL, NULL},
	    {"app down: HTTP 500", NULL, 50, 1, true, UI_NORMAL, NULL},
	    {"", NULL, FIT_KEEP, 0, true, UI_NORMAL, NULL}, /* a spring */
	    {"shop", NULL, 40, 3, false, UI_NORMAL, NULL},
	    {"opsdeck 0.1.0", NULL, 10, 3, false, UI_NORMAL, NULL},
	    {"updated 3 s ago", "3 s ago", 60, 3, false, UI_NORMAL, NULL},
	};
	struct fit_place p[FIT_MAX_FIELDS];
	/* room to spare: the spring pushes the tail to the right edge */
	assert_int_equal(fit_fields(f, 6, 80, p), 80);
	assert_int_equal(p[3].x + 4 + 3 + 13 + 3 + 15, 80);
	assert_false(p[1].cut);
	/* narrower: opsdeck's version goes, then the app, then the reason is
	 * cut, the state and the age stay */
	static const struct {
		int width;
		const char *row;
	} CASES[] = {
	    {54, "x CRITICAL app down: HTTP 500   shop   updated 3 s ago"},
	    /* a brief form that cannot come back leaves the spare to the spring */
	    {52, "x CRITICAL app down: HTTP 500         shop   3 s ago"},
	    {40, "x CRITICAL app down: HTTP 500    3 s ago"},
	};
	char row[128];
	for (size_t i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
		fit_render(f, 6, CASES[i].width, row);
		assert_string_equal(row, CASES[i].row);
	}
	fit_fields(f, 6, 30, p);
	assert_true(p[1].shown && p[1].cut);
	assert_int_equal(p[1].width, 30 - 10 - 1 - 3 - 7);
	assert_true(p[5].shown);
	assert_false(p[3].shown || p[4].shown);
	/* the kept fields alone are wider than the room: the caller clips */
	fit_fields(f, 6, 5, p);
	assert_true(p[0].shown);
	assert_int_equal(p[1].width, 0);
}

static void test_width_counts_code_points(void **state)
{
	(void)state;
	assert_int_equal(fit_text_width("\xe2\x9c\x97 CRITICAL"), 10);
	assert_int_equal(fit_text_width(" \xc2\xb7 "), 3);
	const struct fit_field f[] = {
	    {"\xe2\x9c\x97 CRIT", NULL, FIT_KEEP, 0, false, UI_NORMAL, NULL},
	    {"95% of 20 GiB", "95%", 1, 1, false, UI_NORMAL, NULL},
	};
	struct fit_place p[2];
	assert_int_equal(fit_fields(f, 2, 20, p), 20);
	assert_string_equal(p[1].text, "95% of 20 GiB");
	assert_int_equal(fit_fields(f, 2, 10, p), 10);
	assert_string_equal(p[1].text, "95%");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_all_fit),
	    cmocka_unit_test(test_brief_first_then_dropped_whole),
	    cmocka_unit_test(test_stretch_is_cut_in_its_turn_and_takes_the_rest),
	    cmocka_unit_test(test_width_counts_code_points),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
