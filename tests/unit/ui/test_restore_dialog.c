/* test_restore_dialog.c - the backup menu's Restore… (ui/restore_dialog.c)
 * key by key: refused in read-only mode and without a target, the listing
 * that fails or finds nothing, the picker (newest first, moving, a window
 * that fits 70x20), the target name (default, inline errors, the live
 * database refused), the engine's dry run (its answer, a refusal, a stale
 * answer ignored), the typed confirmation, the running
 * restore cancelled, the result; the picker and the confirmation drawn at
 * 70x20, 80x24 and 120x40 against golden files in tests/fixtures/ui. The
 * default name and the progress line are pure functions tested here too.
 * Nothing is listed, spawned or connected to: the listing's and the dry
 * run's answers are handed in as restore_menu.c does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "screen.h"
#include "ui/restore_dialog.h"

static struct config cfg;
static struct restore_dialog dialog;
static struct screen_parts parts;
static struct ui_view view;

/* 2026-12-04 14:03:01 UTC */
#define T0 1796392981000LL

static struct restore_choice choices[10];

static int setup(void **state)
{
	(void)state;
	config_defaults(&cfg);
	screen_set_string(&cfg.backup.target, "s3://backups/shop");
	screen_view_quiet(&view, &parts);
	memset(&dialog, 0, sizeof(dialog));
	for (int i = 0; i < 10; i++) {
		/* newest first: one a day */
		snprintf(choices[i].key, sizeof(choices[i].key), "shop_2026%02d%02dT140301Z.sql.gz",
		         i < 4 ? 12 : 11, i < 4 ? 4 - i : 34 - i);
		choices[i].modified_ms = T0 - (int64_t)i * 86400000LL;
		choices[i].size = 12345678ULL + (uint64_t)i * 1000000ULL;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	config_free(&cfg);
	return 0;
}

static enum restore_effect key(enum ui_key k, unsigned int ch)
{
	struct ui_key_event ev = {.key = k, .ch = ch};
	enum restore_effect e = restore_dialog_key(&dialog, &ev);
	restore_dialog_render(&dialog, &parts.state);
	return e;
}

static void type(const char *s)
{
	for (; *s; s++)
		key(UI_KEY_CHAR, (unsigned char)*s);
}

static void clear_input(void)
{
	for (int i = 0; i < RESTORE_DB_NAME_MAX + 1; i++)
		key(UI_KEY_BACKSPACE, 0);
}

/* The screen at 70x20, 80x24 and 120x40 against NAME_WxH. */
static void check_goldens(const char *name)
{
	static const int sizes[][2] = {{70, 20}, {80, 24}, {120, 40}};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char golden[64];
		snprintf(golden, sizeof(golden), "%s_%dx%d", name, sizes[i][0], sizes[i][1]);
		screen_check_golden(&view, sizes[i][0], sizes[i][1], golden);
	}
}

static void open_listed(int count)
{
	assert_true(restore_dialog_open(&dialog, &cfg, "shop", "20261204"));
	assert_int_equal(dialog.step, RESTORE_STEP_LISTING);
	restore_dialog_listed(&dialog, choices, count, "");
	restore_dialog_render(&dialog, &parts.state);
}

static void test_default_name(void **state)
{
	(void)state;
	char name[RESTORE_DB_NAME_MAX + 1];
	char err[64];
	restore_default_name(name, sizeof(name), "shop", "20261204");
	assert_string_equal(name, "shop_restore_20261204");
	/* a source that is not a plain identifier is left out */
	restore_default_name(name, sizeof(name), "Shop-DB", "20261204");
	assert_string_equal(name, "restore_20261204");
	restore_default_name(name, sizeof(name), "", "20261204");
	assert_string_equal(name, "restore_20261204");
	/* a long source is cut so the whole name is still valid */
	char source[RESTORE_DB_NAME_MAX + 1];
	memset(source, 's', RESTORE_DB_NAME_MAX);
	source[RESTORE_DB_NAME_MAX] = '\0';
	restore_default_name(name, sizeof(name), source, "20261204");
	assert_int_equal(strlen(name), RESTORE_DB_NAME_MAX);
	assert_int_equal(restore_db_name_check(name, err, sizeof(err)), 0);
	assert_non_null(strstr(name, "_restore_20261204"));
}

static void test_progress_line(void **state)
{
	(void)state;
	char line[160];
	restore_progress_line(line, sizeof(line), 12300000, 45600000, 2000);
	assert_string_equal(line, "12.3 of 45.6 MB (26%), 6.2 MB/s, ETA 5.4 s");
	restore_progress_line(line, sizeof(line), 0, 45600000, 0);
	assert_string_equal(line, "0.0 of 45.6 MB (0%), 0.0 MB/s, ETA ?");
	/* no total (or past it, the estimate was low): no ETA */
	restore_progress_line(line, sizeof(line), 5000000, 0, 1000);
	assert_string_equal(line, "5.0 MB, 5.0 MB/s");
	restore_progress_line(line, sizeof(line), 5000000, 4000000, 1000);
	assert_string_equal(line, "5.0 MB, 5.0 MB/s");
}

static void test_refused(void **state)
{
	(void)state;
	cfg.recovery.read_only = true;
	assert_false(restore_dialog_open(&dialog, &cfg, "shop", "20261204"));
	assert_int_equal(dialog.step, RESTORE_STEP_REFUSED);
	restore_dialog_render(&dialog, &parts.state);
	assert_string_equal(parts.state.dialog_text,
	                    "Restore is refused in read-only mode: it creates a database. "
	                    "Backups, listing and verification still run.");
	assert_string_equal(parts.state.dialog_footer, "Esc close");
	assert_int_equal(key(UI_KEY_ENTER, 0), RESTORE_EFFECT_CLOSE);

	cfg.recovery.read_only = false;
	screen_set_string(&cfg.backup.target, "");
	assert_false(restore_dialog_open(&dialog, &cfg, "shop", "20261204"));
	restore_dialog_render(&dialog, &parts.state);
	assert_non_null(strstr(parts.state.dialog_text, "No backup target"));
	assert_int_equal(key(UI_KEY_ESCAPE, 0), RESTORE_EFFECT_CLOSE);
}

static void test_listing(void **state)
{
	(void)state;
	assert_true(restore_dialog_open(&dialog, &cfg, "shop", "20261204"));
	restore_dialog_render(&dialog, &parts.state);
	assert_string_equal(parts.state.dialog_text, "Reading the backups at s3://backups/shop...");
	/* keys other than Esc wait for the listing */
	assert_int_equal(key(UI_KEY_CHAR, 'x'), RESTORE_EFFECT_NONE);
	restore_dialog_listed(&dialog, NULL, -1, "HTTP 403 AccessDenied");
	restore_dialog_render(&dialog, &parts.state);
	assert_string_equal(parts.state.dialog_text,
	                    "The backups cannot be listed: HTTP 403 AccessDenied");
	/* a result that comes after the dialog moved on is ignored */
	restore_dialog_listed(&dialog, choices, 3, "");
	assert_int_equal(dialog.step, RESTORE_STEP_REFUSED);

	open_listed(0);
	assert_non_null(strstr(parts.state.dialog_text, "No complete database backup at "));
	assert_int_equal(key(UI_KEY_ENTER, 0), RESTORE_EFFECT_NONE);
	assert_int_equal(dialog.step, RESTORE_STEP_PICK);
	assert_int_equal(key(UI_KEY_ESCAPE, 0), RESTORE_EFFECT_CLOSE);
}

static void test_pick(void **state)
{
	(void)state;
	open_listed(10);
	assert_string_equal(parts.state.dialog_footer, "Up/Down pick  Enter choose  Esc back");
	assert_non_null(strstr(parts.state.dialog_text,
	                       "  > 2026-12-04 14:03     12.3 MB  shop_20261204T140301Z.sql.gz\n"));
	assert_non_null(strstr(parts.state.dialog_text, "  1 of 10\n"));
	check_goldens("restore_pick");

	/* Up at the top stays; Down moves; End, Home; the window follows */
	static const struct {
		enum ui_key key;
		int selected;
	} moves[] = {{UI_KEY_UP, 0},   {UI_KEY_DOWN, 1},    {UI_KEY_END, 9},
	             {UI_KEY_DOWN, 9}, {UI_KEY_PAGE_UP, 3}, {UI_KEY_PAGE_DOWN, 9},
	             {UI_KEY_HOME, 0}, {UI_KEY_PAGE_UP, 0}, {UI_KEY_DOWN, 1}};
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		key(moves[i].key, 0);
		assert_int_equal(dialog.selected, moves[i].selected);
		if (moves[i].key == UI_KEY_END) {
			assert_non_null(strstr(parts.state.dialog_text, "  > 2026-11-25 14:03"));
			assert_null(strstr(parts.state.dialog_text, "2026-12-04 14:03"));
		}
	}
	assert_int_equal(key(UI_KEY_ENTER, 0), RESTORE_EFFECT_NONE);
	assert_int_equal(dialog.step, RESTORE_STEP_NAME);
	assert_non_null(strstr(parts.state.dialog_text,
	                       "Restore shop_20261203T140301Z.sql.gz\n(13.3 MB, stored "
	                       "2026-12-03 14:03 UTC)\n"));
	/* Esc goes back to the picker, the choice kept */
	key(UI_KEY_ESCAPE, 0);
	assert_int_equal(dialog.step, RESTORE_STEP_PICK);
	assert_int_equal(dialog.selected, 1);
}

/* A key longer than the picker's column shows its end; the whole key is
 * under the list. More backups than offered say where the rest are. */
static void test_pick_long_keys(void **state)
{
	(void)state;
	snprintf(choices[0].key, sizeof(choices[0].key),
	         "production/eu-west/shop_20261204T140301Z.sql.gz");
	assert_true(restore_dialog_open(&dialog, &cfg, "shop", "20261204"));
	struct restore_choice many[RESTORE_PICK_MAX + 5];
	for (size_t i = 0; i < sizeof(many) / sizeof(many[0]); i++)
		many[i] = choices[0];
	restore_dialog_listed(&dialog, many, RESTORE_PICK_MAX + 5, "");
	restore_dialog_render(&dialog, &parts.state);
	assert_int_equal(dialog.choice_count, RESTORE_PICK_MAX);
	assert_non_null(strstr(parts.state.dialog_text, "  ...p_20261204T140301Z.sql.gz\n"));
	assert_non_null(strstr(parts.state.dialog_text, "  1 of 64 (older ones: backup list)\n"));
	assert_non_null(
	    strstr(parts.state.dialog_text, "\nproduction/eu-west/shop_20261204T140301Z.sql.gz"));
}

#define PLAN                                                                                       \
	"would create database shop_copy on postgresql://postgres@127.0.0.1:5432/postgres and "    \
	"restore shop_20261204T140301Z.sql.gz into it: a plain dump of shop taken "                \
	"2026-12-04T14:03:01Z, 12.3 MB stored (40.1 MB of SQL), checked against its SHA-256"

/* Enter at NAME: PLANNING until the engine's dry run answers. */
static void dry_run(const char *name, bool ok, const char *answer)
{
	assert_int_equal(key(UI_KEY_ENTER, 0), RESTORE_EFFECT_DRY_RUN);
	assert_int_equal(dialog.step, RESTORE_STEP_PLANNING);
	assert_string_equal(parts.state.dialog_footer, "Esc back");
	assert_true(
	    restore_dialog_planned(&dialog, dialog.choices[dialog.selected].key, name, ok, answer));
	restore_dialog_render(&dialog, &parts.state);
	assert_int_equal(dialog.step, RESTORE_STEP_PREVIEW);
}

static void test_name_confirm_run(void **state)
{
	(void)state;
	open_listed(3);
	key(UI_KEY_ENTER, 0);
	assert_string_equal(dialog.input, "shop_restore_20261204");
	assert_string_equal(parts.state.dialog_footer, "Enter dry run  Backspace edit  Esc back");

	/* inline errors: none, a bad name, the live database */
	clear_input();
	assert_int_equal(key(UI_KEY_ENTER, 0), RESTORE_EFFECT_NONE);
	assert_non_null(strstr(parts.state.dialog_text, "> _\ntype a name for the new database"));
	type("9-shop");
	key(UI_KEY_ENTER, 0);
	assert_int_equal(dialog.step, RESTORE_STEP_NAME);
	assert_non_null(strstr(parts.state.dialog_text,
	                       "> 9-shop_\n'9-shop' is not a database name opsdeck creates"));
	clear_input();
	type("shop");
	key(UI_KEY_ENTER, 0);
	assert_int_equal(dialog.step, RESTORE_STEP_NAME);
	assert_non_null(
	    strstr(parts.state.dialog_text, "shop is the app's live database: choose a new name"));
	/* typing clears the error */
	type("_copy");
	assert_null(strstr(parts.state.dialog_text, "live database"));

	/* the dry run refuses (the database exists): Enter goes back */
	dry_run("shop_copy", false, "restore refused: database shop_copy exists already");
	assert_string_equal(parts.state.dialog_text,
	                    "The dry run refuses this restore; nothing was changed:\n\nrestore "
	                    "refused: database shop_copy exists already\n");
	assert_string_equal(parts.state.dialog_footer, "Enter/Esc back to the name");
	assert_int_equal(key(UI_KEY_ENTER, 0), RESTORE_EFFECT_NONE);
	assert_int_equal(dialog.step, RESTORE_STEP_NAME);
	assert_string_equal(dialog.input, "shop_copy");

	/* Esc while it runs: its answer, when it comes, is dropped */
	assert_int_equal(key(UI_KEY_ENTER, 0), RESTORE_EFFECT_DRY_RUN);
	key(UI_KEY_ESCAPE, 0);
	assert_int_equal(dialog.step, RESTORE_STEP_NAME);
	assert_false(
	    restore_dialog_planned(&dialog, dialog.choices[0].key, "shop_copy", true, PLAN));
	assert_int_equal(dialog.step, RESTORE_STEP_NAME);
	/* an answer for another backup or name is not this one's */
	assert_int_equal(key(UI_KEY_ENTER, 0), RESTORE_EFFECT_DRY_RUN);
	assert_false(
	    restore_dialog_planned(&dialog, dialog.choices[1].key, "shop_copy", true, PLAN));
	assert_false(restore_dialog_planned(&dialog, dialog.choices[0].key, "shop_x", true, PLAN));
	assert_int_equal(dialog.step, RESTORE_STEP_PLANNING);
	key(UI_KEY_ESCAPE, 0);

	dry_run("shop_copy", true, PLAN);
	assert_string_equal(dialog.database, "shop_copy");
	assert_string_equal(parts.state.dialog_text,
	                    "Dry run, nothing changed yet:\n\n" PLAN ".\n\nOn any failure "
	                    "shop_copy is dropped. The app's database shop is not touched.\n");
	assert_string_equal(parts.state.dialog_footer, "Enter continue  Esc back");

	/* the confirmation: a wrong name is refused and cleared */
	key(UI_KEY_ENTER, 0);
	assert_int_equal(dialog.step, RESTORE_STEP_CONFIRM);
	assert_string_equal(parts.state.dialog_footer, "Enter restore  Esc back");
	type("shop_cop");
	check_goldens("restore_confirm");
	assert_int_equal(key(UI_KEY_ENTER, 0), RESTORE_EFFECT_NONE);
	assert_non_null(strstr(parts.state.dialog_text,
	                       "'shop_cop' is not 'shop_copy': type the name exactly"));
	assert_string_equal(dialog.input, "");
	/* Esc goes back to the name, kept; the confirmation was declined */
	assert_int_equal(key(UI_KEY_ESCAPE, 0), RESTORE_EFFECT_DECLINED);
	assert_int_equal(dialog.step, RESTORE_STEP_NAME);
	assert_string_equal(dialog.input, "shop_copy");
	dry_run("shop_copy", true, PLAN);
	key(UI_KEY_ENTER, 0);
	type("shop_copy");
	assert_int_equal(key(UI_KEY_ENTER, 0), RESTORE_EFFECT_RUN);
	assert_int_equal(dialog.step, RESTORE_STEP_RUNNING);
	assert_string_equal(parts.state.dialog_text, "Restoring shop_20261204T140301Z.sql.gz\n"
	                                             "into database shop_copy\n\nstarting\n");
}

static void test_running_cancel_result(void **state)
{
	(void)state;
	open_listed(3);
	key(UI_KEY_ENTER, 0);
	dry_run("shop_restore_20261204", true, PLAN);
	key(UI_KEY_ENTER, 0);
	type("shop_restore_20261204");
	assert_int_equal(key(UI_KEY_ENTER, 0), RESTORE_EFFECT_RUN);

	restore_dialog_progress(&dialog, "1.0 of 12.3 MB (8%), 1.0 MB/s, ETA 11 s");
	restore_dialog_render(&dialog, &parts.state);
	assert_non_null(
	    strstr(parts.state.dialog_text, "\n1.0 of 12.3 MB (8%), 1.0 MB/s, ETA 11 s"));
	assert_string_equal(parts.state.dialog_footer,
	                    "c cancel the restore  Esc hide (keeps running)");
	/* c asks; n keeps it; c, y cancels */
	key(UI_KEY_CHAR, 'c');
	assert_int_equal(dialog.step, RESTORE_STEP_CANCEL_ASK);
	assert_non_null(
	    strstr(parts.state.dialog_text, "Cancel the restore into shop_restore_20261204?"));
	assert_int_equal(key(UI_KEY_CHAR, 'n'), RESTORE_EFFECT_NONE);
	assert_int_equal(dialog.step, RESTORE_STEP_RUNNING);
	key(UI_KEY_CHAR, 'c');
	assert_int_equal(key(UI_KEY_CHAR, 'y'), RESTORE_EFFECT_CANCEL_JOB);
	assert_int_equal(dialog.step, RESTORE_STEP_RUNNING);
	assert_int_equal(key(UI_KEY_ESCAPE, 0), RESTORE_EFFECT_HIDE);

	restore_dialog_ended(&dialog, false,
	                     "restore cancelled; database shop_restore_20261204 dropped");
	restore_dialog_render(&dialog, &parts.state);
	assert_string_equal(parts.state.dialog_text,
	                    "The restore into shop_restore_20261204 failed:\n\nrestore "
	                    "cancelled; database shop_restore_20261204 dropped");
	assert_int_equal(key(UI_KEY_ESCAPE, 0), RESTORE_EFFECT_CLOSE);

	restore_dialog_ended(&dialog, true, "restored 12.3 MB in 4.0 s");
	restore_dialog_render(&dialog, &parts.state);
	assert_string_equal(parts.state.dialog_text,
	                    "Restored into database shop_restore_20261204.\n\nrestored 12.3 MB "
	                    "in 4.0 s");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_name),
	    cmocka_unit_test(test_progress_line),
	    cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_listing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pick, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pick_long_keys, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_name_confirm_run, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_running_cancel_result, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
