/* test_recovery.c - the dashboard's recovery dialog (ui/recovery_dialog.c)
 * key by key: choosing, the dry run shown, a mistyped confirmation refused,
 * read-only mode (dry runs only), cancelling; and the dialog drawn over the screen,
 * compared with golden files in tests/fixtures/ui. Nothing is spawned or
 * connected to: the jobs' outcomes are handed in as recovery.c would. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "screen.h"
#include "ui/recovery_dialog.h"

static struct config cfg;
static struct recovery_dialog dialog;
static struct screen_parts parts;
static struct ui_view view;

static int setup(void **state)
{
	(void)state;
	config_defaults(&cfg);
	screen_set_string(&cfg.recovery.restart_command, "systemctl restart shop");
	screen_set_string(&cfg.database.url, "postgres://app@127.0.0.1/shop");
	screen_set_string(&cfg.redis.url, "");
	/* whatever the environment says */
	screen_set_string(&cfg.redis.url_unset_reason, "REDIS_URL is not set");
	screen_view_quiet(&view, &parts);
	memset(&dialog, 0, sizeof(dialog));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	config_free(&cfg);
	return 0;
}

static struct issue app_down(void)
{
	struct issue is = {.type = ISSUE_APP_DOWN, .severity = SEVERITY_HIGH, .action_count = 3};
	snprintf(is.id, sizeof(is.id), "app_down");
	snprintf(is.message, sizeof(is.message), "The app does not answer: connection refused");
	snprintf(is.actions[0], sizeof(is.actions[0]), "restart-app");
	snprintf(is.actions[1], sizeof(is.actions[1]), "reconnect-db");
	snprintf(is.actions[2], sizeof(is.actions[2]), "clear-cache");
	return is;
}

static enum recovery_effect key(enum ui_key k, unsigned int ch)
{
	struct ui_key_event ev = {.key = k, .ch = ch};
	return recovery_dialog_key(&dialog, &ev, &parts.state);
}

static enum recovery_effect type(const char *text)
{
	enum recovery_effect last = RECOVERY_EFFECT_NONE;
	for (const char *c = text; *c; c++)
		last = key(UI_KEY_CHAR, (unsigned char)*c);
	return last;
}

/* Draws the dialog with the job's outcome so far (job may be NULL). */
static void render(const struct recovery_job_view *job)
{
	recovery_dialog_render(&dialog, job, &parts.state);
}

static void open_app_down(void)
{
	struct issue is = app_down();
	char msg[256] = "";
	assert_int_equal(recovery_dialog_open(&dialog, &cfg, &is, msg, sizeof(msg)), 0);
	assert_int_equal(dialog.step, RECOVERY_STEP_CHOOSE);
	assert_int_equal(dialog.choice_count, 3);
	render(NULL);
}

/* What restart-app's dry run says. */
static const char RESTART_DRY_RUN[] =
    "would run: systemctl restart shop (no shell, timeout 60 s)\n";

/* From CHOOSE at restart-app: Enter starts its dry run, keys other than Esc
 * wait for it, and it ends well at `step`. */
static void dry_run_restart_app(enum recovery_step step)
{
	assert_int_equal(key(UI_KEY_ENTER, 0), RECOVERY_EFFECT_DRY_RUN);
	assert_string_equal(dialog.action->name, "restart-app");
	assert_int_equal(type("restart-app"), RECOVERY_EFFECT_NONE);
	assert_int_equal(dialog.step, RECOVERY_STEP_PREVIEW);
	recovery_dialog_job_ended(&dialog, true);
	assert_int_equal(dialog.step, step);
}

/* Read-only mode: the dialog opens and says so, the dry run runs, and its
 * end shows the output and why the run is refused, with no confirmation to
 * answer and no run to start. */
static void test_read_only_dry_run_only(void **state)
{
	(void)state;
	cfg.recovery.read_only = true;
	parts.state.read_only = true;
	open_app_down();
	assert_non_null(strstr(parts.state.dialog_text,
	                       "\nRead-only mode: dry runs only; no action is run.\n"));
	assert_string_equal(parts.state.dialog_footer, "Up/Down select  Enter dry run  Esc cancel");
	dry_run_restart_app(RECOVERY_STEP_READ_ONLY);
	struct recovery_job_view shown = {.present = true, .output = RESTART_DRY_RUN, .ok = true};
	render(&shown);
	assert_string_equal(parts.state.dialog_title, "Recovery: restart-app (dry run, read-only)");
	assert_string_equal(parts.state.dialog_footer, "Esc close");
	screen_check_golden(&view, 80, 24, "recovery_read_only_80x24");
	/* typing the name or y runs nothing; Esc closes without a record */
	assert_int_equal(type("restart-app"), RECOVERY_EFFECT_KEEP);
	assert_int_equal(key(UI_KEY_CHAR, 'y'), RECOVERY_EFFECT_KEEP);
	assert_int_equal(dialog.step, RECOVERY_STEP_READ_ONLY);
	assert_int_equal(key(UI_KEY_ESCAPE, 0), RECOVERY_EFFECT_CLOSE);
	cfg.recovery.read_only = false;
}

/* The Locks view's t and c: the dialog opens at the dry run of the
 * action on the pid, to the typed confirmation, or to READ_ONLY in
 * read-only mode; an action that cannot run here is refused up front. */
static void test_open_pid(void **state)
{
	(void)state;
	char msg[256] = "";
	const struct action *a = action_find(ACTION_NAME_TERMINATE_BLOCKER);
	assert_non_null(a);
	assert_int_equal(recovery_dialog_open_pid(&dialog, &cfg, a, 4242, NULL, msg, sizeof(msg)),
	                 0);
	assert_int_equal(dialog.step, RECOVERY_STEP_PREVIEW);
	assert_ptr_equal(dialog.action, a);
	assert_int_equal(dialog.pid, 4242);
	recovery_dialog_job_ended(&dialog, true);
	assert_int_equal(dialog.step, RECOVERY_STEP_CONFIRM);
	assert_int_equal(key(UI_KEY_ESCAPE, 0), RECOVERY_EFFECT_CANCEL);

	cfg.recovery.read_only = true;
	a = action_find(ACTION_NAME_CANCEL_QUERY);
	assert_int_equal(recovery_dialog_open_pid(&dialog, &cfg, a, 4243, NULL, msg, sizeof(msg)),
	                 0);
	recovery_dialog_job_ended(&dialog, true);
	assert_int_equal(dialog.step, RECOVERY_STEP_READ_ONLY);
	cfg.recovery.read_only = false;

	screen_set_string(&cfg.database.url, "");
	dialog.step = RECOVERY_STEP_NONE;
	assert_int_equal(recovery_dialog_open_pid(&dialog, &cfg, a, 4243, NULL, msg, sizeof(msg)),
	                 -1);
	assert_non_null(strstr(msg, "cancel-query is not available: "));
	assert_int_equal(dialog.step, RECOVERY_STEP_NONE);
}

static void test_no_action_fits(void **state)
{
	(void)state;
	struct issue is = {.type = ISSUE_STORAGE_FULL, .action_count = 1};
	snprintf(is.actions[0], sizeof(is.actions[0]), "flush-everything");
	char msg[256] = "";
	assert_int_equal(recovery_dialog_open(&dialog, &cfg, &is, msg, sizeof(msg)), -1);
	assert_string_equal(msg, "no recovery action fits this issue (storage_full)");
}

static void test_choose(void **state)
{
	(void)state;
	open_app_down();
	assert_string_equal(parts.state.dialog_title, "Recovery: choose an action");
	assert_string_equal(parts.state.dialog_footer, "Up/Down select  Enter dry run  Esc cancel");
	screen_check_golden(&view, 80, 24, "recovery_choose_80x24");

	/* Up at the top stays; Down twice reaches clear-cache, not available
	 * without a redis url: refused with the reason, still choosing */
	assert_int_equal(key(UI_KEY_UP, 0), RECOVERY_EFFECT_NONE);
	assert_int_equal(dialog.selected, 0);
	key(UI_KEY_DOWN, 0);
	key(UI_KEY_DOWN, 0);
	key(UI_KEY_DOWN, 0);
	assert_int_equal(dialog.selected, 2);
	assert_int_equal(key(UI_KEY_ENTER, 0), RECOVERY_EFFECT_NONE);
	assert_int_equal(dialog.step, RECOVERY_STEP_CHOOSE);
	assert_null(dialog.action);
	assert_non_null(strstr(parts.state.message, "clear-cache is not available: "));

	/* a digit chooses directly: the dry run of reconnect-db */
	assert_int_equal(key(UI_KEY_CHAR, '2'), RECOVERY_EFFECT_DRY_RUN);
	assert_int_equal(dialog.step, RECOVERY_STEP_PREVIEW);
	assert_string_equal(dialog.action->name, "reconnect-db");
	struct recovery_job_view running = {.present = true, .output = ""};
	render(&running);
	assert_string_equal(parts.state.dialog_title, "Recovery: reconnect-db (dry run)");
	assert_non_null(strstr(parts.state.dialog_text, "Dry run: what it would touch..."));
	assert_string_equal(parts.state.dialog_footer, "Esc cancel");
}

static void test_dry_run_then_mistyped_confirmation(void **state)
{
	(void)state;
	open_app_down();
	dry_run_restart_app(RECOVERY_STEP_CONFIRM);
	struct recovery_job_view shown = {
	    .present = true,
	    .output = RESTART_DRY_RUN,
	    .ok = true,
	    .summary = "would run systemctl restart shop",
	};
	render(&shown);
	assert_string_equal(parts.state.dialog_footer, "Enter run  Esc cancel");
	screen_check_golden(&view, 80, 24, "recovery_confirm_80x24");

	/* the name mistyped: refused, asked again, nothing started */
	type("restart-ap");
	assert_int_equal(key(UI_KEY_ENTER, 0), RECOVERY_EFFECT_NONE);
	assert_int_equal(dialog.step, RECOVERY_STEP_CONFIRM);
	assert_string_equal(dialog.input, "");
	assert_string_equal(dialog.notice,
	                    "'restart-ap' is not 'restart-app': type the name exactly, or Esc to "
	                    "cancel");
	render(&shown);
	assert_non_null(strstr(parts.state.dialog_text, dialog.notice));

	/* Backspace edits; the exact name runs it */
	type("restart-appx");
	key(UI_KEY_BACKSPACE, 0);
	assert_int_equal(key(UI_KEY_ENTER, 0), RECOVERY_EFFECT_RUN);
	assert_int_equal(dialog.step, RECOVERY_STEP_RUN);
	render(&(struct recovery_job_view){.present = true, .output = "running\n"});
	assert_string_equal(parts.state.dialog_title, "Recovery: restart-app (running)");
	assert_string_equal(parts.state.dialog_footer, "Esc stop");
	assert_int_equal(key(UI_KEY_ESCAPE, 0), RECOVERY_EFFECT_STOP);

	recovery_dialog_job_ended(&dialog, true);
	assert_int_equal(dialog.step, RECOVERY_STEP_DONE);
	struct recovery_job_view done = {
	    .present = true,
	    .output = "systemctl restart shop: exit 0 after 1.2 s\n",
	    .ok = true,
	    .summary = "restarted (exit 0)",
	    .recheck = "app_down: present -> gone\n",
	};
	render(&done);
	screen_check_golden(&view, 80, 24, "recovery_done_80x24");
	/* Up/Down scroll without a redraw; Enter closes */
	assert_int_equal(key(UI_KEY_DOWN, 0), RECOVERY_EFFECT_KEEP);
	assert_int_equal(parts.state.dialog_scroll, 1);
	assert_int_equal(key(UI_KEY_ENTER, 0), RECOVERY_EFFECT_CLOSE);
	recovery_dialog_close(&dialog, &parts.state);
	assert_int_equal(dialog.step, RECOVERY_STEP_NONE);
	assert_int_equal(parts.state.dialog, DIALOG_NONE);
	assert_string_equal(parts.state.dialog_footer, "");
}

static void test_pid_then_declined(void **state)
{
	(void)state;
	char msg[256] = "";
	assert_int_equal(recovery_dialog_open(&dialog, &cfg, NULL, msg, sizeof(msg)), 0);
	assert_int_equal(dialog.choice_count, 2);
	assert_string_equal(dialog.choices[0]->name, "cancel-query");
	assert_string_equal(dialog.choices[1]->name, "terminate-query");
	assert_int_equal(key(UI_KEY_ENTER, 0), RECOVERY_EFFECT_LIST_SESSIONS);
	assert_int_equal(dialog.step, RECOVERY_STEP_PID);
	render(NULL);
	assert_non_null(strstr(parts.state.dialog_text, "Listing the app's busy sessions..."));

	struct action_session sessions[2] = {
	    {.pid = 4242, .age_ms = 95000, .state = "active", .query = "SELECT pg_sleep(600)"},
	    {.pid = 4343, .age_ms = 3000, .state = "active", .query = "UPDATE orders SET"},
	};
	recovery_dialog_sessions(&dialog, sessions, 2, "");
	assert_string_equal(dialog.input, "4242");
	render(NULL);
	assert_non_null(strstr(parts.state.dialog_text, "> 4242     "));
	key(UI_KEY_DOWN, 0);
	assert_string_equal(dialog.input, "4343");
	/* digits edit the pid; anything else is ignored */
	key(UI_KEY_BACKSPACE, 0);
	type("4x");
	assert_string_equal(dialog.input, "4344");
	key(UI_KEY_BACKSPACE, 0);
	type("3");
	assert_int_equal(key(UI_KEY_ENTER, 0), RECOVERY_EFFECT_DRY_RUN);
	assert_int_equal(dialog.pid, 4343);

	recovery_dialog_job_ended(&dialog, true);
	render(
	    &(struct recovery_job_view){.present = true, .output = "would cancel\n", .ok = true});
	assert_non_null(strstr(parts.state.dialog_text, "\nRun cancel-query? y/N\n"));
	assert_string_equal(parts.state.dialog_footer, "y run  n/Esc cancel");
	/* not destructive: n (or Enter) declines, y runs */
	assert_int_equal(key(UI_KEY_CHAR, 'x'), RECOVERY_EFFECT_NONE);
	assert_int_equal(key(UI_KEY_CHAR, 'n'), RECOVERY_EFFECT_CANCEL);
	assert_int_equal(key(UI_KEY_ENTER, 0), RECOVERY_EFFECT_CANCEL);
	assert_int_equal(dialog.step, RECOVERY_STEP_CONFIRM);
	assert_int_equal(key(UI_KEY_CHAR, 'Y'), RECOVERY_EFFECT_RUN);
}

static struct issue lock_waiters(void)
{
	struct issue is = {.type = ISSUE_LOCK_WAITERS, .severity = SEVERITY_MEDIUM};
	snprintf(is.id, sizeof(is.id), "lock_waiters");
	snprintf(is.message, sizeof(is.message), "2 backends are waiting on a lock");
	const char *actions = ISSUE_TYPES[ISSUE_LOCK_WAITERS].default_actions;
	while (*actions && is.action_count < ISSUE_MAX_ACTIONS) {
		size_t n = strcspn(actions, " ");
		snprintf(is.actions[is.action_count++], sizeof(is.actions[0]), "%.*s", (int)n,
		         actions);
		actions += n + (actions[n] == ' ');
	}
	return is;
}

/* The action that fixes the issue is preselected: the first suggestion
 * that can run here. */
static void test_preselected(void **state)
{
	(void)state;
	struct issue is = lock_waiters();
	char msg[256] = "";
	assert_int_equal(recovery_dialog_open(&dialog, &cfg, &is, msg, sizeof(msg)), 0);
	assert_string_equal(dialog.choices[dialog.selected]->name, "terminate-query");
	/* without a restart_command, app_down preselects reconnect-db */
	screen_set_string(&cfg.recovery.restart_command, "");
	is = app_down();
	assert_int_equal(recovery_dialog_open(&dialog, &cfg, &is, msg, sizeof(msg)), 0);
	assert_string_equal(dialog.choices[dialog.selected]->name, "reconnect-db");
	assert_int_equal(key(UI_KEY_ENTER, 0), RECOVERY_EFFECT_DRY_RUN);
}

/* The pid picker marks the roles, the blocker first and preselected;
 * cancel-query on the idle blocker is refused as a no-op and
 * terminate-query offered instead; a run whose re-check finds the issue
 * still there says so. */
static void test_picker_roles_and_no_op(void **state)
{
	(void)state;
	struct issue is = lock_waiters();
	char msg[256] = "";
	assert_int_equal(recovery_dialog_open(&dialog, &cfg, &is, msg, sizeof(msg)), 0);
	key(UI_KEY_DOWN, 0);
	assert_int_equal(key(UI_KEY_ENTER, 0), RECOVERY_EFFECT_LIST_SESSIONS);
	assert_string_equal(dialog.action->name, "cancel-query");
	struct action_session sessions[3] = {
	    {.pid = 4101,
	     .age_ms = 95000,
	     .state = "idle in transaction",
	     .role = "blocker",
	     .query = "UPDATE orders SET paid = true WHERE id = 7"},
	    {.pid = 4202,
	     .age_ms = 60000,
	     .state = "active",
	     .role = "waiting",
	     .query = "UPDATE orders SET n = 1"},
	    {.pid = 4303, .age_ms = 2000, .state = "active", .query = "SELECT pg_sleep(5)"},
	};
	recovery_dialog_sessions(&dialog, sessions, 3, "");
	assert_string_equal(dialog.input, "4101");
	render(NULL);
	assert_non_null(strstr(parts.state.dialog_text, "> 4101     blocker  1m35s"));
	assert_non_null(strstr(parts.state.dialog_text, "  4202     waiting  "));
	assert_non_null(strstr(parts.state.dialog_text, "  4303     -        "));

	/* Enter on the idle blocker: refused, terminate-query offered */
	assert_int_equal(key(UI_KEY_ENTER, 0), RECOVERY_EFFECT_NONE);
	assert_int_equal(dialog.step, RECOVERY_STEP_PID);
	assert_string_equal(dialog.action->name, "terminate-query");
	assert_string_equal(dialog.notice,
	                    "pid 4101 is idle in transaction and runs no query: cancel-query would "
	                    "do nothing. Offering terminate-query instead: Enter dry run, Esc "
	                    "cancel");
	render(NULL);
	assert_string_equal(parts.state.dialog_title, "Recovery: terminate-query");
	screen_check_golden(&view, 80, 24, "recovery_pick_80x24");
	assert_int_equal(key(UI_KEY_ENTER, 0), RECOVERY_EFFECT_DRY_RUN);
	assert_int_equal(dialog.pid, 4101);
	assert_string_equal(dialog.notice, "");

	/* ran, but the lock is still there: not a plain "done" */
	recovery_dialog_job_ended(&dialog, true);
	type("terminate-query");
	assert_int_equal(key(UI_KEY_ENTER, 0), RECOVERY_EFFECT_RUN);
	recovery_dialog_job_ended(&dialog, true);
	render(&(struct recovery_job_view){
	    .present = true,
	    .ok = true,
	    .still_present = true,
	    .summary = "terminated the session of pid 4101",
	    .recheck = "lock_waiters: lock waiters 2 -> 1, still present\n",
	});
	assert_string_equal(parts.state.dialog_title,
	                    "Recovery: terminate-query (ran, issue still present)");
	assert_non_null(strstr(parts.state.dialog_text,
	                       "terminate-query ran, issue still present: terminated the session "
	                       "of pid 4101\n"));
}

static void test_cancel_and_failures(void **state)
{
	(void)state;
	open_app_down();
	assert_int_equal(key(UI_KEY_ESCAPE, 0), RECOVERY_EFFECT_CLOSE);
	open_app_down();
	assert_int_equal(key(UI_KEY_CHAR, 'q'), RECOVERY_EFFECT_CLOSE);

	/* Esc during the dry run cancels it (on record) */
	open_app_down();
	key(UI_KEY_ENTER, 0);
	assert_int_equal(key(UI_KEY_ESCAPE, 0), RECOVERY_EFFECT_CANCEL);

	/* a dry run that fails ends the flow with its reason */
	recovery_dialog_job_ended(&dialog, false);
	assert_int_equal(dialog.step, RECOVERY_STEP_DONE);
	render(&(struct recovery_job_view){.present = true, .err = "restart_command timed out"});
	assert_string_equal(parts.state.dialog_title, "Recovery: restart-app (failed)");
	assert_non_null(
	    strstr(parts.state.dialog_text, "restart-app did not complete: restart_command timed"));

	/* a job that cannot start: the listing says so, the others end */
	char msg[256];
	assert_int_equal(recovery_dialog_open(&dialog, &cfg, NULL, msg, sizeof(msg)), 0);
	key(UI_KEY_ENTER, 0);
	recovery_dialog_start_failed(&dialog);
	assert_int_equal(dialog.step, RECOVERY_STEP_PID);
	assert_string_equal(dialog.sessions_err, "cannot start the listing");
	assert_int_equal(key(UI_KEY_ESCAPE, 0), RECOVERY_EFFECT_CLOSE);
	recovery_dialog_sessions(&dialog, NULL, -1, "permission denied");
	assert_int_equal(dialog.session_count, 0);
	assert_string_equal(dialog.sessions_err, "permission denied");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_read_only_dry_run_only, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_pid, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_action_fits, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_choose, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dry_run_then_mistyped_confirmation, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_pid_then_declined, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cancel_and_failures, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_preselected, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_picker_roles_and_no_op, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
