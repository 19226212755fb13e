#!/usr/bin/env bash
# One exit-status rule for every verb but check and diagnose (opsdeck(1),
# EXIT STATUS): 2 when nothing was done (usage, configuration, a refusal
# before the action ran), 1 when the action ran or began and failed, 0 on
# success. Read-only mode refuses recovery actions and lets backups run.
# check and diagnose exit with the overall state instead (check_exit_codes.sh,
# diagnose.sh, overall_state.sh); a configuration error is 3, UNKNOWN, there.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg

# A configuration for a file:// backup and restart-app, with LINES added.
conf() { # FILE [LINE]...
	local file=$1
	shift
	write_stack_config "$file" "[backup]" "target = file://$TEST_DIR/backups" \
		"[recovery]" "restart_command = /bin/true" "audit_log = $TEST_DIR/audit.jsonl" "$@"
}
conf ok.conf
mkdir -m 0700 "$TEST_DIR/audit-is-a-dir"
conf noaudit.conf "audit_log = $TEST_DIR/audit-is-a-dir"
conf failing.conf "restart_command = /bin/false"
conf nodb.conf "[database]" "url = postgresql://app:$PGPASSWORD@127.0.0.1:1/shop"
conf unset.conf "[database]" "url ="
conf badurl.conf "[database]" "url = postgresql://app@127.0.0.1:notaport/shop"

# usage and configuration: 2
assert_exit 2 "$OPSDECK" no-such-verb
assert_exit 2 "$OPSDECK" backup --no-such-option
assert_exit 2 "$OPSDECK" -c ok.conf backup sideways
printf '[app]\nno_such_key = 1\n' | write_config bad.conf
assert_exit 2 "$OPSDECK" -c bad.conf backup db
assert_contains "$ERR" "bad.conf:2" "a configuration error names file and line"
assert_exit 2 "$OPSDECK" -c bad.conf recover restart-app --yes
assert_exit 2 "$OPSDECK" -c bad.conf status
assert_exit 2 "$OPSDECK" -c bad.conf audit
assert_exit 3 "$OPSDECK" -c bad.conf diagnose
assert_exit 3 "$OPSDECK" -c bad.conf check
assert_exit 2 "$OPSDECK" -c ok.conf audit --since yesterday
assert_exit 2 "$OPSDECK" -c ok.conf recover no-such-action --yes
assert_exit 2 "$OPSDECK" version-file --no-such-option
assert_exit 2 "$OPSDECK" -c bad.conf record
assert_exit 2 "$OPSDECK" -c ok.conf record --interval 10ms
assert_exit 2 "$OPSDECK" -c ok.conf record extra
assert_exit 2 "$OPSDECK" -c bad.conf exporter --listen 127.0.0.1:0
assert_exit 2 "$OPSDECK" -c ok.conf exporter --listen nowhere
assert_exit 2 "$OPSDECK" -c ok.conf exporter --interval 10ms

# refused before anything ran: 2
assert_exit 2 "$OPSDECK" -c noaudit.conf backup db
assert_contains "$ERR" "audit log" "a backup refused for its audit log"
assert_eq "$(find "$TEST_DIR/backups" -type f 2>/dev/null | wc -l)" 0 "no backup was written"
assert_exit 2 "$OPSDECK" -c noaudit.conf backup files --source "$TEST_DIR"
assert_exit 2 "$OPSDECK" -c unset.conf backup db
assert_contains "$ERR" "no database configured"
assert_exit 2 "$OPSDECK" -c badurl.conf backup db
assert_exit 2 "$OPSDECK" -c ok.conf backup files
assert_contains "$ERR" "no source directory"
assert_eq "$(find "$TEST_DIR/backups" -type f 2>/dev/null | wc -l)" 0 "still no backup written"
assert_exit 2 "$OPSDECK" -c noaudit.conf recover restart-app --yes
assert_contains "$ERR" "audit log" "an action refused for its audit log"
assert_exit 2 "$OPSDECK" -c ok.conf --read-only recover restart-app --yes
assert_contains "$ERR" "read-only mode"
assert_exit 2 "$OPSDECK" -c ok.conf recover restart-app
assert_contains "$ERR" "no terminal to confirm"
# a session the action must never touch: a superuser's
psql_bin=${PG_BINDIR:+$PG_BINDIR/}psql
app=exit-codes-super-$$
echo 'SELECT pg_sleep(30);' | PGAPPNAME=$app PGPASSWORD=$PG_SUPERUSER_PASSWORD \
	"$psql_bin" -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d shop >/dev/null 2>&1 &
on_exit psql_super "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '$app'"
super=
for _ in $(seq 50); do
	super=$(psql_super "SELECT pid FROM pg_stat_activity WHERE application_name = '$app' AND state = 'active'")
	[ -n "$super" ] && break
	sleep 0.1
done
assert_ne "$super" "" "a superuser's session is running"
for action in cancel-query terminate-query; do
	assert_exit 2 "$OPSDECK" -c ok.conf recover "$action" --pid "$super" --yes
	assert_contains "$ERR" "is not a session of user app"
done
assert_eq "$(psql_super "SELECT state FROM pg_stat_activity WHERE pid = $super")" active \
	"the superuser's query runs on"

# ran and failed: 1
assert_exit 1 "$OPSDECK" -c failing.conf recover restart-app --yes
assert_exit 1 "$OPSDECK" -c nodb.conf backup db
assert_exit 1 "$OPSDECK" -c ok.conf backup verify no-such-backup
assert_exit 1 "$OPSDECK" -c noaudit.conf audit
assert_contains "$ERR" "cannot read the audit log"
assert_exit 1 "$OPSDECK" version-file --package "$TEST_DIR/no-such-package.json"

# success: 0, and read-only mode lets a backup run
assert_exit 0 "$OPSDECK" -c ok.conf recover restart-app --yes
assert_exit 0 "$OPSDECK" -c ok.conf recover restart-app --dry-run
assert_exit 0 "$OPSDECK" -c ok.conf audit
assert_exit 0 "$OPSDECK" -c ok.conf status
assert_exit 0 "$OPSDECK" -c ok.conf --read-only backup db
assert_exit 0 "$OPSDECK" -c ok.conf --read-only backup list
assert_match "$OUT" "complete" "the read-only backup is complete"
finish
