/* keys.h - the dashboard's key bindings as one table, UI_KEYS[]
 * (dashboard_keys.c): each row names the keys that run it, what the help
 * screen and the key bar say about it, and the function it runs. The
 * dispatch, the help screen and the key bar all read that table, so a key
 * is added, renamed or documented in one row. The readers here are pure.
 */
#ifndef OPSDECK_UI_KEYS_H
#define OPSDECK_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/term.h"

struct dashboard;
struct ui_state;

#define UI_KEY_CODES_MAX 6

/* One key: a special key, or UI_KEY_CHAR and the character. */
struct ui_key_code {
	enum ui_key key;
	unsigned int ch;
};

struct ui_key_binding {
	/* The keys that run it; the list ends at the first UI_KEY_NONE. */
	struct ui_key_code codes[UI_KEY_CODES_MAX];
	const char *help_key;      /* the help screen's key column */
	const char *help_key_utf8; /* the same with arrows, or NULL for help_key */
	const char *description;   /* the help screen's line */
	/* The help screen's line in read-only mode, saying what that mode
	 * leaves of it, or NULL for description: the same in every mode. */
	const char *description_read_only;
	const char *bar_key;   /* the key bar's name for it, or NULL: not in the bar */
	const char *bar_label; /* the key bar's word for it */
	/* The key bar's word for it in read-only mode, or NULL for bar_label. */
	const char *bar_label_read_only;
	/* A label that follows the state (Pause/Resume, the interval), or
	 * NULL for bar_label; may write into buf. */
	const char *(*bar_label_of)(const struct ui_state *st, char *buf, size_t size);
	/* Runs the key on the dashboard (dashboard_keys.c). */
	void (*run)(struct dashboard *d, const struct ui_key_event *ev);
};

extern const struct ui_key_binding UI_KEYS[];
extern const size_t UI_KEY_COUNT;

/* The row that `ev` runs, or NULL. */
const struct ui_key_binding *ui_keys_find(const struct ui_key_event *ev);

/* The key bar's label of a row in state `st` ("Pause", "Recover(dry)"). */
const char *ui_keys_bar_label(const struct ui_key_binding *b, const struct ui_state *st, char *buf,
                              size_t size);

/* The help screen: one line per row, then the legend of the marks. When
 * read_only, a row's description_read_only where it has one. */
void ui_keys_help_text(char *dst, size_t size, bool utf8, bool read_only);

#endif
