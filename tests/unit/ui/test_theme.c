/* Unit tests for ui/theme: colour parsing and approximation, theme files
 * with errors (file:line), the shipped themes, look-up and listing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "ui/theme.h"

static void test_colors(void **state)
{
	(void)state;
	int c;
	assert_int_equal(theme_parse_color("red", &c), 0);
	assert_int_equal(c, 1);
	assert_int_equal(theme_parse_color("bright-cyan", &c), 0);
	assert_int_equal(c, 14);
	assert_int_equal(theme_parse_color("default", &c), 0);
	assert_int_equal(c, THEME_COLOR_DEFAULT);
	assert_int_equal(theme_parse_color("208", &c), 0);
	assert_int_equal(c, 208);
	assert_int_equal(theme_parse_color("#ff8700", &c), 0);
	assert_int_equal(c, 208); /* exactly a cube colour */
	assert_int_equal(theme_parse_color("#000000", &c), 0);
	assert_int_equal(c, 16);
	assert_int_equal(theme_parse_color("256", &c), -1);
	assert_int_equal(theme_parse_color("#ff87", &c), -1);
	assert_int_equal(theme_parse_color("#gg0000", &c), -1);
	assert_int_equal(theme_parse_color("bright-orange", &c), -1);
	assert_int_equal(theme_parse_color("", &c), -1);
}

/* [ui] banner_color: the banner's background, a readable text on it; a
 * theme without colour keeps its reverse video. */
static void test_banner_color(void **state)
{
	(void)state;
	struct theme t;
	theme_builtin_default(&t);
	assert_int_equal(t.styles[UI_BANNER].bg, 1); /* red unless told */
	theme_set_banner_color(&t, "yellow");
	assert_int_equal(t.styles[UI_BANNER].bg, 3);
	assert_int_equal(t.styles[UI_BANNER].fg, 0);
	theme_set_banner_color(&t, "blue");
	assert_int_equal(t.styles[UI_BANNER].bg, 4);
	assert_int_equal(t.styles[UI_BANNER].fg, 15);
	theme_set_banner_color(&t, "");
	assert_int_equal(t.styles[UI_BANNER].bg, 4);
	theme_builtin_mono(&t);
	theme_set_banner_color(&t, "red");
	assert_true(t.styles[UI_BANNER].reverse);
	assert_int_equal(t.styles[UI_BANNER].bg, THEME_COLOR_DEFAULT);
}

static void test_approximation(void **state)
{
	(void)state;
	assert_int_equal(theme_approximate(THEME_COLOR_DEFAULT, 8), THEME_COLOR_DEFAULT);
	assert_int_equal(theme_approximate(3, 8), 3);
	assert_int_equal(theme_approximate(9, 8), 1); /* bright red -> red */
	assert_int_equal(theme_approximate(9, 16), 9);
	assert_int_equal(theme_approximate(196, 256), 196);
	assert_int_equal(theme_approximate(196, 16), 9); /* #ff0000 -> bright red */
	assert_int_equal(theme_approximate(196, 8), 1);  /* -> red */
	assert_int_equal(theme_approximate(231, 8), 7);  /* white */
	assert_int_equal(theme_approximate(16, 8), 0);   /* black */
	assert_int_equal(theme_approximate(21, 16),
	                 4); /* #0000ff -> blue (238 is nearer than 92,92,255) */
}

static void test_parse_good_and_partial(void **state)
{
	(void)state;
	struct theme t;
	char err[256] = "";
	assert_int_equal(theme_parse(&t, "x",
	                             "# comment\n; also\n\nok = #00ff00 on black bold\n"
	                             "critical=red underline reverse\n",
	                             "x.theme", err, sizeof(err)),
	                 0);
	assert_string_equal(t.name, "x");
	assert_true(t.color);
	assert_int_equal(t.styles[UI_OK].fg, 46);
	assert_int_equal(t.styles[UI_OK].bg, 0);
	assert_true(t.styles[UI_OK].bold);
	assert_true(t.styles[UI_CRITICAL].underline && t.styles[UI_CRITICAL].reverse);
	/* unset elements keep the default's */
	struct theme def;
	theme_builtin_default(&def);
	assert_memory_equal(&t.styles[UI_HEADER], &def.styles[UI_HEADER], sizeof(def.styles[0]));
}

static void test_parse_errors_name_file_and_line(void **state)
{
	(void)state;
	static const struct {
		const char *text, *want;
	} cases[] = {
	    {"ok = green\nbogus = red\n", "t.theme:2: unknown element 'bogus'"},
	    {"\n\nok green\n", "t.theme:3: expected 'element = colour'"},
	    {"ok = chartreuse\n", "t.theme:1: unknown colour or attribute 'chartreuse'"},
	    {"ok = red on\n", "t.theme:1: 'on' without a background colour"},
	    {"ok = red blue\n", "t.theme:1: too many colours"},
	    {"ok =\n", "t.theme:1: no colour given"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct theme t;
		char err[256] = "";
		assert_int_equal(theme_parse(&t, "t", cases[i].text, "t.theme", err, sizeof(err)),
		                 -1);
		if (strstr(err, cases[i].want) == NULL)
			fail_msg("case %zu: got '%s', want '%s'", i, err, cases[i].want);
		assert_string_equal(t.name, "default"); /* fell back */
	}
}

static void test_shipped_themes_parse(void **state)
{
	(void)state;
	setenv("OPSDECK_THEMES_DIR", THEMES_DIR, 1);
	static const char *const names[] = {"default", "light", "high-contrast", "mono"};
	for (size_t i = 0; i < 4; i++) {
		struct theme t;
		char err[512] = "";
		if (theme_load(&t, names[i], err, sizeof(err)) != 0)
			fail_msg("%s: %s", names[i], err);
		assert_string_equal(t.name, names[i]);
	}
	struct theme t;
	char err[512] = "";
	theme_load(&t, "mono", err, sizeof(err));
	assert_false(t.color);
	assert_int_equal(theme_load(&t, "no-such-theme", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "theme 'no-such-theme' not found"));
	assert_string_equal(t.name, "default");

	char names_found[THEME_LIST_MAX][THEME_NAME_MAX];
	int n = theme_list(names_found, THEME_LIST_MAX);
	assert_true(n >= 4);
	assert_string_equal(names_found[0], "default");
	bool light = false;
	for (int k = 0; k < n; k++)
		light = light || strcmp(names_found[k], "light") == 0;
	assert_true(light);
}

static void test_builtins_without_files(void **state)
{
	(void)state;
	setenv("OPSDECK_THEMES_DIR", "/nonexistent", 1);
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	struct theme t;
	char err[256] = "";
	assert_int_equal(theme_load(&t, "mono", err, sizeof(err)), 0);
	assert_false(t.color);
	assert_true(t.styles[UI_SELECTION].reverse);
	assert_int_equal(theme_load(&t, NULL, err, sizeof(err)), 0);
	assert_string_equal(t.name, "default");
}

/* NO_COLOR counts when set and not empty (no-color.org); --no-color always. */
static void test_no_color_reason(void **state)
{
	(void)state;
	assert_null(theme_no_color_reason(false, NULL));
	assert_null(theme_no_color_reason(false, ""));
	assert_string_equal(theme_no_color_reason(false, "1"), "NO_COLOR is set");
	assert_string_equal(theme_no_color_reason(false, "0"), "NO_COLOR is set");
	assert_string_equal(theme_no_color_reason(true, NULL), "--no-color is given");
	assert_string_equal(theme_no_color_reason(true, "1"), "--no-color is given");
}

static void make_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

/* An uninstalled program: PREFIX/bin/opsdeck with its themes in
 * PREFIX/share/opsdeck/themes, or a build tree's opsdeck beside its themes. */
static void test_search_beside_the_program(void **state)
{
	(void)state;
	char root[] = "/tmp/test_theme.XXXXXX", path[512];
	assert_non_null(mkdtemp(root));
	static const char *const made[] = {
	    "bin", "share",     "share/opsdeck",   "share/opsdeck/themes",
	    "src", "src/build", "src/build/themes"};
	for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, made[i]);
		assert_int_equal(mkdir(path, 0700), 0);
	}
	snprintf(path, sizeof(path), "%s/share/opsdeck/themes/light.theme", root);
	make_file(path, "ok = green\n");
	snprintf(path, sizeof(path), "%s/src/build/themes/dusk.theme", root);
	make_file(path, "ok = blue\n");

	struct theme_dirs dirs;
	struct theme t;
	char exe[512], err[8192] = "";
	snprintf(exe, sizeof(exe), "%s/bin/opsdeck", root);
	theme_dirs_compute(&dirs, NULL, NULL, NULL, exe);
	assert_int_equal(theme_load_from(&t, &dirs, "light", err, sizeof(err)), 0);
	assert_string_equal(t.name, "light");
	assert_int_equal(t.styles[UI_OK].fg, 2);

	snprintf(exe, sizeof(exe), "%s/src/build/opsdeck", root);
	theme_dirs_compute(&dirs, "", NULL, "/home/op", exe);
	assert_int_equal(theme_load_from(&t, &dirs, "dusk", err, sizeof(err)), 0);
	assert_int_equal(t.styles[UI_OK].fg, 4);

	/* not found: every directory searched is named, in order */
	assert_int_equal(theme_load_from(&t, &dirs, "light", err, sizeof(err)), -1);
	char want[2048];
	snprintf(want, sizeof(want),
	         "theme 'light' not found (looked in /home/op/.config/opsdeck/themes, "
	         "%s/src/build/themes, %s/src/build/../share/opsdeck/themes and ",
	         root, root);
	if (strstr(err, want) != err)
		fail_msg("got '%s', want it to start with '%s'", err, want);
	assert_string_equal(t.name, "default");

	/* $OPSDECK_THEMES_DIR comes first, a program path not absolute adds nothing */
	theme_dirs_compute(&dirs, "/env/themes", "/xdg", "/home/op", "opsdeck");
	assert_int_equal(dirs.count, 3);
	assert_string_equal(dirs.dir[0], "/env/themes");
	assert_string_equal(dirs.dir[1], "/xdg/opsdeck/themes");

	static const char *const gone[] = {"share/opsdeck/themes/light.theme",
	                                   "src/build/themes/dusk.theme",
	                                   "src/build/themes",
	                                   "src/build",
	                                   "src",
	                                   "share/opsdeck/themes",
	                                   "share/opsdeck",
	                                   "share",
	                                   "bin",
	                                   ""};
	for (size_t i = 0; i < sizeof(gone) / sizeof(gone[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, gone[i]);
		assert_int_equal(remove(path), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_colors),
	    cmocka_unit_test(test_banner_color),
	    cmocka_unit_test(test_approximation),
	    cmocka_unit_test(test_parse_good_and_partial),
	    cmocka_unit_test(test_parse_errors_name_file_and_line),
	    cmocka_unit_test(test_shipped_themes_parse),
	    cmocka_unit_test(test_builtins_without_files),
	    cmocka_unit_test(test_no_color_reason),
	    cmocka_unit_test(test_search_beside_the_program),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
