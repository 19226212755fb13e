#!/usr/bin/env bash
# The audit log's default location works on a fresh host: as root on an
# empty /var/log and /var/lib (tmpfs in a private mount namespace)
# /var/log/opsdeck is created 0700 and the log 0600; an unprivileged
# operator's log goes under ~/.local/state/opsdeck; a systemd unit's
# $LOGS_DIRECTORY wins; a configured audit_log whose parent is missing is
# one clear error naming the key and the path. status names the log in use;
# a mode looser than 0600 is reported by status and audit, and refused.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root (unshare -m, setpriv)"
require_cmd unshare setpriv
unshare -m true 2>/dev/null || skip "unshare -m is not allowed here"
stack_use pg
unset LOGS_DIRECTORY STATE_DIRECTORY XDG_STATE_HOME

# conf FILE TARGET [LINE]: a backup configuration without audit_log
conf() {
	{
		stack_config "[database]" "url = $DATABASE_URL"
		printf '\n[backup]\ntarget = file://%s\n%s\n' "$2" "${3:-}"
	} | write_config "$1"
}

# ------------------------------------------------------------ root
conf root.conf "$TEST_DIR/root-backups"
run unshare -m --propagation private bash -c '
	mount -t tmpfs -o mode=0755 tmpfs /var/log && mount -t tmpfs -o mode=0755 tmpfs /var/lib &&
	"$0" -c "$1" audit --path && "$0" -c "$1" backup db >/dev/null &&
	stat -c "%a %U" /var/log/opsdeck /var/log/opsdeck/audit.jsonl &&
	"$0" -c "$1" audit | grep -c "backup-db"' "$OPSDECK" "$TEST_DIR/root.conf"
assert_eq "$RC" 0 "root backs up with the default audit log on an empty /var/log"
assert_eq "$OUT" "$(printf '/var/log/opsdeck/audit.jsonl\n700 root\n600 root\n2')" \
	"audit --path, the directory 0700 and the log 0600, attempt and outcome recorded"

# ------------------------------------------------------------ an operator
nb=$(mktemp -d /tmp/opsdeck-nobody.XXXXXX)
on_exit rm -rf "$nb"
chmod 0711 "$nb"
mkdir -m 0700 "$nb/home"
conf "$nb/opsdeck.conf" "$nb/home/backups"
chown -R nobody:nogroup "$nb/home" "$nb/opsdeck.conf"
# nobody cannot reach the build tree (a temp dir of root's in the sanitizer
# run): a copy of the program, and in a sanitizer build a report directory
# and suppressions nobody can use; any report there fails the test.
install -m 0755 "$OPSDECK" "$nb/opsdeck"
install -d -m 0700 -o nobody -g nogroup "$nb/san"
nobody_san=()
if [ -n "${ASAN_OPTIONS:-}${UBSAN_OPTIONS:-}${LSAN_OPTIONS:-}" ]; then
	supp=$(sed -n 's/.*suppressions=\([^:]*\).*/\1/p' <<<"${LSAN_OPTIONS:-}")
	[ -z "$supp" ] || install -m 0644 "$supp" "$nb/lsan.supp"
	for var in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
		nobody_san+=("$var=$(sed -e "s|log_path=[^:]*|log_path=$nb/san/sanitizer|" \
			-e "s|suppressions=[^:]*|suppressions=$nb/lsan.supp|" <<<"${!var:-}")")
	done
fi
as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		env HOME="$nb/home" "${nobody_san[@]}" "$@"
}
run as_nobody "$nb/opsdeck" -c "$nb/opsdeck.conf" audit --path
assert_eq "$OUT" "$nb/home/.local/state/opsdeck/audit.jsonl" "an operator's default audit log"
assert_exit 0 as_nobody "$nb/opsdeck" -c "$nb/opsdeck.conf" backup db
assert_no_secrets "$OUT$ERR"
for d in .local .local/state .local/state/opsdeck; do
	assert_eq "$(stat -c '%a %U' "$nb/home/$d" 2>&1)" "700 nobody" "~/$d created 0700"
done
assert_eq "$(stat -c '%a' "$nb/home/.local/state/opsdeck/audit.jsonl" 2>&1)" 600 "the log 0600"
assert_eq "$(grep -c '"action":"backup-db"' "$nb/home/.local/state/opsdeck/audit.jsonl")" 2 \
	"the operator's backup is audited"
# status names the log in use; a looser mode is reported, never tightened,
# and the log is still read, but actions and backups are refused.
log=$nb/home/.local/state/opsdeck/audit.jsonl
run as_nobody "$nb/opsdeck" -c "$nb/opsdeck.conf" status --json
assert_eq "$(json_get "$OUT" audit_log.path)" "$log" "status --json names the log in use"
assert_eq "$(json_get "$OUT" audit_log.problem)" null "and has no problem with it"
run as_nobody "$nb/opsdeck" -c "$nb/opsdeck.conf" status
assert_match "$OUT" "audit log +OK +$log" "text status names the log in use"
chmod 0640 "$log"
run as_nobody "$nb/opsdeck" -c "$nb/opsdeck.conf" status --json
assert_contains "$(json_get "$OUT" audit_log.problem)" "$log has mode 0640" "status reports the mode"
assert_exit 0 as_nobody "$nb/opsdeck" -c "$nb/opsdeck.conf" audit
assert_eq "$(grep -c backup-db <<<"$OUT")" 2 "a log with a loose mode is still read"
assert_contains "$ERR" "warning: the audit log $log has mode 0640" "and its mode is reported"
assert_exit 2 as_nobody "$nb/opsdeck" -c "$nb/opsdeck.conf" backup db
assert_contains "$ERR" "mode 0640" "a backup is refused, naming the mode"
assert_eq "$(stat -c '%a' "$log")" 640 "the mode is left as it was"
chmod 0600 "$log"
# XDG_STATE_HOME moves it.
run as_nobody XDG_STATE_HOME="$nb/home/state" "$nb/opsdeck" -c "$nb/opsdeck.conf" audit --path
assert_eq "$OUT" "$nb/home/state/opsdeck/audit.jsonl" "XDG_STATE_HOME is honoured"

# ------------------------------------------------------------ systemd
conf unit.conf "$TEST_DIR/unit-backups"
mkdir -m 0700 "$TEST_DIR/unit-logs"
run env LOGS_DIRECTORY="$TEST_DIR/unit-logs" "$OPSDECK" -c unit.conf backup db
assert_eq "$RC" 0 "a backup under a unit's LogsDirectory="
assert_eq "$(grep -c '"action":"backup-db"' "$TEST_DIR/unit-logs/audit.jsonl")" 2 \
	"the log is in \$LOGS_DIRECTORY"

# ------------------------------------------------------------ configured
conf missing.conf "$TEST_DIR/missing-backups" "[recovery]
audit_log = $TEST_DIR/no/such/audit.jsonl"
run "$OPSDECK" -c missing.conf backup db
assert_ne "$RC" 0 "a configured audit log whose parent is missing refuses the backup"
assert_contains "$ERR" "[recovery] audit_log" "the error names the key"
assert_contains "$ERR" "$TEST_DIR/no/such/audit.jsonl" "the error names the path"
assert_exit 1 test -e "$TEST_DIR/no"
assert_exit 1 test -e "$TEST_DIR/missing-backups/x"
conf created.conf "$TEST_DIR/created-backups" "[recovery]
audit_log = $TEST_DIR/newdir/audit.jsonl"
assert_exit 0 "$OPSDECK" -c created.conf backup db
assert_eq "$(stat -c '%a' "$TEST_DIR/newdir")" 700 "a missing directory whose parent exists is created 0700"

if [ -n "$(ls -A "$nb/san")" ]; then
	fail "sanitizer reports from the runs as nobody: $(head -n 40 "$nb"/san/*)"
else
	pass "no sanitizer report from the runs as nobody"
fi
finish
