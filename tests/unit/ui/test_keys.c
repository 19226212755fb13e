/* Unit tests for ui/keys: the key table's lookups, the key bar's labels
 * and the help screen made from it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ui/keys.h"
#include "ui/panels.h"

static const struct ui_key_binding *find(enum ui_key key, unsigned int ch)
{
	struct ui_key_event ev = {.key = key, .ch = ch};
	return ui_keys_find(&ev);
}

static void test_every_row_is_complete(void **state)
{
	(void)state;
	assert_true(UI_KEY_COUNT > 0);
	for (size_t i = 0; i < UI_KEY_COUNT; i++) {
		const struct ui_key_binding *b = &UI_KEYS[i];
		assert_non_null(b->run);
		assert_non_null(b->help_key);
		assert_non_null(b->description);
		assert_int_not_equal(b->codes[0].key, UI_KEY_NONE);
		if (b->bar_key != NULL)
			assert_true(b->bar_label != NULL || b->bar_label_of != NULL);
		/* no key runs two rows */
		for (int c = 0; c < UI_KEY_CODES_MAX && b->codes[c].key != UI_KEY_NONE; c++)
			assert_ptr_equal(find(b->codes[c].key, b->codes[c].ch), b);
	}
}

static void test_find(void **state)
{
	(void)state;
	assert_ptr_equal(find(UI_KEY_CHAR, 'Q'), find(UI_KEY_CHAR, 'q'));
	assert_ptr_equal(find(UI_KEY_CHAR, 'h'), find(UI_KEY_CHAR, '?'));
	assert_ptr_equal(find(UI_KEY_BACKTAB, 0), find(UI_KEY_TAB, 0));
	assert_ptr_equal(find(UI_KEY_END, 0), find(UI_KEY_UP, 0));
	assert_ptr_equal(find(UI_KEY_CHAR, '-'), find(UI_KEY_CHAR, '+'));
	assert_string_equal(find(UI_KEY_ESCAPE, 0)->help_key, "Esc");
	assert_null(find(UI_KEY_RESIZE, 0));
	assert_null(find(UI_KEY_CHAR, 'x'));
	assert_null(find(UI_KEY_LEFT, 0));
}

static void test_bar_labels_follow_the_state(void **state)
{
	(void)state;
	struct ui_state st;
	memset(&st, 0, sizeof(st));
	st.interval_ms = 5000;
	strcpy(st.theme_name, "light");
	char buf[64];
	const struct ui_key_binding *r = find(UI_KEY_CHAR, 'r');
	assert_string_equal(ui_keys_bar_label(r, &st, buf, sizeof(buf)), "Recover");
	st.read_only = true;
	assert_string_equal(ui_keys_bar_label(r, &st, buf, sizeof(buf)), "Recover(dry)");
	const struct ui_key_binding *b = find(UI_KEY_CHAR, 'b');
	assert_string_equal(ui_keys_bar_label(b, &st, buf, sizeof(buf)), "Backup");
	const struct ui_key_binding *p = find(UI_KEY_CHAR, 'p');
	assert_string_equal(ui_keys_bar_label(p, &st, buf, sizeof(buf)), "Pause");
	st.paused = true;
	assert_string_equal(ui_keys_bar_label(p, &st, buf, sizeof(buf)), "Resume");
	const struct ui_key_binding *t = find(UI_KEY_CHAR, 't');
	assert_string_equal(ui_keys_bar_label(t, &st, buf, sizeof(buf)), "light");
}

static void test_help_text(void **state)
{
	(void)state;
	char text[4096];
	ui_keys_help_text(text, sizeof(text), false, false);
	assert_true(strncmp(text, "q          quit (in a dialog: close it)\n", 40) == 0);
	assert_non_null(strstr(text, "\nUp/Down    move in the focused panel"));
	assert_non_null(strstr(text, "\nr          guided recovery for the selected issue\n"));
	assert_non_null(strstr(
	    text,
	    "\nb          backup menu: back up, list, verify, restore into a new database\n"));
	assert_non_null(strstr(text, "\n\nStates: + OK  ! WARN  x CRIT  . WAIT (first poll)  - N/A "
	                             "(not configured)"));
	ui_keys_help_text(text, sizeof(text), true, true);
	assert_non_null(strstr(text, "\n\xe2\x86\x91 \xe2\x86\x93        move"));
	assert_null(strstr(text, "DISABLED"));
	assert_non_null(
	    strstr(text, "\nr          guided recovery: dry runs only (read-only mode)\n"));
	assert_non_null(
	    strstr(text, "\nb          backup menu (backups still run; restore is refused)\n"));
	assert_non_null(
	    strstr(text, "\nt          next theme (mono stays under NO_COLOR or --no-color)\n"));
	/* Tab's order is the screen's (test_panels checks the layout) */
	assert_non_null(strstr(text, "\nTab        focus the next panel in reading order;"));
	/* a short buffer is cut, never overrun */
	char small[16];
	ui_keys_help_text(small, sizeof(small), true, false);
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_row_is_complete),
	    cmocka_unit_test(test_find),
	    cmocka_unit_test(test_bar_labels_follow_the_state),
	    cmocka_unit_test(test_help_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
