#!/usr/bin/env bash
# clear-cache removes exactly the keys under cache_prefix (SCAN MATCH with the
# prefix's glob characters escaped, UNLINK in batches): keys outside the
# prefix and in other databases survive. The dry run lists and counts without
# deleting. Attempt and outcome are in the audit log with one id. FLUSHDB
# happens only when asked for with cache_prefix = *, and of the selected
# database only; an empty prefix is refused, and a ${VAR} that is not set is
# a configuration error: neither removes a single key.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
require_cmd redis-cli
stack_private redis

rcli() { REDISCLI_AUTH=$REDIS_PASSWORD redis-cli --no-auth-warning -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }
keys() { rcli -n "${1:-0}" --scan | LC_ALL=C sort | tr '\n' ' '; }

# More keys than one SCAN batch, and keys whose names hold glob characters.
for i in $(seq 1 1200); do echo "SET cache:bulk:$i x"; done | rcli >/dev/null
rcli SET 'c*x:1' a >/dev/null
rcli SET 'cAx:2' b >/dev/null
rcli SET 'cachet' b >/dev/null

audit=$TEST_DIR/audit.jsonl
write_stack_config opsdeck.conf "[recovery]" "audit_log = $audit"
before_other=$(rcli --scan | grep -vc '^cache:')
before_cache=$(rcli --scan --pattern 'cache:*' | wc -l)
assert_eq "$before_cache" 1227 "cache keys seeded"

assert_exit 0 "$OPSDECK" -c opsdeck.conf recover clear-cache --dry-run
assert_contains "$OUT" "1227 keys matched"
assert_contains "$OUT" "would UNLINK the keys matching cache:*"
assert_contains "$OUT" "... and 1217 more"
assert_no_secrets "$OUT$ERR"
assert_eq "$(rcli --scan --pattern 'cache:*' | wc -l)" 1227 "the dry run deleted nothing"

assert_exit 0 "$OPSDECK" -c opsdeck.conf recover clear-cache --yes
assert_contains "$OUT" "removed 1227 keys"
assert_eq "$(rcli --scan --pattern 'cache:*' | wc -l)" 0 "no cache: key left in db 0"
assert_eq "$(rcli --scan | wc -l)" "$before_other" "every other key of db 0 survives"
assert_contains "$(keys 0)" "cachet " "a key that only starts like the prefix survives"
assert_contains "$(keys 0)" "session:7f3a9c " "session keys survive"
assert_eq "$(keys 1)" "cache:db1:marker other:db1:marker " "database 1 untouched"

# Glob metacharacters in the prefix are literal.
write_stack_config glob.conf "[redis]" "cache_prefix = c*x:" "[recovery]" "audit_log = $audit"
assert_exit 0 "$OPSDECK" -c glob.conf recover clear-cache --yes
assert_contains "$OUT" "removed 1 key"
assert_eq "$(rcli EXISTS 'c*x:1')" 0 "c*x:1 removed"
assert_eq "$(rcli EXISTS 'cAx:2')" 1 "cAx:2 (matched by an unescaped c*x:) survives"

# The audit log: attempt and outcome share an id; the records are redacted.
assert_exit 0 "$OPSDECK" -c opsdeck.conf audit --json
assert_json "$OUT"
n=$(json_get "$OUT" 'd[:].__len__()')
assert_eq "$n" 6 "three runs, six records"
assert_eq "$(json_get "$OUT" 'd[2]["phase"]')" attempt "attempt first"
assert_eq "$(json_get "$OUT" 'd[3]["phase"]')" outcome "then the outcome"
assert_eq "$(json_get "$OUT" 'd[2]["id"] == d[3]["id"]')" true "same id"
assert_eq "$(json_get "$OUT" 'd[0]["dry_run"]')" true "the dry run is marked"
assert_eq "$(json_get "$OUT" 'd[3]["result"]')" ok "outcome ok"
assert_contains "$(json_get "$OUT" 'd[3]["detail"]')" "removed 1227 keys"
assert_eq "$(stat -c %a "$audit")" 600 "audit log mode 0600"
assert_no_secrets "$(cat "$audit")" "audit log"
assert_exit 0 "$OPSDECK" -c opsdeck.conf audit
assert_eq "$(printf '%s\n' "$OUT" | wc -l)" 6 "text: one line per record"
assert_contains "$OUT" "clear-cache outcome ok"

# cache_prefix = ${CACHE_PREFIX} with the variable unset: a configuration
# error naming file, line and variable, not an empty prefix (which once ran
# FLUSHDB ASYNC). The session keys survive.
unset CACHE_PREFIX
write_stack_config unset.conf "[redis]" "cache_prefix = \${CACHE_PREFIX}" "[recovery]" \
	"audit_log = $audit"
line=$(grep -n '^cache_prefix = ${CACHE_PREFIX}$' unset.conf | cut -d: -f1)
db0_before=$(rcli DBSIZE)
sessions_before=$(rcli --scan --pattern 'session:*' | wc -l)
assert_ne "$sessions_before" 0 "precondition: session keys in db 0"
for mode in --dry-run --yes; do
	assert_exit 2 "$OPSDECK" -c unset.conf recover clear-cache $mode
	assert_contains "$ERR" "unset.conf:$line: cache_prefix: \${CACHE_PREFIX} is not set" \
		"unset variable ($mode): file, line and variable named"
	assert_not_contains "$OUT" "FLUSHDB" "unset variable ($mode): no flush announced"
done
assert_exit 2 "$OPSDECK" -c unset.conf status
sleep 0.3
assert_eq "$(rcli --scan --pattern 'session:*' | wc -l)" "$sessions_before" "session:* keys survive"
assert_eq "$(rcli DBSIZE)" "$db0_before" "db 0 untouched"

# An empty prefix, written out or through ${VAR:-}, removes nothing: the
# action is refused (exit 2) with a message saying how to ask for FLUSHDB.
db1_before=$(keys 1)
assert_ne "$db1_before" "" "precondition: keys in db 1"
write_stack_config empty.conf "[redis]" "url = ${REDIS_URL%/0}/1" "cache_prefix =" \
	"[recovery]" "audit_log = $audit"
write_stack_config empty-var.conf "[redis]" "url = ${REDIS_URL%/0}/1" \
	"cache_prefix = \${CACHE_PREFIX:-}" "[recovery]" "audit_log = $audit"
for conf in empty.conf empty-var.conf; do
	for mode in --dry-run --yes; do
		assert_exit 2 "$OPSDECK" -c "$conf" recover clear-cache $mode
		assert_contains "$ERR" "cache_prefix is empty" "$conf $mode: refused"
		assert_contains "$ERR" "or to * to flush the whole selected database (FLUSHDB ASYNC)" \
			"$conf $mode: says how to ask for a flush"
	done
done
sleep 0.3
assert_eq "$(keys 1)" "$db1_before" "an empty prefix flushes nothing"
assert_exit 0 "$OPSDECK" -c empty.conf audit --json
assert_eq "$(json_get "$OUT" 'd[-1]["result"]')" refused "the refusal is on record"

# cache_prefix = *: FLUSHDB ASYNC of the selected database only (db 1 here),
# and the dry run says exactly that.
write_stack_config flush.conf "[redis]" "url = ${REDIS_URL%/0}/1" "cache_prefix = *" \
	"[recovery]" "audit_log = $audit"
assert_exit 0 "$OPSDECK" -c flush.conf recover clear-cache --dry-run
assert_contains "$OUT" "cache_prefix = *: would run FLUSHDB ASYNC on database 1 of redis://"
assert_contains "$OUT" "removing every key in it (2 keys), cache or not; other databases are not touched"
assert_eq "$(keys 1)" "$db1_before" "the dry run flushed nothing"
assert_exit 0 "$OPSDECK" -c flush.conf recover clear-cache --yes
assert_contains "$OUT" "cache_prefix = *: FLUSHDB ASYNC on database 1: 2 keys removed"
sleep 0.3
assert_eq "$(keys 1)" "" "database 1 flushed"
assert_ne "$(keys 0)" "" "database 0 untouched by the flush"

# One key is "1 key", in the counts and the summaries alike.
rcli -n 1 SET cache:single x >/dev/null
write_stack_config one.conf "[redis]" "url = ${REDIS_URL%/0}/1" "[recovery]" "audit_log = $audit"
assert_exit 0 "$OPSDECK" -c one.conf recover clear-cache --dry-run
assert_contains "$OUT" "1 key matched"
assert_not_contains "$OUT$ERR" "1 keys"
assert_exit 0 "$OPSDECK" -c flush.conf recover clear-cache --dry-run
assert_contains "$OUT" "removing every key in it (1 key)"
assert_not_contains "$OUT$ERR" "1 keys"
assert_exit 0 "$OPSDECK" -c one.conf recover clear-cache --yes
assert_contains "$OUT" "removed 1 key under"
assert_not_contains "$OUT$ERR" "1 keys"

# A hung Redis: the action fails within the timeout instead of hanging.
write_stack_config hung.conf "timeout = 1s" "[recovery]" "audit_log = $audit"
kill -STOP "$REDIS_PID"
on_exit kill -CONT "$REDIS_PID"
elapsed_ms "$OPSDECK" -c hung.conf recover clear-cache --yes >/dev/null
kill -CONT "$REDIS_PID"
assert_eq "$RC" 1 "a hung redis fails the action"
assert_contains "$ERR" "Redis did not answer within 1.0 s"
assert_lt "$ELAPSED_MS" 8000 "bounded by the timeout (ms)"
assert_exit 0 "$OPSDECK" -c hung.conf audit --json
assert_eq "$(json_get "$OUT" 'd[-1]["result"]')" failed "the failure is on record"
finish
