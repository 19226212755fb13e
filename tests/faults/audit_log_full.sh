#!/usr/bin/env bash
# The audit log on a 4 KiB tmpfs that fills up: actions run until a record
# no longer fits; that action is refused before it runs (its attempt record
# could not be written), no torn line is left in the log, every action that
# ran has its attempt record, and `opsdeck audit` reads every record back
# and skips nothing; with broken lines added, it shows every whole record
# and counts the broken lines.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
require_cmd mount umount
logdir=$TEST_DIR/log
mkdir -m 0700 "$logdir"
if ! mount -t tmpfs -o size=4k,mode=0700 tmpfs "$logdir" 2>mount.err; then
	skip "cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN): $(cat mount.err)"
fi
on_exit umount -l "$logdir"
audit=$logdir/audit.jsonl
write_recovery_config opsdeck.conf "restart_command = /bin/sh -c \"echo ran >> $TEST_DIR/ran\"" \
	"audit_log = $audit"

refused=0
runs=0
for i in $(seq 60); do
	runs=$i
	run "$OPSDECK" -c opsdeck.conf recover restart-app --yes
	if [ "$RC" -ne 0 ]; then
		refused=1
		break
	fi
done
assert_eq "$refused" 1 "the full log stopped an action within $runs runs"
assert_contains "$ERR" "audit log" "the refusal names the audit log"

ran=$(grep -c ran "$TEST_DIR/ran" 2>/dev/null || true)
attempts=$(grep -c '"phase":"attempt"' "$audit")
outcomes=$(grep -c '"phase":"outcome"' "$audit")
assert_eq "$ran" "$attempts" "every action that ran has its attempt record"
# Where the space ran out decides which record failed: the attempt (the
# action is refused and does not run) or the outcome (it ran, and says
# loudly that its end is not on record).
if [ "$ran" -eq "$((runs - 1))" ]; then
	pass "the last action was refused before it ran"
	assert_eq "$RC" 2 "a refusal exits 2"
	assert_eq "$outcomes" "$attempts" "every attempt has its outcome"
else
	assert_eq "$ran" "$runs" "the last action ran"
	assert_eq "$RC" 1 "an action whose outcome is not on record exits 1"
	assert_contains "$ERR" "outcome could not be recorded" "and says why"
	assert_eq "$outcomes" "$((attempts - 1))" "only its outcome is missing"
fi
lines=$(wc -l <"$audit")
assert_eq "$(tail -c 1 "$audit" | od -An -c | tr -d ' ')" '\n' "the log ends with a whole line"
broken=0
while IFS= read -r line; do
	"$_LIB_PY" -c 'import json, sys; json.loads(sys.argv[1])' "$line" 2>/dev/null ||
		broken=$((broken + 1))
done <"$audit"
assert_eq "$broken" 0 "no torn line in the log ($lines lines)"
run "$OPSDECK" -c opsdeck.conf audit
assert_eq "$RC" 0 "opsdeck audit reads the full log"
assert_eq "$(grep -c restart-app <<<"$OUT")" "$lines" "opsdeck audit shows every record"
assert_not_contains "$ERR" "skipped" "opsdeck audit skips nothing"

# The reader skips only what is broken, and says how much: a torn record
# with a whole one glued to it (an older opsdeck's short write) and a line
# of garbage cost one line each; the glued record is still read.
copy=$TEST_DIR/torn.jsonl
{
	head -n 1 "$audit" | head -c 40
	head -n 1 "$audit"
	echo 'not a record'
	tail -n +2 "$audit"
} >"$copy"
chmod 0600 "$copy"
sed "s|^audit_log = .*|audit_log = $copy|" opsdeck.conf | write_config torn.conf
run "$OPSDECK" -c torn.conf audit
assert_eq "$RC" 0 "opsdeck audit reads a log with broken lines"
assert_eq "$(grep -c restart-app <<<"$OUT")" "$lines" "every whole record is shown"
assert_contains "$ERR" "skipped 2 lines that are not audit records" "and the broken lines are counted"
finish
