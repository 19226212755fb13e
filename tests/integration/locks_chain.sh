#!/usr/bin/env bash
# A real blocking chain on the stack's PostgreSQL: `root` holds two rows in
# an open transaction and sits idle in it, `mid` waits on it, `leaf` waits
# on mid (queued behind it on the same row), `fourth` waits on root (the
# other row). diagnose names the root; status --json, --prometheus and check
# carry the figures; terminate-blocker's dry run lists the root and the
# three sessions it would release and changes nothing; it refuses a pid that
# is gone, one that blocks nobody, a superuser's session and read-only mode
# (audited as refused); --yes ends exactly the root and the waiters go
# 3 -> 0. A blocker the role may not see is reported as hidden, with the
# grant. A real deadlock is counted (pg_stat_database). Private stack: the
# chain must not show in other tests' diagnoses.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
require_cmd psql
stack_private pg
psql_bin=${PG_BINDIR:+$PG_BINDIR/}psql

psql_super "CREATE TABLE lock_chain (id int PRIMARY KEY, n int); INSERT INTO lock_chain VALUES (1, 0), (2, 0), (3, 0); GRANT ALL ON lock_chain TO app" >/dev/null

# waiting_on PID: once PID waits on a lock, the pids blocking it.
waiting_on() {
	local b=""
	for _ in $(seq 1 100); do
		b=$(psql_super "SELECT array_to_string(pg_blocking_pids($1), ' ')")
		[ -n "$b" ] && break
		sleep 0.1
	done
	echo "$b"
}
alive() { psql_super "SELECT count(*) FROM pg_stat_activity WHERE pid = $1"; }

pg_session root app "$PGPASSWORD" "BEGIN; UPDATE lock_chain SET n = 1 WHERE id IN (1, 2);"
root=$(pg_session_pid root "idle in transaction")
pg_session mid app "$PGPASSWORD" "UPDATE lock_chain SET n = 2 WHERE id = 1;"
mid=$(pg_session_pid mid active)
assert_eq "$(waiting_on "$mid")" "$root" "mid waits on root"
pg_session leaf app "$PGPASSWORD" "UPDATE lock_chain SET n = 3 WHERE id = 1;"
leaf=$(pg_session_pid leaf active)
assert_eq "$(waiting_on "$leaf")" "$mid" "leaf waits on mid"
pg_session fourth app "$PGPASSWORD" "UPDATE lock_chain SET n = 4 WHERE id = 2;"
fourth=$(pg_session_pid fourth active)
assert_eq "$(waiting_on "$fourth")" "$root" "fourth waits on root"

audit=$TEST_DIR/audit.jsonl
write_stack_config opsdeck.conf "[recovery]" "audit_log = $audit"

# diagnose names the root, cause first
run "$OPSDECK" -c opsdeck.conf diagnose
assert_match "$OUT" "pid $root \\(root, app@127\\.0\\.0\\.1, idle in transaction [0-9.]+ m?s\\) blocks 3 sessions, oldest waiting"
assert_contains "$OUT" "opsdeck recover terminate-blocker"
assert_contains "$OUT" "The root blocker is pid $root"
assert_not_contains "$OUT" "Find the blocker"
# cause first: the root blocker leads, the lock waiters name it
assert_match "$(grep -E '^(HIGH|MEDIUM|LOW) ' <<<"$OUT" | head -1)" "pid $root .* blocks 3 sessions" \
	"the root first"
assert_contains "$OUT" "likely cause: root blocker ($root) (above)"
run "$OPSDECK" -c opsdeck.conf diagnose --json
assert_json "$OUT"
assert_contains "$OUT" "\"root_blocker:$root\""
assert_eq "$(json_get "$OUT" issues.0.id)" "root_blocker:$root" "json: the root first"
linked=$(python3 -c 'import json, sys
d = json.load(sys.stdin)
waiters = [i for i in d["issues"] if i["id"] == "lock_waiters"][0]
print(waiters["likely_cause"], "lock_waiters" in d["issues"][0]["related"])' <<<"$OUT")
assert_eq "$linked" "root_blocker:$root True" "json: the waiters name the root, the root lists them"

# every output has the figures, no pid as a Prometheus label
run "$OPSDECK" -c opsdeck.conf status --json
assert_eq "$(json_get "$OUT" metrics.locks.root_blockers)" 1 "json: one root"
assert_eq "$(json_get "$OUT" metrics.locks.waiting)" 3 "json: three waiting"
assert_eq "$(json_get "$OUT" metrics.locks.roots.0.pid)" "$root" "json: the root's pid"
assert_eq "$(json_get "$OUT" metrics.locks.roots.0.waiters)" 3 "json: its waiters"
assert_eq "$(json_get "$OUT" metrics.locks.roots.0.state)" "idle in transaction"
assert_ge "$(json_get "$OUT" metrics.locks.running.0.duration_s | cut -d. -f1)" 0
run "$OPSDECK" -c opsdeck.conf status --prometheus
assert_prometheus "$OUT"
assert_contains "$OUT" "opsdeck_pg_root_blockers 1"
assert_contains "$OUT" "opsdeck_pg_blocked_sessions 3"
assert_contains "$OUT" "opsdeck_pg_lock_waiters 3"
assert_match "$OUT" "opsdeck_pg_deadlocks_total [0-9]+"
assert_not_contains "$OUT" "pid=\""
run "$OPSDECK" -c opsdeck.conf check
assert_contains "$OUT" "pg_blocked=3;;;0 pg_root_blockers=1;;;0"

# the dry run: the root and the sessions it would release; nothing changes
assert_exit 0 "$OPSDECK" -c opsdeck.conf recover terminate-blocker --dry-run
assert_match "$OUT" "root blocker pid $root \\(root, app@127\\.0\\.0\\.1, idle in transaction"
assert_contains "$OUT" "query: UPDATE lock_chain SET n = 1 WHERE id IN (1, 2);"
assert_contains "$OUT" "it would release 3 sessions:"
for p in "$mid" "$leaf" "$fourth"; do
	assert_match "$OUT" "  pid $p \\((mid|leaf|fourth), app@" "dry run lists waiter $p"
done
assert_contains "$OUT" "would terminate pid $root (pg_terminate_backend), releasing 3 sessions"
assert_eq "$(alive "$root")" 1 "dry run: the root is untouched"

# refusals: exit 1 for a target that is not (or no longer) what was asked
assert_exit 1 "$OPSDECK" -c opsdeck.conf recover terminate-blocker --pid "$leaf" --yes
assert_contains "$ERR" "pid $leaf blocks no session"
assert_exit 1 "$OPSDECK" -c opsdeck.conf recover terminate-blocker --pid 2147483000 --yes
assert_contains "$ERR" "pid 2147483000 is gone"
assert_exit 2 "$OPSDECK" -c opsdeck.conf --read-only recover terminate-blocker --yes
assert_contains "$ERR" "read-only"
assert_exit 2 "$OPSDECK" -c opsdeck.conf recover terminate-query --force --pid "$root" --yes
assert_contains "$ERR" "--force is only for terminate-blocker"
assert_eq "$(alive "$root")" 1 "refused: the root is untouched"
assert_contains "$(grep '"refused"' "$audit")" "blocks no session" "audit: refused, with why"

# a superuser's blocker, hidden from a role without pg_read_all_stats
pg_session superroot postgres "$PG_SUPERUSER_PASSWORD" "BEGIN; UPDATE lock_chain SET n = 9 WHERE id = 3;"
superroot=$(pg_session_pid superroot "idle in transaction")
pg_session superwaiter app "$PGPASSWORD" "UPDATE lock_chain SET n = 10 WHERE id = 3;"
superwaiter=$(pg_session_pid superwaiter active)
assert_eq "$(waiting_on "$superwaiter")" "$superroot" "a waiter on the superuser's session"
assert_exit 2 "$OPSDECK" -c opsdeck.conf recover terminate-blocker --pid "$superroot" --yes
assert_contains "$ERR" "pid $superroot is a superuser's session: not terminated"
assert_exit 2 "$OPSDECK" -c opsdeck.conf recover terminate-blocker --pid "$superroot" --force --yes
assert_contains "$ERR" "superuser's session" "--force needs a superuser role"
psql_super "REVOKE pg_read_all_stats FROM app" >/dev/null
run "$OPSDECK" -c opsdeck.conf diagnose
assert_contains "$OUT" "pid $superroot (superroot, postgres, hidden from this role) blocks 1 session"
assert_contains "$OUT" "GRANT pg_read_all_stats TO app"
run "$OPSDECK" -c opsdeck.conf status --json
assert_ge "$(json_get "$OUT" metrics.locks.hidden)" 1 "json: hidden sessions counted"
assert_eq "$(json_get "$OUT" metrics.locks.hidden_grant)" "GRANT pg_read_all_stats TO"
assert_eq "$(json_get "$OUT" checks.database.state)" ok "hidden sessions are no failure"
psql_super "GRANT pg_read_all_stats TO app" >/dev/null
psql_super "SELECT pg_terminate_backend($superroot)" >/dev/null

# --yes ends exactly the root; the waiters go 3 -> 0
assert_exit 0 "$OPSDECK" -c opsdeck.conf recover terminate-blocker --yes
assert_contains "$OUT" "terminated pid $root, which held up 3 sessions"
assert_contains "$OUT" "root_blocker: waiting sessions 3 -> 0, issue cleared"
assert_contains "$OUT" "lock_waiters: lock waiters 3 -> 0, issue cleared"
assert_eq "$(alive "$root")" 0 "the root ended"
for p in "$mid" "$leaf" "$fourth"; do
	assert_eq "$(alive "$p")" 1 "waiter $p kept"
done
assert_contains "$(tail -1 "$audit")" "\"result\":\"ok\"" "audit: the outcome"
assert_contains "$(tail -1 "$audit")" "terminated pid $root" "audit: which pid"

# nothing blocks any more: refused, exit 1
assert_exit 1 "$OPSDECK" -c opsdeck.conf recover terminate-blocker --yes
assert_contains "$ERR" "no session blocks another"

# a real deadlock: pg_stat_database.deadlocks, as status reports it, goes up
run "$OPSDECK" -c opsdeck.conf status --json
before=$(json_get "$OUT" metrics.locks.deadlocks_total)
deadlock_half() { # FIRST SECOND: lock row FIRST, wait, then row SECOND
	PGPASSWORD=$PGPASSWORD "$psql_bin" -X -q -h 127.0.0.1 -p "$PGPORT" -U app -d shop \
		-c "BEGIN; UPDATE lock_chain SET n = 5 WHERE id = $1; SELECT pg_sleep(1); UPDATE lock_chain SET n = 5 WHERE id = $2; COMMIT;" \
		>/dev/null 2>&1 || true
}
deadlock_half 1 2 &
half=$!
deadlock_half 2 1
wait "$half"
after=$before
for _ in $(seq 1 50); do
	run "$OPSDECK" -c opsdeck.conf status --json
	after=$(json_get "$OUT" metrics.locks.deadlocks_total)
	[ "$after" -gt "$before" ] && break
	sleep 0.2
done
assert_eq "$after" "$((before + 1))" "one deadlock counted"
run "$OPSDECK" -c opsdeck.conf status --prometheus
assert_contains "$OUT" "opsdeck_pg_deadlocks_total $after"
assert_no_secrets "$OUT$ERR$(cat "$audit")"
finish
