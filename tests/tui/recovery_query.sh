#!/usr/bin/env bash
# cancel-query from the dashboard: r on the Slow queries panel offers
# cancel-query and terminate-query, asks for the pid, shows the session as
# its dry run, takes y (not destructive: y/N), and cancels that query only.
# The pid step lists the app's busy sessions to pick from.
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
require_cmd psql
stack_private pg
psql_bin=${PG_BINDIR:+$PG_BINDIR/}psql

(printf 'SELECT pg_sleep(30);\n'; sleep 30) |
	PGAPPNAME=busy PGPASSWORD=$PGPASSWORD "$psql_bin" -X -q -h 127.0.0.1 -p "$PGPORT" -U app \
		-d shop >/dev/null 2>&1 &
on_exit kill "$!"
busy=""
for _ in $(seq 1 50); do
	busy=$(psql_super "SELECT pid FROM pg_stat_activity WHERE application_name = 'busy' AND state = 'active'")
	[ -n "$busy" ] && break
	sleep 0.1
done
[ -n "$busy" ] && pass "a busy session (pid $busy)" || fail "the busy session did not start"

write_stack_config opsdeck.conf "timeout = 2s" "[recovery]" "audit_log = $TEST_DIR/audit.jsonl"
tui_start 120 40 -c opsdeck.conf
assert_screen "> Health"
tui_keys BTab BTab
assert_screen "> Slow queries"
tui_keys r
assert_screen "Recovery: choose an action"
assert_contains "$SCREEN" "cancel-query: cancel the running query"
assert_contains "$SCREEN" "terminate-query [destructive]"
tui_keys 1
assert_screen "> $busy"
assert_contains "$SCREEN" "SELECT pg_sleep(30);"
assert_contains "$SCREEN" "active"
# The first busy session is offered; typing a pid works too.
tui_keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
assert_screen "PID: _"
tui_keys -l "$busy"
assert_screen "PID: ${busy}_"
tui_keys Enter
assert_screen "would cancel the running query of pid $busy"
assert_contains "$SCREEN" "pg_sleep"
assert_contains "$SCREEN" "Run cancel-query? y/N"
tui_keys y
assert_screen "Recovery: cancel-query (done)" 10
sleep 0.3
assert_eq "$(psql_super "SELECT state FROM pg_stat_activity WHERE pid = $busy")" idle \
	"the query was cancelled, the session kept"
tui_keys Escape
assert_screen "recovery: cancel-query done"
tui_keys q
assert_screen "EXIT=0"
finish
