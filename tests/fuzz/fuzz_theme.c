/* fuzz_theme.c - feeds arbitrary text to theme_parse() as a theme file,
 * and the first line of it to theme_parse_color().
 *
 * Beyond not crashing: an error names the file and line and leaves the
 * built-in default theme; a success gives colours within 0..255 or the
 * terminal's default, and styles that round-trip (written back as
 * "element = FG on BG bold ..." and parsed again, they come out the same);
 * every colour approximates to one the terminal has (8, 16 or 256). */
#include "fuzz.h"

#include "ui/theme.h"
#include "util/strbuf.h"

static const char *const element_names[UI_ELEMENT_COUNT] = {
#define ELEMENT_NAME(id, name) name,
    UI_ELEMENT_LIST(ELEMENT_NAME)
#undef ELEMENT_NAME
};

static void check_color(int color)
{
	FUZZ_CHECK(color == THEME_COLOR_DEFAULT || (color >= 0 && color <= 255));
	static const int depths[] = {8, 16, 256};
	for (size_t i = 0; i < 3; i++) {
		int near = theme_approximate(color, depths[i]);
		FUZZ_CHECK(color < 0 ? near == THEME_COLOR_DEFAULT : near >= 0 && near < depths[i]);
	}
}

static bool styles_equal(const struct theme *a, const struct theme *b)
{
	for (int e = 0; e < UI_ELEMENT_COUNT; e++) {
		const struct theme_style *x = &a->styles[e], *y = &b->styles[e];
		if (x->fg != y->fg || x->bg != y->bg || x->bold != y->bold ||
		    x->underline != y->underline || x->reverse != y->reverse)
			return false;
	}
	return true;
}

static void write_color(struct strbuf *out, int color)
{
	if (color == THEME_COLOR_DEFAULT)
		strbuf_puts(out, "default");
	else
		strbuf_printf(out, "%d", color);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	struct theme t, fallback;
	theme_builtin_default(&fallback);
	char err[512] = "";
	if (theme_parse(&t, "fuzz", text, "fuzz.theme", err, sizeof(err)) < 0) {
		FUZZ_CHECK(strncmp(err, "fuzz.theme:", 11) == 0);
		FUZZ_CHECK(styles_equal(&t, &fallback));
	} else {
		struct strbuf back;
		strbuf_init(&back, 0);
		for (int e = 0; e < UI_ELEMENT_COUNT; e++) {
			const struct theme_style *s = &t.styles[e];
			check_color(s->fg);
			check_color(s->bg);
			strbuf_printf(&back, "%s = ", element_names[e]);
			write_color(&back, s->fg);
			strbuf_puts(&back, " on ");
			write_color(&back, s->bg);
			strbuf_printf(&back, "%s%s%s\n", s->bold ? " bold" : "",
			              s->underline ? " underline" : "",
			              s->reverse ? " reverse" : "");
		}
		struct theme again;
		if (theme_parse(&again, "fuzz", strbuf_str(&back), "again.theme", err,
		                sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			abort();
		}
		FUZZ_CHECK(styles_equal(&again, &t));
		strbuf_free(&back);
	}

	char *newline = strchr(text, '\n');
	if (newline)
		*newline = '\0';
	int color = 12345;
	if (theme_parse_color(text, &color) == 0)
		check_color(color);
	else
		FUZZ_CHECK(color == 12345);
	free(text);
	return 0;
}
