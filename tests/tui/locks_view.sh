#!/usr/bin/env bash
# The Locks view on a real chain: the root sits idle in a transaction
# holding a row lock on a private table, mid waits on it and leaf waits on
# mid (three psql sessions). `l` shows the root at depth 0 and the waiters
# indented under it, with their application, state and wait; `c` on the
# root is refused (it runs no query) and says why; `t` on the root reaches
# the typed confirmation of terminate-blocker --pid ROOT with its dry run;
# confirming ends exactly the root, the waiters' updates then go through
# and the view, refreshed by the next polls, says no session waits.
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
require_cmd psql
stack_private pg

psql_super "CREATE TABLE locks_view_tui (id int PRIMARY KEY, n int); INSERT INTO locks_view_tui VALUES (1, 0); GRANT ALL ON locks_view_tui TO app" >/dev/null

sessions_alive() {
	psql_super "SELECT count(*) FROM pg_stat_activity WHERE pid IN ($1)"
}

pg_session lv_root app "$PGPASSWORD" "BEGIN; UPDATE locks_view_tui SET n = 1 WHERE id = 1;"
root=$(pg_session_pid lv_root "idle in transaction")
pg_session lv_mid app "$PGPASSWORD" "UPDATE locks_view_tui SET n = 2 WHERE id = 1;"
mid=$(pg_session_pid lv_mid Lock)
pg_session lv_leaf app "$PGPASSWORD" "UPDATE locks_view_tui SET n = 3 WHERE id = 1;"
leaf=$(pg_session_pid lv_leaf Lock)
pass "root $root <- mid $mid <- leaf $leaf"

audit=$TEST_DIR/audit.jsonl
write_stack_config opsdeck.conf "timeout = 2s" "[ui]" "interval = 1s" "[recovery]" \
	"audit_log = $audit"
tui_start 120 40 -c opsdeck.conf
assert_screen "pid $root (lv_root" 10

# l: the tree, the root at depth 0 and its waiters indented under it
tui_keys l
assert_screen "root blocker" 5
assert_screen "\`- $leaf" 10
assert_contains "$SCREEN" "2 sessions waiting on a lock"
lines=$(grep -E "^\| ($root|\`- $mid|  \`- $leaf) " <<<"$SCREEN" | awk '{print $2, $3, $4}')
assert_eq "$lines" "$root lv_root app
\`- $mid lv_mid
\`- $leaf lv_leaf" "root, then mid indented, then leaf under mid"
assert_match "$(grep -E "^\| $root " <<<"$SCREEN")" "idle in tx .* blocks 2 " "the root's row"
assert_match "$(grep -E "^\| \`- $mid " <<<"$SCREEN")" "active .* (transactionid|tuple) " \
	"mid's row: its wait"
assert_contains "$SCREEN" "Running now:"
tui_show_screen # the view, in the log

# Down selects mid; Enter shows it in full, with whom it waits on
tui_keys Down Enter
assert_screen "pid $mid (lv_mid, app@127.0.0.1, active" 5
assert_match "$SCREEN" "Waits [^|]* behind pid $root\\." "mid's details: its blocker"
tui_keys Escape Up
assert_screen_gone "Waits " 5
assert_contains "$SCREEN" "Running now:" "back in the Locks view"

# c on the root (selected again) is refused: it runs no query
tui_keys c
assert_screen "pid $root is idle in transaction and runs no query" 5
assert_eq "$(sessions_alive "$root")" 1 "c changed nothing"

# t on the root: the dry run of terminate-blocker, then the typed confirmation
tui_keys t
assert_screen "Type its name to run it" 10
assert_contains "$SCREEN" "Recovery: terminate-blocker"
assert_contains "$SCREEN" "root blocker pid $root (lv_root"
assert_contains "$SCREEN" "it would release 2 sessions:"
assert_eq "$(sessions_alive "$root")" 1 "the dry run changed nothing"
tui_keys -l terminate-blocker
tui_keys Enter
assert_screen "Re-check:" 15
assert_contains "$SCREEN" "terminated pid $root"
assert_eq "$(sessions_alive "$root")" 0 "the root ended"
assert_eq "$(sessions_alive "$mid,$leaf")" 2 "the waiters kept"
assert_contains "$(tail -1 "$audit")" "\"action\":\"terminate-blocker\"" "audit: the action"

# Esc closes the dialog: the Locks view again, empty after the next polls
tui_keys Escape
assert_screen "no session waits on a lock" 10
assert_contains "$SCREEN" "Locks"
tui_keys Escape
assert_screen_gone "no session waits on a lock" 5
tui_keys q
assert_screen "EXIT=0"
finish
