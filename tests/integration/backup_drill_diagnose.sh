#!/usr/bin/env bash
# The drill's state in every output: with a backup target and no drill,
# diagnose warns (backup_drill_stale) and status shows "no drill yet"; after
# a drill that failed (a tampered backup) diagnose errs (backup_drill_failed,
# exit 2) and status --json, --prometheus and check carry the result; a
# damaged state file is reported, not taken for "no drill".
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg
mkdir -p target
bk_config c.conf "file://$TEST_DIR/target"
state=$TEST_DIR/backup-drill.json

run "$OPSDECK" -c c.conf diagnose --json
assert_contains "$OUT" '"backup_drill_stale"' "no drill: a warning"
assert_contains "$OUT" "no drill has passed yet"
run "$OPSDECK" -c c.conf status
assert_contains "$OUT" "last drill: no drill yet"
run "$OPSDECK" -c c.conf status --json
assert_eq "$(json_get "$OUT" schema_version)" 6 "schema version"
assert_eq "$(json_get "$OUT" metrics.backup_drill.state)" ok "the drill row"
assert_eq "$(json_get "$OUT" metrics.backup_drill.last)" null "no drill yet"
run "$OPSDECK" -c c.conf status --prometheus
assert_prometheus "$OUT"
assert_contains "$OUT" "opsdeck_backup_drill_last_success_timestamp_seconds 0"

# a drill of a tampered backup fails
assert_exit 0 "$OPSDECK" -c c.conf backup db
obj=$(ls target/*.sql.gz | head -1)
flip_byte "$obj" 100
assert_exit 1 "$OPSDECK" -c c.conf backup drill
assert_eq "$(json_get "$(cat "$state")" last.result)" failed "the state file holds the failure"
assert_eq "$(stat -c %a "$state")" 600 "the state file is 0600"
run "$OPSDECK" -c c.conf diagnose --json
assert_eq "$RC" 2 "diagnose exits 2 after a failed drill"
assert_contains "$OUT" '"backup_drill_failed"'
assert_contains "$OUT" "opsdeck backup drill"
assert_not_contains "$OUT" '"backup_drill_stale"' "one issue, not two"
run "$OPSDECK" -c c.conf status --json
assert_eq "$(json_get "$OUT" metrics.backup_drill.last.ok)" false "status --json: failed"
run "$OPSDECK" -c c.conf status --prometheus
assert_prometheus "$OUT"
assert_contains "$OUT" "opsdeck_backup_drill_ok 0"
run "$OPSDECK" -c c.conf check
assert_match "$OUT" "drill_rto=[0-9.]+s"
assert_eq "$(bk_drill_scratch_left)" 0 "no scratch database left"

# a damaged state file is an unknown, not "no drill"
echo '{broken' >"$state"
run "$OPSDECK" -c c.conf diagnose
assert_contains "$OUT" "Backup drills unknown"
finish
