#!/usr/bin/env bash
# reconnect-db terminates only the app's sessions idle in transaction longer
# than idle_in_tx: an active one, an idle one, a fresh idle-in-transaction
# one and a superuser's stale one survive. cancel-query / terminate-query act
# on one pid of the app's and refuse anything else.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
require_cmd psql
stack_private pg

pid_of() { psql_super "SELECT pid FROM pg_stat_activity WHERE application_name = '$1'"; }

pg_session stale app "$PGPASSWORD" 'BEGIN;\nSELECT 1;\n'
pg_session busy app "$PGPASSWORD" 'SELECT pg_sleep(60);\n'
pg_session idle app "$PGPASSWORD" 'SELECT 1;\n'
pg_session superstale postgres "$PG_SUPERUSER_PASSWORD" 'BEGIN;\nSELECT 1;\n'
# a backup's pg_dump holds a transaction open as the app's user: never ended
pg_session opsdeck-backup app "$PGPASSWORD" 'BEGIN;\nSELECT 1;\n'
# stale ones are 5 s old at the check; the fresh one stays under the 4 s
# threshold with seconds to spare, even on a loaded machine
sleep 5
pg_session fresh app "$PGPASSWORD" 'BEGIN;\nSELECT 1;\n'
sleep 0.5
for n in stale busy idle superstale fresh opsdeck-backup; do
	[ -n "$(pid_of $n)" ] || fail "session $n did not start"
done

write_stack_config opsdeck.conf "[thresholds]" "idle_in_tx = 4s" \
	"[recovery]" "audit_log = $TEST_DIR/audit.jsonl"
assert_exit 0 "$OPSDECK" -c opsdeck.conf recover reconnect-db --dry-run
assert_contains "$OUT" "1 session of user app in database shop idle in transaction longer than 4.0 s"
assert_match "$OUT" "$(pid_of stale) +app +stale "
assert_not_contains "$OUT" "superstale"
assert_not_contains "$OUT" "fresh"
assert_not_contains "$OUT" "opsdeck-backup"
stale=$(pid_of stale)

assert_exit 0 "$OPSDECK" -c opsdeck.conf recover reconnect-db --yes
assert_contains "$OUT" "pid $stale: terminated"
assert_contains "$OUT" "terminated 1 of 1 stale session"
assert_contains "$OUT" "re-check:"
sleep 0.3
assert_eq "$(pid_of stale)" "" "the stale session is gone"
for n in busy idle superstale fresh opsdeck-backup; do
	assert_ne "$(pid_of $n)" "" "session $n survives"
done

# cancel-query: the busy session's query is cancelled, the session stays.
busy=$(pid_of busy)
assert_exit 0 "$OPSDECK" -c opsdeck.conf recover cancel-query --pid "$busy" --dry-run
assert_contains "$OUT" "would cancel the running query of pid $busy"
assert_contains "$OUT" "pg_sleep"
assert_exit 0 "$OPSDECK" -c opsdeck.conf recover cancel-query --pid "$busy" --yes
sleep 0.3
assert_eq "$(psql_super "SELECT state FROM pg_stat_activity WHERE pid = $busy")" idle "query cancelled, session kept"

# Never a superuser's session, never one that is not there.
super=$(pid_of superstale)
assert_exit 2 "$OPSDECK" -c opsdeck.conf recover terminate-query --pid "$super" --yes
assert_contains "$ERR" "is not a session of user app"
assert_ne "$(pid_of superstale)" "" "the superuser's session survives"
assert_exit 2 "$OPSDECK" -c opsdeck.conf recover terminate-query --yes
assert_contains "$ERR" "needs --pid"

idle=$(pid_of idle)
assert_exit 0 "$OPSDECK" -c opsdeck.conf recover terminate-query --pid "$idle" --yes
sleep 0.3
assert_eq "$(pid_of idle)" "" "terminate-query ended the session"
assert_no_secrets "$OUT$ERR$(cat "$TEST_DIR/audit.jsonl")"
finish
