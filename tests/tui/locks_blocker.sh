#!/usr/bin/env bash
# A real 4-session chain (root idle in transaction <- mid <- leaf, and a
# fourth on the root): the root's pid is on the main screen (header and
# Issues panel) from the first poll that sees it, and terminate-blocker is
# one key away from the typed confirmation: `r` on the root-blocker issue
# (selected first: cause first) opens its dry run with the root and the
# sessions it would release; the typed name and Enter end exactly the root,
# and the re-check shows the waiters 3 -> 0. The keys are counted in
# doc/testing.md.
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
require_cmd psql
stack_private pg

psql_super "CREATE TABLE lock_tui (id int PRIMARY KEY, n int); INSERT INTO lock_tui VALUES (1, 0), (2, 0); GRANT ALL ON lock_tui TO app" >/dev/null

# blocked PID: waits until PID waits on a lock.
blocked() {
	for _ in $(seq 1 100); do
		[ -n "$(psql_super "SELECT array_to_string(pg_blocking_pids($1), ' ')")" ] && return 0
		sleep 0.1
	done
	fail "pid $1 never waited on a lock"
}
alive() { psql_super "SELECT count(*) FROM pg_stat_activity WHERE pid = $1"; }

pg_session root app "$PGPASSWORD" "BEGIN; UPDATE lock_tui SET n = 1 WHERE id IN (1, 2);"
root=$(pg_session_pid root "idle in transaction")
pg_session mid app "$PGPASSWORD" "UPDATE lock_tui SET n = 2 WHERE id = 1;"
mid=$(pg_session_pid mid active)
blocked "$mid"
pg_session leaf app "$PGPASSWORD" "UPDATE lock_tui SET n = 3 WHERE id = 1;"
leaf=$(pg_session_pid leaf active)
blocked "$leaf"
pg_session fourth app "$PGPASSWORD" "UPDATE lock_tui SET n = 4 WHERE id = 2;"
fourth=$(pg_session_pid fourth active)
blocked "$fourth"
pass "root $root <- mid $mid <- leaf $leaf, fourth $fourth on the root"

audit=$TEST_DIR/audit.jsonl
write_stack_config opsdeck.conf "timeout = 2s" "[ui]" "interval = 1s" "[recovery]" \
	"audit_log = $audit"
tui_start 160 50 -c opsdeck.conf
# on the main screen: the header and the Issues panel name the root
assert_screen "pid $root (root, app@127.0.0.1, idle in transaction" 10
assert_match "$(head -1 <<<"$SCREEN")" "pid $root \\(root" "the header names the root"
assert_contains "$SCREEN" "blocks 3 sessions"

# one key to the confirmation: r opens the dry run of terminate-blocker
tui_keys r
assert_screen "Type its name to run it" 10
assert_contains "$SCREEN" "Recovery: terminate-blocker"
assert_contains "$SCREEN" "root blocker pid $root (root, app@127.0.0.1"
assert_contains "$SCREEN" "it would release 3 sessions:"
for p in "$mid" "$leaf" "$fourth"; do
	assert_contains "$SCREEN" "pid $p (" "the dry run lists waiter $p"
done
assert_eq "$(alive "$root")" 1 "the dry run changed nothing"

# a mistyped name is refused; the right one ends exactly the root
tui_keys -l terminate-query
tui_keys Enter
assert_screen "'terminate-query' is not 'terminate-blocker'" 5
assert_eq "$(alive "$root")" 1 "not confirmed: the root is untouched"
tui_keys -l terminate-blocker
tui_keys Enter
assert_screen "Re-check:" 15
assert_contains "$SCREEN" "terminated pid $root, which held up 3 sessions"
assert_contains "$SCREEN" "root_blocker: waiting sessions 3 -> 0, issue cleared"
assert_eq "$(alive "$root")" 0 "the root ended"
for p in "$mid" "$leaf" "$fourth"; do
	assert_eq "$(alive "$p")" 1 "waiter $p kept"
done
assert_contains "$(tail -1 "$audit")" "\"action\":\"terminate-blocker\"" "audit: the action"
assert_contains "$(tail -1 "$audit")" "\"result\":\"ok\"" "audit: the outcome"
tui_keys Escape q
assert_screen "EXIT=0"
finish
