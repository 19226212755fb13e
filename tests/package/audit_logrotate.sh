#!/usr/bin/env bash
# Rotating the audit log by rename, as the shipped logrotate file does, loses
# no record: opsdeck opens the log for every record, so an action that is
# running while the log is rotated writes its attempt to the old file and its
# outcome to the new one, and the actions after it land in the new file.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
require_cmd logrotate

audit=$TEST_DIR/log/audit.jsonl
mkdir -m 0700 "$TEST_DIR/log"
write_recovery_config opsdeck.conf "restart_command = /bin/sleep 2" "restart_timeout = 10s" \
	"audit_log = $audit"
# The shipped file, pointed at this test's log and run as this user.
me="$(id -un) $(id -gn)"
sed -e "s|/var/log/opsdeck/audit.jsonl|$audit|" -e "s/opsdeck opsdeck/$me/" \
	"$OPSDECK_SRCDIR/dist/logrotate/opsdeck" >logrotate.conf
rotate() { logrotate --force --state "$TEST_DIR/logrotate.state" logrotate.conf; }

assert_exit 0 "$OPSDECK" -c opsdeck.conf recover restart-app --yes
# Rotate while the second action runs (restart_command sleeps 2 s).
"$OPSDECK" -c opsdeck.conf recover restart-app --yes >second.out 2>&1 &
pid=$!
for _ in $(seq 50); do
	[ "$(grep -c '"phase":"attempt"' "$audit" 2>/dev/null)" = 2 ] && break
	sleep 0.1
done
assert_eq "$(grep -c '"phase":"attempt"' "$audit")" 2 "the second attempt is logged"
run rotate
assert_eq "$RC" 0 "logrotate --force"
wait "$pid"
assert_eq "$?" 0 "the action running across the rotation succeeded"
assert_exit 0 "$OPSDECK" -c opsdeck.conf recover restart-app --yes

assert_exit 0 test -f "$audit.1"
assert_eq "$(stat -c %a "$audit")" 600 "the new log is 0600"
old=$(cat "$audit.1")
new=$(cat "$audit")
assert_eq "$(grep -c '"phase":"attempt"' <<<"$old")" 2 "both attempts before the rotation are in the old file"
assert_eq "$(grep -c '"phase":"outcome"' <<<"$old")" 1 "the first outcome is in the old file"
assert_eq "$(grep -c '"phase":"outcome"' <<<"$new")" 2 \
	"the outcome written after the rotation and the next action are in the new file"
# Every attempt has its outcome, across both files.
ids_attempt=$(cat "$audit.1" "$audit" | grep '"phase":"attempt"' | sed 's/.*"id":"\([^"]*\)".*/\1/' | sort)
ids_outcome=$(cat "$audit.1" "$audit" | grep '"phase":"outcome"' | sed 's/.*"id":"\([^"]*\)".*/\1/' | sort)
assert_eq "$ids_outcome" "$ids_attempt" "every attempt has its outcome"
assert_eq "$(wc -l <<<"$ids_attempt")" 3 "three actions recorded"
finish
