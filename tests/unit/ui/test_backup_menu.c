/* test_backup_menu.c - the dashboard's backup menu (ui/backup_dialog.c)
 * key by key: choosing, the confirmation with the target, going back, a
 * listing without confirmation, no target, read-only mode (backups still
 * run; Restore… refused), the Restore… entry, cancelling a running backup; and the dialog drawn
 * over the screen, compared with golden files in tests/fixtures/ui. Nothing is spawned or connected
 * to: the effects are checked, not carried out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "screen.h"
#include "model/snapshot.h"
#include "ui/backup_dialog.h"

static struct config cfg;
static struct backup_dialog dialog;
static struct screen_parts parts;
static struct ui_view view;

static int setup(void **state)
{
	(void)state;
	config_defaults(&cfg);
	screen_set_string(&cfg.backup.target, "s3://backups/shop");
	screen_set_string(&cfg.backup.files_source, "/srv/shop/uploads");
	screen_view_quiet(&view, &parts);
	memset(&dialog, 0, sizeof(dialog));
	dialog.cfg = &cfg;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	config_free(&cfg);
	return 0;
}

static enum backup_effect key(enum ui_key k, unsigned int ch)
{
	struct ui_key_event ev = {.key = k, .ch = ch};
	return backup_dialog_key(&dialog, &ev, &parts.state);
}

static void test_menu_confirm_back(void **state)
{
	(void)state;
	backup_dialog_menu(&dialog, &parts.state);
	assert_true(dialog.shown);
	assert_int_equal(dialog.step, BACKUP_STEP_MENU);
	assert_string_equal(parts.state.dialog_title, "Backups");
	assert_string_equal(parts.state.dialog_footer, "d/f/l/v/r choose  Esc close");
	screen_check_golden(&view, 80, 24, "backup_menu_80x24");

	/* keys the menu does not know change nothing */
	assert_int_equal(key(UI_KEY_CHAR, 'x'), BACKUP_EFFECT_NONE);
	assert_int_equal(dialog.step, BACKUP_STEP_MENU);

	/* d: the confirmation names the target; Esc goes back to the menu */
	assert_int_equal(key(UI_KEY_CHAR, 'd'), BACKUP_EFFECT_NONE);
	assert_int_equal(dialog.step, BACKUP_STEP_CONFIRM);
	assert_int_equal(dialog.kind, BACKUP_KIND_DB);
	assert_string_equal(parts.state.dialog_footer, "y start  Esc back");
	screen_check_golden(&view, 80, 24, "backup_confirm_80x24");
	assert_int_equal(key(UI_KEY_ESCAPE, 0), BACKUP_EFFECT_NONE);
	assert_int_equal(dialog.step, BACKUP_STEP_MENU);

	/* f, then n: back as well; v, then y: started */
	key(UI_KEY_CHAR, 'f');
	assert_non_null(
	    strstr(parts.state.dialog_text, "Back up the files of [backup] files_source"));
	assert_int_equal(key(UI_KEY_CHAR, 'n'), BACKUP_EFFECT_NONE);
	assert_int_equal(dialog.step, BACKUP_STEP_MENU);
	key(UI_KEY_CHAR, 'v');
	assert_string_equal(parts.state.dialog_text,
	                    "Download and verify the newest backup\n\nfrom: "
	                    "s3://backups/shop\n\nStart? (y / Esc)");
	assert_int_equal(key(UI_KEY_CHAR, 'y'), BACKUP_EFFECT_START);
	assert_int_equal(dialog.kind, BACKUP_KIND_VERIFY);

	/* the text scrolls, never above its top */
	parts.state.dialog_scroll = 0;
	key(UI_KEY_UP, 0);
	assert_int_equal(parts.state.dialog_scroll, 0);
	key(UI_KEY_DOWN, 0);
	assert_int_equal(parts.state.dialog_scroll, 1);
}

static void test_list_needs_no_confirmation(void **state)
{
	(void)state;
	backup_dialog_menu(&dialog, &parts.state);
	assert_int_equal(key(UI_KEY_CHAR, 'l'), BACKUP_EFFECT_START);
	assert_int_equal(dialog.kind, BACKUP_KIND_LIST);
	assert_string_equal(backup_kind_title(dialog.kind), "backup list");
}

static void test_no_target(void **state)
{
	(void)state;
	screen_set_string(&cfg.backup.target, "");
	screen_set_string(&cfg.backup.files_source, "");
	backup_dialog_menu(&dialog, &parts.state);
	assert_non_null(
	    strstr(parts.state.dialog_text, "Target: not configured (set [backup] target)\n"));
	assert_non_null(
	    strstr(parts.state.dialog_text, "files of [backup] files_source (not configured)\n"));
	for (const char *c = "dflv"; *c; c++) {
		backup_dialog_menu(&dialog, &parts.state);
		assert_int_equal(key(UI_KEY_CHAR, (unsigned char)*c), BACKUP_EFFECT_NONE);
		assert_int_equal(dialog.step, BACKUP_STEP_DONE);
		assert_string_equal(parts.state.dialog_text,
		                    "No backup target: set [backup] target in the configuration "
		                    "(s3://bucket/prefix or file:///dir).");
	}
	assert_int_equal(key(UI_KEY_ENTER, 0), BACKUP_EFFECT_NONE);
	assert_int_equal(dialog.step, BACKUP_STEP_IDLE);
	assert_false(dialog.shown);
	assert_int_equal(parts.state.dialog, DIALOG_NONE);
}

/* Read-only mode refuses recovery actions, not backups: they only add
 * objects at the target (opsdeck(1)); the menu says so. */
static void test_read_only_allows_backups(void **state)
{
	(void)state;
	backup_dialog_menu(&dialog, &parts.state);
	assert_null(strstr(parts.state.dialog_text, "Read-only"));
	cfg.recovery.read_only = true;
	backup_dialog_menu(&dialog, &parts.state);
	assert_non_null(strstr(parts.state.dialog_text,
	                       "\nRead-only mode: backups still run (they only add objects at "
	                       "the target); recovery actions are dry runs only.\n"));
	/* the menu's Restore… line says why it is refused */
	assert_non_null(
	    strstr(parts.state.dialog_text,
	           "  r  restore... refused in read-only mode: it creates a database\n"));
	key(UI_KEY_CHAR, 'd');
	assert_int_equal(key(UI_KEY_CHAR, 'Y'), BACKUP_EFFECT_START);
}

/* r hands the keys to Restore… (restore_dialog.c, test_restore_dialog). */
static void test_restore_entry(void **state)
{
	(void)state;
	backup_dialog_menu(&dialog, &parts.state);
	assert_non_null(strstr(parts.state.dialog_text,
	                       "  r  restore... a database backup into a new database\n"));
	assert_int_equal(key(UI_KEY_CHAR, 'r'), BACKUP_EFFECT_RESTORE);
	assert_int_equal(dialog.step, BACKUP_STEP_RESTORE);
}

static void test_running_cancel(void **state)
{
	(void)state;
	backup_dialog_menu(&dialog, &parts.state);
	key(UI_KEY_CHAR, 'd');
	/* backup_menu.c starts the job and shows its progress */
	dialog.step = BACKUP_STEP_RUNNING;
	backup_dialog_running(&dialog, &parts.state, "", 0, 0);
	assert_string_equal(parts.state.dialog_text,
	                    "backup db to s3://backups/shop\n\nstarting\n");
	backup_dialog_running(&dialog, &parts.state, "dump: 12.5 MB read, 3.1 MB stored, 6.2 MB/s",
	                      12500000, 12500000);
	assert_string_equal(parts.state.dialog_footer,
	                    "c cancel the backup  Esc hide (keeps running)");
	screen_check_golden(&view, 80, 24, "backup_running_80x24");

	/* c asks; n keeps it running; c, y cancels it */
	key(UI_KEY_CHAR, 'c');
	assert_int_equal(dialog.step, BACKUP_STEP_CANCEL_ASK);
	assert_string_equal(parts.state.dialog_footer, "y cancel it  n/Esc keep running");
	assert_non_null(strstr(parts.state.dialog_text, "Cancel the running backup db?"));
	assert_int_equal(key(UI_KEY_CHAR, 'x'), BACKUP_EFFECT_NONE);
	assert_int_equal(key(UI_KEY_CHAR, 'n'), BACKUP_EFFECT_SHOW_RUNNING);
	assert_int_equal(dialog.step, BACKUP_STEP_RUNNING);
	key(UI_KEY_CHAR, 'c');
	assert_int_equal(key(UI_KEY_ESCAPE, 0), BACKUP_EFFECT_SHOW_RUNNING);
	key(UI_KEY_CHAR, 'c');
	assert_int_equal(key(UI_KEY_CHAR, 'y'), BACKUP_EFFECT_CANCEL_JOB);
	assert_int_equal(dialog.step, BACKUP_STEP_RUNNING);

	/* Esc hides the dialog; the backup goes on */
	assert_int_equal(key(UI_KEY_ESCAPE, 0), BACKUP_EFFECT_NONE);
	assert_false(dialog.shown);
	assert_int_equal(dialog.step, BACKUP_STEP_RUNNING);
	assert_int_equal(parts.state.dialog, DIALOG_NONE);
}

/* The menu names the newest backup and the last drill with its RTO; a
 * failed drill says why; before the first listing, nothing. */
static void test_menu_last_drill(void **state)
{
	(void)state;
	const int64_t now = 1800000000000LL, hour = 3600 * 1000LL;
	struct backup_status b;
	struct drill_status drill;
	memset(&b, 0, sizeof(b));
	memset(&drill, 0, sizeof(drill));
	backup_dialog_last(&b, &drill, now, dialog.last, sizeof(dialog.last));
	assert_string_equal(dialog.last, "");
	b.listed = true;
	b.newest_ms = now - 3 * hour;
	drill.check.state = CHECK_OK;
	drill.last.at_ms = now - 2 * hour;
	drill.last.ok = true;
	drill.last.rto_ms = 4200;
	backup_dialog_last(&b, &drill, now, dialog.last, sizeof(dialog.last));
	assert_string_equal(dialog.last,
	                    "Newest backup 3h00m ago; last drill ok 2h00m ago, RTO 4.2 s");
	backup_dialog_menu(&dialog, &parts.state);
	screen_check_golden(&view, 80, 24, "backup_menu_drill_80x24");

	drill.last.ok = false;
	snprintf(drill.last.why, sizeof(drill.last.why),
	         "public.\"User\": 11 rows, the manifest says 12");
	backup_dialog_last(&b, &drill, now, dialog.last, sizeof(dialog.last));
	assert_string_equal(dialog.last, "Newest backup 3h00m ago; last drill FAILED 2h00m ago: "
	                                 "public.\"User\": 11 rows, the manifest says 12");
	drill.check.state = CHECK_UNHEALTHY;
	b.newest_ms = 0;
	backup_dialog_last(&b, &drill, now, dialog.last, sizeof(dialog.last));
	assert_string_equal(dialog.last, "No complete database backup; last drill unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_menu_confirm_back, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_list_needs_no_confirmation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_target, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_read_only_allows_backups, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_running_cancel, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_restore_entry, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_menu_last_drill, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
