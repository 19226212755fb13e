#!/usr/bin/env bash
# Read-only mode in the dashboard, as the documentation promises it: r opens
# the recovery dialog, which says read-only, runs the dry run and shows it,
# then refuses the run with the reason and asks for no confirmation; the
# audit log holds the dry run only. The help screen, the key bar and the
# backup menu say the same: recovery dry runs only, backups still run.
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
stack_private app

printf '#!/bin/sh\necho ok > "%s/health_mode"\n' "$APP_DIR" >"$TEST_DIR/restart.sh"
chmod +x "$TEST_DIR/restart.sh"
audit=$TEST_DIR/audit.jsonl
write_stack_config opsdeck.conf "timeout = 2s" "[ui]" "interval = 1s" "[recovery]" \
	"restart_command = /bin/sh $TEST_DIR/restart.sh" "audit_log = $audit"
app_mode health 500

tui_start 120 40 -c opsdeck.conf --read-only
assert_screen "r Recover(dry)"
assert_screen "The app's health check failed" 8

# r: the dialog opens and says what read-only mode leaves
tui_keys r
assert_screen "Recovery: choose an action"
assert_contains "$SCREEN" "restart-app [destructive]"
assert_contains "$SCREEN" "Read-only mode: dry runs only; no action is run."
# the dry run is shown, the run refused with the reason, no prompt
tui_keys Enter
assert_screen "Recovery: restart-app (dry run, read-only)" 8
assert_contains "$SCREEN" "would run (no shell"
assert_contains "$SCREEN" "Read-only mode (--read-only or [recovery] read_only): restart-app"
assert_contains "$SCREEN" "The dry run above changed nothing."
assert_not_contains "$SCREEN" "Type its name"
# typing the name runs nothing
tui_keys -l "restart-app"
tui_keys Enter
assert_screen_gone "(dry run, read-only)"
assert_screen "restart-app dry run shown, not run (read-only mode)"
assert_eq "$(cat "$APP_DIR/health_mode")" 500 "read-only: the command did not run"

# the help screen and the backup menu
tui_keys '?'
assert_screen "guided recovery: dry runs only (read-only mode)"
assert_contains "$SCREEN" "backup menu (backups still run; restore is refused)"
assert_not_contains "$SCREEN" "DISABLED"
tui_keys Escape b
assert_screen "Read-only mode: backups still run"
assert_contains "$SCREEN" "restore... refused in read-only mode: it creates a database"
tui_keys r
assert_screen "Restore is refused in read-only mode: it creates a database."
tui_keys Escape
assert_screen "Read-only mode: backups still run"
tui_keys Escape q
assert_screen "EXIT=0"

# the audit log: the dry run's attempt and outcome, no run
run "$OPSDECK" -c opsdeck.conf audit --json
assert_eq "$(json_get "$OUT" 'd[0:0] or [(r["phase"], r["dry_run"], r["result"]) for r in d]')" \
	'[["attempt", true, null], ["outcome", true, "ok"]]' "audit: the dry run only"
finish
