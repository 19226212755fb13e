/* theme.h - the dashboard's colours: UI elements and the themes that map
 * them to colours (htop's colour table indexed by element).
 *
 * A theme file (themes/NAME.theme, format in doc/themes.md) has one line per
 * element: ELEMENT = FOREGROUND [on BACKGROUND] [bold] [underline] [reverse].
 * Colours are names (black ... white, bright-black ... bright-white,
 * default), numbers 0-255 or #rrggbb (kept as the nearest of the 256
 * xterm colours). Drawing code only names elements; term.c turns them into
 * curses attributes, approximating on 8- and 16-colour terminals.
 *
 * Themes are looked up by name in, in order: $OPSDECK_THEMES_DIR,
 * $XDG_CONFIG_HOME/opsdeck/themes (~/.config/opsdeck/themes), then beside
 * the running program (DIR/themes and DIR/../share/opsdeck/themes, DIR
 * holding /proc/self/exe: a build tree, the demo, a moved installation),
 * then PKGDATADIR/themes. "default" and "mono" are also built in, so the
 * dashboard always has a theme even when none is installed.
 */
#ifndef OPSDECK_UI_THEME_H
#define OPSDECK_UI_THEME_H

#include <stdbool.h>
#include <stddef.h>

#define UI_ELEMENT_LIST(X)                                                                         \
	X(UI_NORMAL, "normal")                                                                     \
	X(UI_OK, "ok")                                                                             \
	X(UI_WARNING, "warning")                                                                   \
	X(UI_CRITICAL, "critical")                                                                 \
	X(UI_UNKNOWN, "unknown")                                                                   \
	X(UI_BORDER, "border")                                                                     \
	X(UI_TITLE, "title")                                                                       \
	X(UI_FOCUS, "focus")                                                                       \
	X(UI_HEADER, "header")                                                                     \
	X(UI_SPARKLINE, "sparkline")                                                               \
	X(UI_SELECTION, "selection")                                                               \
	X(UI_KEYBAR, "keybar")                                                                     \
	X(UI_DIM, "dim")                                                                           \
	X(UI_DIALOG, "dialog")                                                                     \
	X(UI_BANNER, "banner")

enum ui_element {
#define UI_ELEMENT_ENUM(id, name) id,
	UI_ELEMENT_LIST(UI_ELEMENT_ENUM)
#undef UI_ELEMENT_ENUM
	    UI_ELEMENT_COUNT
};

#define THEME_COLOR_DEFAULT (-1)

struct theme_style {
	int fg; /* 0-255, or THEME_COLOR_DEFAULT */
	int bg;
	bool bold;
	bool underline;
	bool reverse;
};

#define THEME_NAME_MAX 64

struct theme {
	char name[THEME_NAME_MAX];
	bool color; /* false for a theme that sets no colour at all (mono) */
	struct theme_style styles[UI_ELEMENT_COUNT];
};

/* The built-in themes. */
void theme_builtin_default(struct theme *t);
void theme_builtin_mono(struct theme *t);

/* Parses theme text. Elements the text does not set keep the built-in
 * default's style. `file` names the source in messages. Returns 0, or -1
 * with "FILE:LINE: what is wrong" in err (the theme is then the default). */
int theme_parse(struct theme *t, const char *name, const char *text, const char *file, char *err,
                size_t errlen);

/* Gives the banner (UI_BANNER) the background colour named (a theme
 * colour name, e.g. "red") with a text colour readable on it; NULL or ""
 * keeps the theme's style, as does a theme without colour. */
void theme_set_banner_color(struct theme *t, const char *name);

/* Parses one colour ("red", "bright-blue", "208", "#ff8800", "default").
 * Returns 0 and the colour (0-255 or THEME_COLOR_DEFAULT), or -1. */
int theme_parse_color(const char *text, int *color);

/* The nearest of the first `colors` palette entries (8, 16 or 256) to the
 * 256-colour index `color`; THEME_COLOR_DEFAULT stays. */
int theme_approximate(int color, int colors);

#define THEME_DIRS_MAX 5
#define THEME_DIR_MAX  1024

/* The directories a theme is looked up in, in order. */
struct theme_dirs {
	int count;
	char dir[THEME_DIRS_MAX][THEME_DIR_MAX];
};

/* The search path from the values of $OPSDECK_THEMES_DIR, $XDG_CONFIG_HOME
 * and $HOME and the program's absolute path (each may be NULL). Pure. */
void theme_dirs_compute(struct theme_dirs *dirs, const char *themes_env, const char *xdg,
                        const char *home, const char *exe_path);

/* The search path of this process (its environment and /proc/self/exe). */
void theme_dirs_current(struct theme_dirs *dirs);

/* theme_load over `dirs`; a theme not found names every directory searched
 * in err. */
int theme_load_from(struct theme *t, const struct theme_dirs *dirs, const char *name, char *err,
                    size_t errlen);

/* Finds and loads a theme by name (or a path when `name` contains '/').
 * "mono" and "default" fall back to the built-ins when no file has them.
 * Returns 0; or -1 with the reason in err, and `t` set to the default. */
int theme_load(struct theme *t, const char *name, char *err, size_t errlen);

/* Why the dashboard shows no colour: "--no-color is given" when `option`,
 * "NO_COLOR is set" when no_color_env (the variable's value, or NULL) is
 * not empty (https://no-color.org), else NULL: colours are allowed. With a
 * reason the dashboard keeps "mono", whatever theme is asked for. */
const char *theme_no_color_reason(bool option, const char *no_color_env);

#define THEME_LIST_MAX 32

/* The names of every theme found in theme_dirs_current(), sorted, "default"
 * and "mono" included. Returns the count. */
int theme_list(char names[][THEME_NAME_MAX], int max);

#endif
