#!/usr/bin/env bash
# A real lock on the stack's PostgreSQL: one session holds a row in an open
# transaction and sits idle in it (the blocker), two others wait on the row.
# The lock-waiters issue suggests terminate-query, preselected; the pid picker lists
# the blocker first and marks the roles; cancel-query on the idle blocker is
# refused as a no-op and terminate-query offered instead; cancelling one
# waiter is reported "ran, issue still present"; terminate-query of the
# blocker, started from the Slow queries panel, re-checks the lock and
# reports it cleared. The keys from the focused issue to the confirmation
# are counted in doc/testing.md.
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
require_cmd psql
stack_private pg

psql_super "CREATE TABLE lock_demo (id int PRIMARY KEY, n int); INSERT INTO lock_demo VALUES (1, 0), (2, 0); GRANT ALL ON lock_demo TO app" >/dev/null

pg_session blocker app "$PGPASSWORD" "BEGIN; UPDATE lock_demo SET n = n + 1 WHERE id = 1;"
blocker=$(pg_session_pid blocker "idle in transaction")
pg_session waiter1 app "$PGPASSWORD" "UPDATE lock_demo SET n = n + 10 WHERE id = 1;"
waiter1=$(pg_session_pid waiter1 active)
pg_session waiter2 app "$PGPASSWORD" "UPDATE lock_demo SET n = n + 100 WHERE id = 1;"
waiter2=$(pg_session_pid waiter2 active)
pass "a blocker ($blocker) and two waiters ($waiter1, $waiter2)"
# focus NAME: Tab until the panel NAME has the focus, whatever the order.
focus() {
	for _ in 1 2 3 4 5 6 7 8; do
		tui_wait "> $1" 1 && return 0
		tui_keys Tab
	done
	fail "no panel $1"
}

audit=$TEST_DIR/audit.jsonl
write_stack_config opsdeck.conf "timeout = 2s" "[ui]" "interval = 1s" "[recovery]" \
	"audit_log = $audit"
tui_start 160 50 -c opsdeck.conf
assert_screen "2 backends are waiting on a lock" 10

# The lock issue: terminate-query first and preselected, then cancel-query.
focus Issues
# (the root-blocker issue opens straight at its own dry run: tests/tui/locks_blocker.sh)
for _ in 1 2 3 4 5 6; do
	tui_keys r
	assert_screen "Recovery:"
	[[ $SCREEN == *"Issue: 2 backends are waiting on a lock"* ]] && break
	tui_keys Escape
	assert_screen_gone "Recovery:"
	tui_keys Down
done
assert_contains "$SCREEN" "Issue: 2 backends are waiting on a lock"
assert_contains "$SCREEN" "> 1) terminate-query [destructive]"
assert_contains "$SCREEN" "  2) cancel-query:"

# The picker: the blocker first and preselected, then the waiters, marked.
tui_keys Down Enter
assert_screen "PID: ${blocker}_"
picker=$(grep -oE "[0-9]+ +(blocker|waiting|-) +[0-9.]+ [a-z]+ +[a-z ]+" <<<"$SCREEN")
assert_eq "$(awk '{printf "%s %s ", $1, $2}' <<<"$picker")" \
	"$blocker blocker $waiter1 waiting $waiter2 waiting " "the picker: blocker first, then the waiters"
assert_eq "$(grep -cE "> $blocker +blocker " <<<"$SCREEN")" 1 "the blocker preselected"
assert_contains "$(head -1 <<<"$picker")" "idle in transaction" "the blocker's state"

# cancel-query cannot affect an idle blocker: refused, terminate-query offered.
tui_keys Enter
assert_screen "runs no query: cancel-query would do"
assert_contains "$SCREEN" "Offering terminate-query instead"
assert_contains "$SCREEN" "Recovery: terminate-query"
tui_keys Escape
assert_screen_gone "Recovery:"
assert_eq "$(psql_super "SELECT state FROM pg_stat_activity WHERE pid = $blocker")" \
	"idle in transaction" "refused: the blocker is untouched"

# Cancelling one waiter works but the lock stays: "ran, issue still present".
focus "Slow queries"
tui_keys r
assert_screen "Recovery: choose an action"
tui_keys 1
assert_screen "PID: ${blocker}_"
tui_keys Down
assert_screen "PID: ${waiter1}_"
tui_keys Enter
assert_screen "Run cancel-query? y/N" 10
tui_keys y
assert_screen "Recovery: cancel-query (ran, issue still present)" 15
assert_contains "$SCREEN" "cancel-query ran, issue still present: cancelled the query of pid $waiter1"
assert_contains "$SCREEN" "lock_waiters: lock waiters 2 -> 1, still present"
tui_keys Escape
assert_screen "recovery: cancel-query ran, issue still present"
assert_contains "$(tail -1 "$audit")" '"result":"still-present"' "audit: the outcome says still present"
assert_contains "$(tail -1 "$audit")" "lock waiters 2 -> 1" "audit: the outcome carries the re-check"

# terminate-query of the blocker from the Slow queries panel: the re-check
# compares the lock it acted on. Three keys and the typed name.
tui_keys r
assert_screen "Recovery: choose an action"
tui_keys 2
assert_screen "PID: ${blocker}_"
tui_keys Enter
assert_screen "Type its name to run it" 10
assert_contains "$SCREEN" "would terminate the session of pid $blocker"
tui_keys -l terminate-query
tui_keys Enter
assert_screen "Re-check:" 15
assert_contains "$SCREEN" "lock_waiters: lock waiters 1 -> 0, issue cleared"
assert_not_contains "$SCREEN" "no issue that terminate-query addresses"
assert_eq "$(psql_super "SELECT count(*) FROM pg_stat_activity WHERE pid = $blocker")" 0 \
	"the blocker ended"
tui_keys Escape q
assert_screen "EXIT=0"
finish
