#!/usr/bin/env bash
# /api/version answering garbage, truncated JSON or 500 under the running
# dashboard. Without a version_file to fall back on, the version panel turns
# to a warning (as `check` does: an unknown version is not an outage) with
# the reason, the health rows stay ok, and it is ok again once the endpoint
# is fixed. With a version_file, the panel shows the file's version and says
# why the URL was not used.
. "$OPSDECK_SRCDIR/tests/faults/lib.sh"
stack_private app
fault_config opsdeck.conf "version_file ="

fault_dashboard 120 40 opsdeck.conf
assert_reported "+ OK   1.4.2" "before"
assert_verbs opsdeck.conf version.state ok 0

# version_case MODE REASON
version_case() {
	local mode=$1 reason=$2
	app_mode version "$mode"
	assert_reported "! WARN unknown" "$mode"
	assert_reported "$reason" "$mode: the reason"
	assert_contains "$SCREEN" "+ OK   app" "$mode: the app row"
	assert_contains "$SCREEN" "+ OK   /" "$mode: the storage row"
	assert_not_contains "$SCREEN" "CRIT" "$mode: the screen"
	assert_alive
	assert_verbs opsdeck.conf version.state unhealthy 1
	assert_contains "$(json_get "$FAULT_JSON" version.url_error)" "$reason" "$mode: status --json url_error"
	assert_eq "$(json_get "$FAULT_JSON" checks.health.state)" ok "$mode: health unaffected"
	app_mode version ok
	assert_reported "+ OK   1.4.2" "$mode fixed"
	assert_cleared "WARN unknown" "$mode fixed"
	assert_verbs opsdeck.conf version.state ok 0
}

version_case garbage "not a JSON object"
assert_contains "$SCREEN" "version ok -> unhealthy: version_url: not a JSON object" "Activity: the failure"
assert_contains "$SCREEN" "version unhealthy -> ok" "Activity: the recovery"
version_case truncated "not JSON: truncated"
version_case 500 "HTTP 500"
fault_quit
assert_terminal_usable

# With the file to fall back on.
_tui_kill "$TUI_SOCKET"
TUI_SOCKET=$TUI_SOCKET-file
fault_config file.conf
fault_dashboard 120 40 file.conf
assert_reported "from version_url" "fallback: before"
app_mode version garbage
assert_reported "from version_file" "fallback: garbage"
assert_reported "version_url: not a JSON object" "fallback: the reason"
assert_contains "$SCREEN" "+ OK   1.4.2" "fallback: the file's version"
assert_alive
assert_verbs file.conf version.state ok 0
assert_eq "$(json_get "$FAULT_JSON" version.source)" version_file "fallback: status --json source"
assert_eq "$(json_get "$FAULT_JSON" version.url_error)" "not a JSON object" "fallback: status --json url_error"
app_mode version ok
assert_reported "from version_url" "fallback: fixed"
assert_cleared "not a JSON object" "fallback: fixed"
fault_quit
assert_terminal_usable
finish
