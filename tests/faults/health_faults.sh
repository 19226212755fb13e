#!/usr/bin/env bash
# The app's health endpoint failing under the running dashboard, one way at a
# time from healthy: answering 500, answering after longer than the timeout,
# and hung (reads the request, never answers). Each is reported on the app
# row with its reason within two intervals, the verbs agree, the version
# panel (same server, other endpoint) stays ok, and each clears when the
# endpoint answers 200 again. Then, with a timeout far longer than the
# interval, a hung probe shows "waiting" on its own row while keys are still
# answered, and q quits without waiting for it.
. "$OPSDECK_SRCDIR/tests/faults/lib.sh"
stack_private app
fault_config opsdeck.conf
echo 3 >"$APP_DIR/slow_seconds" # beyond the 1 s timeout

fault_dashboard 120 40 opsdeck.conf
assert_reported "+ OK   app" "before"
assert_verbs opsdeck.conf checks.health.state ok 0

# fault_case MODE REASON: switch the endpoint to MODE, see REASON reported,
# cross-check the verbs, switch back and see it cleared.
fault_case() {
	local mode=$1 reason=$2
	app_mode health "$mode"
	assert_reported "x CRIT app" "$mode"
	assert_reported "$reason" "$mode: the reason"
	assert_contains "$SCREEN" "+ OK   1.4.2" "$mode: the version panel"
	assert_alive
	assert_verbs opsdeck.conf checks.health.state unhealthy 2
	assert_contains "$(json_get "$FAULT_JSON" checks.health.error)" "$reason" "$mode: status --json error"
	assert_eq "$(json_get "$FAULT_JSON" version.state)" ok "$mode: version unaffected"
	app_mode health ok
	assert_reported "+ OK   app" "$mode fixed"
	assert_cleared "x CRIT app" "$mode fixed"
	assert_verbs opsdeck.conf checks.health.state ok 0
}

fault_case 500 "HTTP 500"
assert_contains "$SCREEN" "health ok -> unhealthy: HTTP 500" "Activity: the outage"
assert_contains "$SCREEN" "health unhealthy -> ok" "Activity: the recovery"
fault_case slow "timed out after 1.0 s"
fault_case hang "timed out after 1.0 s"
fault_quit
assert_terminal_usable

# A probe that stays hung much longer than an interval.
_tui_kill "$TUI_SOCKET"
TUI_SOCKET=$TUI_SOCKET-long
FAULT_TIMEOUT=30 fault_config long.conf
fault_dashboard 120 30 long.conf
assert_reported "+ OK   app" "long timeout: before"
app_mode health hang
assert_reported "waiting" "long timeout: hung"
assert_match "$SCREEN" "app +waiting [0-9]" "long timeout: the app's row says it waits"
assert_alive
assert_contains "$SCREEN" "+ OK   1.4.2" "long timeout: the version panel while health hangs"
assert_contains "$SCREEN" "+ OK   /" "long timeout: the storage row while health hangs"
assert_alive
fault_quit
assert_terminal_usable
finish
