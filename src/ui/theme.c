/* theme.c - theme files: parsing, colour approximation, look-up (theme.h).
 * Parsing and approximation are pure; theme_load and theme_list read
 * directories. */
#include "ui/theme.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/file.h"
#include "util/text.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/opsdeck"
#endif

#define THEME_FILE_MAX 65536

static const char *const UI_ELEMENT_NAMES[UI_ELEMENT_COUNT] = {
#define UI_ELEMENT_NAME(id, name) name,
    UI_ELEMENT_LIST(UI_ELEMENT_NAME)
#undef UI_ELEMENT_NAME
};

static const char *const COLOR_NAMES[8] = {"black", "red",     "green", "yellow",
                                           "blue",  "magenta", "cyan",  "white"};

/* The RGB value of a 256-colour palette entry (xterm's defaults). */
static void theme_palette_rgb(int color, int rgb[3])
{
	static const int BASE[16][3] = {
	    {0, 0, 0},       {205, 0, 0},   {0, 205, 0},   {205, 205, 0},
	    {0, 0, 238},     {205, 0, 205}, {0, 205, 205}, {229, 229, 229},
	    {127, 127, 127}, {255, 0, 0},   {0, 255, 0},   {255, 255, 0},
	    {92, 92, 255},   {255, 0, 255}, {0, 255, 255}, {255, 255, 255},
	};
	if (color < 16) {
		memcpy(rgb, BASE[color], sizeof(BASE[color]));
	} else if (color < 232) {
		static const int LEVEL[6] = {0, 95, 135, 175, 215, 255};
		int c = color - 16;
		rgb[0] = LEVEL[c / 36];
		rgb[1] = LEVEL[(c / 6) % 6];
		rgb[2] = LEVEL[c % 6];
	} else {
		int v = 8 + (color - 232) * 10;
		rgb[0] = rgb[1] = rgb[2] = v;
	}
}

static int theme_nearest(const int rgb[3], int first, int count)
{
	int best = first;
	long best_distance = -1;
	for (int i = first; i < first + count; i++) {
		int p[3];
		theme_palette_rgb(i, p);
		long d = 0;
		for (int k = 0; k < 3; k++)
			d += (long)(p[k] - rgb[k]) * (p[k] - rgb[k]);
		if (best_distance < 0 || d < best_distance) {
			best_distance = d;
			best = i;
		}
	}
	return best;
}

int theme_approximate(int color, int colors)
{
	if (color < 0)
		return THEME_COLOR_DEFAULT;
	if (colors >= 256 || color < colors)
		return color;
	if (color < 16)
		return color - 8; /* bright-x on an 8-colour terminal: x (term.c adds bold) */
	int rgb[3];
	theme_palette_rgb(color, rgb);
	return theme_nearest(rgb, 0, colors >= 16 ? 16 : 8);
}

int theme_parse_color(const char *text, int *color)
{
	if (strcasecmp(text, "default") == 0 || strcasecmp(text, "none") == 0) {
		*color = THEME_COLOR_DEFAULT;
		return 0;
	}
	bool bright = false;
	const char *base = text;
	if (strncasecmp(text, "bright-", 7) == 0) {
		bright = true;
		base = text + 7;
	}
	for (int i = 0; i < 8; i++)
		if (strcasecmp(base, COLOR_NAMES[i]) == 0) {
			*color = i + (bright ? 8 : 0);
			return 0;
		}
	if (bright)
		return -1;
	if (text[0] == '#') {
		if (strlen(text) != 7)
			return -1;
		int rgb[3];
		for (int k = 0; k < 3; k++) {
			char hex[3] = {text[1 + 2 * k], text[2 + 2 * k], '\0'};
			char *end;
			long v = strtol(hex, &end, 16);
			if (*end != '\0' ||
			    !((hex[0] >= '0' && hex[0] <= '9') ||
			      (hex[0] >= 'a' && hex[0] <= 'f') || (hex[0] >= 'A' && hex[0] <= 'F')))
				return -1;
			rgb[k] = (int)v;
		}
		/* The 16 base colours are redefined by many terminals: only the
		 * cube and the grey ramp have dependable values. */
		*color = theme_nearest(rgb, 16, 240);
		return 0;
	}
	int64_t n;
	if (text_parse_int64(text, &n) == 0 && n >= 0 && n <= 255) {
		*color = (int)n;
		return 0;
	}
	return -1;
}

static void theme_set(struct theme *t, enum ui_element e, int fg, int bg, bool bold, bool reverse)
{
	t->styles[e] = (struct theme_style){.fg = fg, .bg = bg, .bold = bold, .reverse = reverse};
}

void theme_builtin_default(struct theme *t)
{
	memset(t, 0, sizeof(*t));
	text_copy(t->name, "default", sizeof(t->name));
	t->color = true;
	for (int e = 0; e < UI_ELEMENT_COUNT; e++)
		theme_set(t, (enum ui_element)e, THEME_COLOR_DEFAULT, THEME_COLOR_DEFAULT, false,
		          false);
	theme_set(t, UI_OK, 2, -1, false, false);
	theme_set(t, UI_WARNING, 3, -1, true, false);
	theme_set(t, UI_CRITICAL, 9, -1, true, false);
	theme_set(t, UI_UNKNOWN, 7, -1, false, false);
	theme_set(t, UI_BORDER, 4, -1, false, false);
	theme_set(t, UI_TITLE, 15, -1, true, false);
	theme_set(t, UI_FOCUS, 14, -1, true, false);
	theme_set(t, UI_HEADER, 0, 6, false, false);
	theme_set(t, UI_SPARKLINE, 6, -1, false, false);
	theme_set(t, UI_SELECTION, 0, 14, false, false);
	theme_set(t, UI_KEYBAR, 0, 7, false, false);
	theme_set(t, UI_DIM, 8, -1, false, false);
	theme_set(t, UI_DIALOG, 15, 4, false, false);
	theme_set(t, UI_BANNER, 15, 1, true, false);
}

void theme_set_banner_color(struct theme *t, const char *name)
{
	int bg;
	if (name == NULL || name[0] == '\0' || !t->color || theme_parse_color(name, &bg) < 0)
		return;
	/* black on the light ones, white on the dark */
	bool light = bg == 2 || bg == 3 || bg == 6;
	t->styles[UI_BANNER] = (struct theme_style){.fg = light ? 0 : 15, .bg = bg, .bold = true};
}

void theme_builtin_mono(struct theme *t)
{
	memset(t, 0, sizeof(*t));
	text_copy(t->name, "mono", sizeof(t->name));
	t->color = false;
	for (int e = 0; e < UI_ELEMENT_COUNT; e++)
		theme_set(t, (enum ui_element)e, THEME_COLOR_DEFAULT, THEME_COLOR_DEFAULT, false,
		          false);
	t->styles[UI_WARNING].bold = true;
	t->styles[UI_CRITICAL].bold = true;
	t->styles[UI_CRITICAL].underline = true;
	t->styles[UI_TITLE].bold = true;
	t->styles[UI_FOCUS].bold = true;
	t->styles[UI_HEADER].reverse = true;
	t->styles[UI_SELECTION].reverse = true;
	t->styles[UI_KEYBAR].reverse = true;
	t->styles[UI_BANNER].reverse = true;
	t->styles[UI_BANNER].bold = true;
}

/* Parses the right-hand side of one line into a style. */
static int theme_parse_style(char *value, struct theme_style *style, char *why, size_t whylen)
{
	struct theme_style s = {.fg = THEME_COLOR_DEFAULT, .bg = THEME_COLOR_DEFAULT};
	int colors = 0;
	bool want_bg = false;
	char *save = NULL;
	for (char *word = strtok_r(value, " \t", &save); word != NULL;
	     word = strtok_r(NULL, " \t", &save)) {
		if (strcasecmp(word, "bold") == 0) {
			s.bold = true;
		} else if (strcasecmp(word, "underline") == 0) {
			s.underline = true;
		} else if (strcasecmp(word, "reverse") == 0) {
			s.reverse = true;
		} else if (strcasecmp(word, "on") == 0) {
			if (want_bg || colors != 1) {
				snprintf(why, whylen, "'on' must come between two colours");
				return -1;
			}
			want_bg = true;
		} else {
			int c;
			if (theme_parse_color(word, &c) < 0) {
				snprintf(
				    why, whylen,
				    "unknown colour or attribute '%s' (want a colour name, 0-255, "
				    "#rrggbb, bold, underline or reverse)",
				    word);
				return -1;
			}
			if (colors == 0) {
				s.fg = c;
			} else if (want_bg && colors == 1) {
				s.bg = c;
				want_bg = false;
			} else {
				snprintf(why, whylen, "too many colours (write FG on BG)");
				return -1;
			}
			colors++;
		}
	}
	if (want_bg) {
		snprintf(why, whylen, "'on' without a background colour");
		return -1;
	}
	if (colors == 0 && !s.bold && !s.underline && !s.reverse) {
		snprintf(why, whylen, "no colour given");
		return -1;
	}
	*style = s;
	return 0;
}

int theme_parse(struct theme *t, const char *name, const char *text, const char *file, char *err,
                size_t errlen)
{
	struct theme parsed;
	theme_builtin_default(&parsed);
	text_copy(parsed.name, name, sizeof(parsed.name));
	parsed.color = false;
	char line[512];
	int lineno = 0;
	const char *p = text;
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		lineno++;
		if (len >= sizeof(line)) {
			snprintf(err, errlen, "%s:%d: line too long", file, lineno);
			goto fail;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (nl != NULL ? 1 : 0);
		char *s = text_trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		char *eq = strchr(s, '=');
		if (eq == NULL) {
			snprintf(err, errlen, "%s:%d: expected 'element = colour', got '%s'", file,
			         lineno, s);
			goto fail;
		}
		*eq = '\0';
		char *key = text_trim(s), *value = text_trim(eq + 1);
		int element = -1;
		for (int e = 0; e < UI_ELEMENT_COUNT; e++)
			if (strcasecmp(key, UI_ELEMENT_NAMES[e]) == 0)
				element = e;
		if (element < 0) {
			snprintf(err, errlen, "%s:%d: unknown element '%s'", file, lineno, key);
			goto fail;
		}
		char why[200];
		if (theme_parse_style(value, &parsed.styles[element], why, sizeof(why)) < 0) {
			snprintf(err, errlen, "%s:%d: %s", file, lineno, why);
			goto fail;
		}
		if (parsed.styles[element].fg >= 0 || parsed.styles[element].bg >= 0)
			parsed.color = true;
	}
	*t = parsed;
	return 0;
fail:
	theme_builtin_default(t);
	return -1;
}

void theme_dirs_compute(struct theme_dirs *dirs, const char *themes_env, const char *xdg,
                        const char *home, const char *exe_path)
{
	memset(dirs, 0, sizeof(*dirs));
	char(*d)[THEME_DIR_MAX] = dirs->dir;
	if (themes_env != NULL && *themes_env != '\0')
		text_copy(d[dirs->count++], themes_env, THEME_DIR_MAX);
	if (xdg != NULL && *xdg == '/')
		text_printf(d[dirs->count++], THEME_DIR_MAX, "%s/opsdeck/themes", xdg);
	else if (home != NULL && *home == '/')
		text_printf(d[dirs->count++], THEME_DIR_MAX, "%s/.config/opsdeck/themes", home);
	const char *slash = exe_path != NULL ? strrchr(exe_path, '/') : NULL;
	if (slash != NULL && exe_path[0] == '/') {
		int len = (int)(slash - exe_path);
		/* a build tree (and the demo): themes/ beside the program */
		text_printf(d[dirs->count++], THEME_DIR_MAX, "%.*s/themes", len, exe_path);
		/* an installation moved from its prefix: PREFIX/bin/../share */
		text_printf(d[dirs->count++], THEME_DIR_MAX, "%.*s/../share/opsdeck/themes", len,
		            exe_path);
	}
	text_printf(d[dirs->count++], THEME_DIR_MAX, "%s/themes", PKGDATADIR);
}

void theme_dirs_current(struct theme_dirs *dirs)
{
	char exe[THEME_DIR_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0)
		exe[n] = '\0';
	theme_dirs_compute(dirs, getenv("OPSDECK_THEMES_DIR"), getenv("XDG_CONFIG_HOME"),
	                   getenv("HOME"), n > 0 ? exe : NULL);
}

/* "A, B and C": the directories, for a message. */
static void theme_dirs_describe(const struct theme_dirs *dirs, char *out, size_t size)
{
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < dirs->count && used < size; i++) {
		const char *sep = i == 0 ? "" : i == dirs->count - 1 ? " and " : ", ";
		text_printf(out + used, size - used, "%s%s", sep, dirs->dir[i]);
		used += strlen(out + used);
	}
}

int theme_load_from(struct theme *t, const struct theme_dirs *dirs, const char *name, char *err,
                    size_t errlen)
{
	char path[THEME_DIR_MAX + THEME_NAME_MAX + 16] = "";
	if (name == NULL || *name == '\0')
		name = "default";
	if (strchr(name, '/') != NULL) {
		text_copy(path, name, sizeof(path));
	} else {
		for (int i = 0; i < dirs->count && path[0] == '\0'; i++) {
			char candidate[sizeof(path)];
			struct stat st;
			text_printf(candidate, sizeof(candidate), "%s/%s.theme", dirs->dir[i],
			            name);
			if (stat(candidate, &st) == 0)
				text_copy(path, candidate, sizeof(path));
		}
	}
	if (path[0] == '\0') {
		if (strcmp(name, "mono") == 0) {
			theme_builtin_mono(t);
			return 0;
		}
		theme_builtin_default(t);
		if (strcmp(name, "default") == 0)
			return 0;
		char looked[THEME_DIRS_MAX * (THEME_DIR_MAX + 8)];
		theme_dirs_describe(dirs, looked, sizeof(looked));
		text_printf(err, errlen, "theme '%s' not found (looked in %s)", name, looked);
		return -1;
	}
	char *text;
	if (file_read_text(path, path, THEME_FILE_MAX, 0, &text, NULL, NULL, err, errlen) != 0) {
		theme_builtin_default(t);
		return -1;
	}
	char base[THEME_NAME_MAX];
	const char *slash = strrchr(path, '/');
	text_copy(base, slash != NULL ? slash + 1 : path, sizeof(base));
	char *dot = strstr(base, ".theme");
	if (dot != NULL)
		*dot = '\0';
	int rc = theme_parse(t, base, text, path, err, errlen);
	free(text);
	return rc;
}

int theme_load(struct theme *t, const char *name, char *err, size_t errlen)
{
	struct theme_dirs dirs;
	theme_dirs_current(&dirs);
	return theme_load_from(t, &dirs, name, err, errlen);
}

static int theme_name_compare(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void theme_list_add(char names[][THEME_NAME_MAX], int max, int *count, const char *name)
{
	for (int i = 0; i < *count; i++)
		if (strcmp(names[i], name) == 0)
			return;
	if (*count < max)
		text_copy(names[(*count)++], name, THEME_NAME_MAX);
}

int theme_list(char names[][THEME_NAME_MAX], int max)
{
	int count = 0;
	theme_list_add(names, max, &count, "default");
	theme_list_add(names, max, &count, "mono");
	struct theme_dirs dirs;
	theme_dirs_current(&dirs);
	for (int i = 0; i < dirs.count; i++) {
		DIR *d = opendir(dirs.dir[i]);
		if (d == NULL)
			continue;
		struct dirent *ent;
		while ((ent = readdir(d)) != NULL) {
			size_t len = strlen(ent->d_name);
			if (len <= 6 || len - 6 >= THEME_NAME_MAX || ent->d_name[0] == '.' ||
			    strcmp(ent->d_name + len - 6, ".theme") != 0)
				continue;
			char name[THEME_NAME_MAX];
			memcpy(name, ent->d_name, len - 6);
			name[len - 6] = '\0';
			theme_list_add(names, max, &count, name);
		}
		closedir(d);
	}
	qsort(names, (size_t)count, THEME_NAME_MAX, theme_name_compare);
	return count;
}

const char *theme_no_color_reason(bool option, const char *no_color_env)
{
	if (option)
		return "--no-color is given";
	if (no_color_env != NULL && no_color_env[0] != '\0')
		return "NO_COLOR is set";
	return NULL;
}
