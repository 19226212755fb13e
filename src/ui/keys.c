/* keys.c - lookups in the key table and the texts made from it (keys.h). */
#include "ui/keys.h"

#include <stdio.h>
#include <string.h>

#include "ui/panel.h"
#include "ui/panels.h"

#define HELP_KEY_COLUMNS 11 /* the key column of the help screen, in columns */

static bool ui_keys_match(const struct ui_key_code *code, const struct ui_key_event *ev)
{
	return code->key == ev->key && (ev->key != UI_KEY_CHAR || code->ch == ev->ch);
}

const struct ui_key_binding *ui_keys_find(const struct ui_key_event *ev)
{
	for (size_t i = 0; i < UI_KEY_COUNT; i++)
		for (int c = 0; c < UI_KEY_CODES_MAX && UI_KEYS[i].codes[c].key != UI_KEY_NONE; c++)
			if (ui_keys_match(&UI_KEYS[i].codes[c], ev))
				return &UI_KEYS[i];
	return NULL;
}

const char *ui_keys_bar_label(const struct ui_key_binding *b, const struct ui_state *st, char *buf,
                              size_t size)
{
	if (b->bar_label_of != NULL)
		return b->bar_label_of(st, buf, size);
	(void)buf;
	(void)size;
	if (b->bar_label_read_only != NULL && st->read_only)
		return b->bar_label_read_only;
	return b->bar_label;
}

/* Columns of a UTF-8 string: one per code point. */
static int ui_keys_columns(const char *s)
{
	int cols = 0;
	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			cols++;
	return cols;
}

void ui_keys_help_text(char *dst, size_t size, bool utf8, bool read_only)
{
	size_t len = 0;
	if (size == 0)
		return;
	dst[0] = '\0';
	for (size_t i = 0; i < UI_KEY_COUNT && len < size; i++) {
		const struct ui_key_binding *b = &UI_KEYS[i];
		const char *key = utf8 && b->help_key_utf8 != NULL ? b->help_key_utf8 : b->help_key;
		int pad = HELP_KEY_COLUMNS - ui_keys_columns(key);
		const char *what = read_only && b->description_read_only != NULL
		                       ? b->description_read_only
		                       : b->description;
		int n =
		    snprintf(dst + len, size - len, "%s%*s%s\n", key, pad > 1 ? pad : 1, "", what);
		if (n < 0)
			return;
		len += (size_t)n;
	}
	if (len + 1 < size) {
		dst[len++] = '\n';
		panel_marks_legend(dst + len, size - len, utf8);
	}
}
