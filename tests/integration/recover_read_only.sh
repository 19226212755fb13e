#!/usr/bin/env bash
# Read-only mode (--read-only or [recovery] read_only = true) refuses every
# recovery action with exit 2 and a clear reason, and changes nothing; a dry
# run is still allowed (it only reads). opsdeck's own PostgreSQL session is
# read-only too. Backups run, as opsdeck.conf(5) says: they only read the
# database and add new objects at the target; they are audited as always.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
require_cmd redis-cli
stack_use pg,redis
rcli() { REDISCLI_AUTH=$REDIS_PASSWORD redis-cli --no-auth-warning -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }

marker=$TEST_DIR/ran
write_stack_config opsdeck.conf "[recovery]" "audit_log = $TEST_DIR/audit.jsonl" \
	"restart_command = touch $marker"
write_stack_config ro.conf "[recovery]" "audit_log = $TEST_DIR/audit.jsonl" \
	"restart_command = touch $marker" "read_only = true" \
	"[backup]" "target = file://$TEST_DIR/backups"
cache_before=$(rcli --scan --pattern 'cache:*' | wc -l)

for conf in "opsdeck.conf --read-only" "ro.conf"; do
	for action in clear-cache restart-app reconnect-db "cancel-query --pid 1" "terminate-query --pid 1"; do
		# shellcheck disable=SC2086
		assert_exit 2 "$OPSDECK" -c $conf recover $action --yes
		assert_contains "$ERR" "read-only mode"
	done
	# shellcheck disable=SC2086
	assert_exit 0 "$OPSDECK" -c $conf recover --list
	assert_match "$OUT" "clear-cache +read-only"
done
[ ! -e "$marker" ] && pass "restart_command never ran" || fail "restart_command ran"
assert_eq "$(rcli --scan --pattern 'cache:*' | wc -l)" "$cache_before" "no cache key removed"

# The probe's own session runs SET default_transaction_read_only in this
# mode: the database check still works.
assert_exit 0 "$OPSDECK" -c ro.conf status --json
assert_eq "$(json_get "$OUT" checks.database.state)" ok "database probe ok in read-only mode"

assert_exit 0 "$OPSDECK" -c ro.conf recover clear-cache --dry-run
assert_contains "$OUT" "$cache_before $( [ "$cache_before" -eq 1 ] && echo key || echo keys) matched"

assert_exit 0 "$OPSDECK" -c ro.conf audit --json
assert_eq "$(json_get "$OUT" 'd[0:0] or [r["result"] for r in d if r["phase"] == "outcome"].count("refused")')" 10 "refusals on record"

# Backups are allowed in read-only mode, by the option and by the setting.
assert_exit 0 "$OPSDECK" -c ro.conf backup db
assert_exit 0 "$OPSDECK" -c opsdeck.conf --read-only backup db --target "file://$TEST_DIR/backups"
assert_exit 0 "$OPSDECK" -c ro.conf backup list --json
assert_eq "$(json_get "$OUT" 'd["backups"][0:0] or len([b for b in d["backups"] if b["kind"] == "db" and b["complete"]])')" 2 \
	"both read-only backups are complete"
assert_exit 0 "$OPSDECK" -c ro.conf audit --json
assert_eq "$(json_get "$OUT" 'd[0:0] or [r["result"] for r in d if r["action"] == "backup-db" and r["phase"] == "outcome"]')" \
	'["ok", "ok"]' "the read-only backups are audited"
finish
