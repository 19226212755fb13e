#!/usr/bin/env bash
# opsdeck backup drill on the real stack: a fresh backup passes (every
# table's rows compared, the newest migration named, drill_sql run); a
# manifest whose row count disagrees fails naming the table (the object's
# checksum still matches); a tampered object fails; a failing drill_sql
# fails; a custom dump passes with its counts "not compared"; SIGTERM in the
# middle ends it as cancelled, also while a drill_sql query runs on the
# server (within seconds, not when the query ends). After each case no opsdeck_drill_* database
# is left, the state file holds the result and the audit log both records.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg

db=bk_drill_$$
bk_createdb "$db"
bk_psql "$db" "CREATE TABLE \"User\" (id int PRIMARY KEY, email text);
	INSERT INTO \"User\" SELECT g, 'u' || g || E'@example.com\\nsecond line' FROM generate_series(1, 12) g;
	CREATE TABLE empty (id int);
	CREATE SCHEMA \"Odd Schema\";
	CREATE TABLE \"Odd Schema\".\"a \"\"b\"\"\" (v text);
	INSERT INTO \"Odd Schema\".\"a \"\"b\"\"\" VALUES ('\\.'), (E'x\\ty');
	CREATE TABLE _prisma_migrations (id text PRIMARY KEY, migration_name text NOT NULL,
		finished_at timestamptz, rolled_back_at timestamptz);
	INSERT INTO _prisma_migrations VALUES
		('1', '20261001000000_init', '2026-10-01', NULL),
		('2', '20261101000000_add_orders', '2026-11-01', NULL),
		('3', '20261201000000_rolled_back', '2026-12-01', '2026-12-01');" >/dev/null
dburl="postgresql://app:$PGPASSWORD@127.0.0.1:$PGPORT/$db"
# the app role has no CREATEDB: drills restore as the superuser
su="restore_url = $PG_SUPERUSER_URL"
mkdir -p target
bk_config c.conf "file://$TEST_DIR/target" "$dburl" \
	"$su
drill_sql = SELECT count(*) = 12 FROM \"User\"; SELECT 'a;b' = 'a;b'"
state=$TEST_DIR/backup-drill.json

scratch_left() { bk_drill_scratch_left; }
object() { ls target/*.sql.gz | head -1; }

assert_exit 0 "$OPSDECK" -c c.conf backup db
key=$(basename "$(object)")
assert_contains "$(cat "target/$key.json")" '"public.\"User\"": 12' "the manifest counts the rows"
assert_contains "$(cat "target/$key.json")" '"public.empty": 0' "an empty table is counted"

# 1. a fresh backup passes
assert_exit 0 "$OPSDECK" -c c.conf backup drill
assert_contains "$OUT" "row counts match in 4 tables"
assert_contains "$OUT" "newest migration: 20261101000000_add_orders"
assert_contains "$OUT" "drill_sql 2 passed"
assert_contains "$OUT" "drill passed: $key"
assert_eq "$(scratch_left)" 0 "no scratch database after a drill that passed"
assert_eq "$(json_get "$(cat "$state")" last.result)" ok "state: ok"
assert_eq "$(json_get "$(cat "$state")" last.tables_compared)" 4 "state: tables compared"
assert_eq "$(grep -c '"action":"backup-drill"' audit.jsonl)" 2 "audit: attempt and outcome"
assert_contains "$(tail -1 audit.jsonl)" '"result":"ok"'
run "$OPSDECK" -c c.conf status --json
assert_eq "$(json_get "$OUT" metrics.backup_drill.last.ok)" true "status --json: last drill ok"
run "$OPSDECK" -c c.conf diagnose --json
assert_not_contains "$OUT" '"backup_drill_' "no drill issue after a drill that passed"
run "$OPSDECK" -c c.conf status --prometheus
assert_prometheus "$OUT"
assert_contains "$OUT" "opsdeck_backup_drill_ok 1"
assert_match "$OUT" "opsdeck_backup_drill_rto_seconds [0-9.]+"

# 2. the manifest says 13 users: the drill fails and names the table; the
# object is untouched, so its checksum still matches
cp "target/$key.json" manifest.orig
sed -i 's/"public.\\"User\\"": 12/"public.\\"User\\"": 13/' "target/$key.json"
assert_exit 1 "$OPSDECK" -c c.conf backup drill "$key"
assert_contains "$ERR" 'public."User": 12 rows, the manifest says 13'
assert_eq "$(scratch_left)" 0 "no scratch database after a count mismatch"
assert_eq "$(json_get "$(cat "$state")" last.result)" failed "state: failed"
run "$OPSDECK" -c c.conf diagnose --json
assert_contains "$OUT" '"backup_drill_failed"' "diagnose: a failed drill"
assert_eq "$RC" 2 "diagnose: a failed drill is an error"
cp manifest.orig "target/$key.json"

# 3. one byte of the object changed: the restore refuses it
cp "$(object)" object.orig
flip_byte "$(object)" 100
assert_exit 1 "$OPSDECK" -c c.conf backup drill "$key"
assert_contains "$ERR" "drill failed"
assert_eq "$(scratch_left)" 0 "no scratch database after a tampered object"
cp object.orig "$(object)"

# 4. a drill_sql query that returns false fails the drill
bk_config sql.conf "file://$TEST_DIR/target" "$dburl" "$su
drill_sql = SELECT count(*) > 100 FROM \"User\""
assert_exit 1 "$OPSDECK" -c sql.conf backup drill "$key"
assert_contains "$ERR" "drill_sql 1"
assert_eq "$(scratch_left)" 0 "no scratch database after a drill_sql failure"

# 5. a custom-format dump has no counts: compared none, still passes
mkdir -p custom
bk_config custom.conf "file://$TEST_DIR/custom" "$dburl" "$su
format = custom"
assert_exit 0 "$OPSDECK" -c custom.conf backup db
assert_exit 0 "$OPSDECK" -c custom.conf backup drill
assert_contains "$OUT" "row counts not compared"
assert_eq "$(json_get "$(cat "$state")" last.tables_compared)" null "state: not compared"

# 6. SIGTERM while the drill runs: cancelled, the scratch database dropped
big=bk_drill_big_$$
bk_big_db "$big" 32
mkdir -p bigtarget
bk_config big.conf "file://$TEST_DIR/bigtarget" "postgresql://app:$PGPASSWORD@127.0.0.1:$PGPORT/$big" "$su"
assert_exit 0 "$OPSDECK" -c big.conf backup db
"$OPSDECK" -c big.conf backup drill >drill.out 2>drill.err &
pid=$!
scratch_made() { [ "$(scratch_left)" != 0 ]; }
wait_until 10 scratch_made
assert_eq "$(scratch_left)" 1 "the scratch database exists while the drill runs"
kill -TERM "$pid"
wait "$pid"
assert_eq "$?" 1 "a cancelled drill exits 1"
assert_contains "$(cat drill.err)" "cancelled"
assert_eq "$(scratch_left)" 0 "no scratch database after SIGTERM"
assert_contains "$(tail -1 audit.jsonl)" '"result":"cancelled"'

# 7. SIGTERM while a drill_sql query runs: the wait for it ends at once
bk_config slow.conf "file://$TEST_DIR/target" "$dburl" "$su
drill_sql = SELECT true AS bk_drill_sleep_$$ FROM pg_sleep(120)"
"$OPSDECK" -c slow.conf backup drill "$key" >slow.out 2>slow.err &
pid=$!
sleeping() { psql_super "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%bk_drill_sleep_$$%' AND pid <> pg_backend_pid()"; }
is_sleeping() { [ "$(sleeping)" != 0 ]; }
wait_until 10 is_sleeping
assert_eq "$(sleeping)" 1 "the drill_sql query runs"
kill -TERM "$pid"
if ! wait_until 20 ended "$pid"; then
	fail "the drill still runs 20 s after SIGTERM, waiting for its drill_sql query"
	kill -KILL "$pid"
fi
wait "$pid"
assert_eq "$?" 1 "a drill cancelled in drill_sql exits 1"
assert_contains "$(cat slow.err)" "cancelled"
assert_eq "$(scratch_left)" 0 "no scratch database after SIGTERM in drill_sql"
assert_eq "$(sleeping)" 0 "the query ended with the scratch database"
assert_contains "$(tail -1 audit.jsonl)" '"result":"cancelled"'
finish
