#!/usr/bin/env bash
# The guided recovery flow, as an operator walks it: the app's health turns
# 500, the issue appears, r offers its actions, restart-app shows its dry run
# and wants its name typed, runs (restart_command flips the app back to ok),
# and the re-check shows the issue cleared. Esc cancels before running.
# The audit log has the whole story. Read-only mode: tests/tui/read_only.sh.
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
stack_private app

printf '#!/bin/sh\necho "restarting the app"\necho ok > "%s/health_mode"\n' "$APP_DIR" \
	>"$TEST_DIR/restart.sh"
chmod +x "$TEST_DIR/restart.sh"
audit=$TEST_DIR/audit.jsonl
write_stack_config opsdeck.conf "timeout = 2s" "[ui]" "interval = 1s" "[recovery]" \
	"restart_command = /bin/sh $TEST_DIR/restart.sh" "audit_log = $audit"
app_mode health 500

tui_start 120 40 -c opsdeck.conf
assert_screen "The app's health check failed" 8

# Esc before running: nothing runs.
tui_keys r
assert_screen "Recovery: choose an action"
assert_contains "$SCREEN" "restart-app [destructive]"
tui_keys Enter
assert_screen "is destructive. Type its name"
assert_contains "$SCREEN" "would run (no shell"
tui_keys Escape
assert_screen_gone "Type its name"
assert_screen "restart-app cancelled by the operator"
assert_eq "$(cat "$APP_DIR/health_mode")" 500 "cancelled: the command did not run"

# The whole flow; a wrong name is refused first.
tui_keys r
assert_screen "Recovery: choose an action"
tui_keys Enter
assert_screen "Type its name"
tui_keys -l "restart"
tui_keys Enter
assert_screen "type the name exactly"
assert_eq "$(cat "$APP_DIR/health_mode")" 500 "a wrong name runs nothing"
tui_keys -l "restart-app"
assert_screen "> restart-app_"
tui_keys Enter
assert_screen "Re-check:" 15
assert_contains "$SCREEN" "app_down: health HTTP 500 -> 200, issue cleared"
assert_contains "$SCREEN" "restarting the app"
assert_eq "$(cat "$APP_DIR/health_mode")" ok "the command ran"
tui_keys Escape
assert_screen "recovery: restart-app done"
assert_screen "re-check: app_down"

# The audit log: two dry runs, the declined confirmation and the run,
# attempt and outcome each.
run "$OPSDECK" -c opsdeck.conf audit --json
assert_eq "$(json_get "$OUT" 'd[0:0] or [(r["phase"], r["dry_run"], r["result"]) for r in d]')" \
	'[["attempt", true, null], ["outcome", true, "ok"], ["attempt", false, null], ["outcome", false, "declined"], ["attempt", true, null], ["outcome", true, "ok"], ["attempt", false, null], ["outcome", false, "ok"]]' \
	"audit: a dry run, declined, a dry run, then the run"
assert_eq "$(json_get "$OUT" 'd[2]["id"] == d[3]["id"] and d[6]["id"] == d[7]["id"]')" true "attempt and outcome joined"
tui_keys q
assert_screen "EXIT=0"

# The command line on a terminal asks as the dashboard does.
_tui_kill "$TUI_SOCKET"
app_mode health 500
TUI_SOCKET="$TUI_SOCKET-cli"
tui_start 120 40 -c opsdeck.conf recover restart-app
assert_screen "Type its name (restart-app) to run it"
assert_contains "$SCREEN" "would run (no shell"
tui_keys -l "nope"
tui_keys Enter
assert_screen "not confirmed: restart-app not run"
assert_screen "EXIT=2"
assert_contains "$(tail -1 "$audit")" '"result":"declined"' "declined on the command line: on record"
assert_eq "$(cat "$APP_DIR/health_mode")" 500 "not confirmed: nothing ran"
_tui_kill "$TUI_SOCKET"
TUI_SOCKET="$TUI_SOCKET-2"
tui_start 120 40 -c opsdeck.conf recover restart-app
assert_screen "Type its name (restart-app) to run it"
tui_keys -l "restart-app"
tui_keys Enter
assert_screen "EXIT=0" 15
assert_contains "$SCREEN" "app_down: health HTTP 500 -> 200, issue cleared"
finish
