#!/usr/bin/env bash
# restart-app runs restart_command split like a shell would but without a
# shell: metacharacters reach the program literally; a failing command and
# one that hangs past restart_timeout fail the action; an unbalanced quote is
# a configuration error. An audit log that cannot be written blocks the
# action; without --yes and without a terminal it is refused.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"

audit=$TEST_DIR/audit.jsonl
conf() { # FILE COMMAND [more lines]
	local file=$1 cmd=$2
	shift 2
	write_config "$file" <<EOF2
[app]
health_url =
version_url =
version_file =
[database]
url =
[redis]
url =
[recovery]
restart_command = $cmd
audit_log = $audit
restart_timeout = 1s
$(printf '%s\n' "$@")
EOF2
}

# Metacharacters reach the program as they are (printf prints its arguments).
conf meta.conf "/usr/bin/printf '%s|' 'a;b' '\$(x)' \"two words\" \`id\` \\*"
assert_exit 0 "$OPSDECK" -c meta.conf recover restart-app --dry-run
assert_contains "$OUT" "argv[2] = a;b"
assert_contains "$OUT" 'argv[3] = $(x)'
assert_contains "$OUT" "argv[4] = two words"
assert_exit 0 "$OPSDECK" -c meta.conf recover restart-app --yes
assert_contains "$OUT" 'a;b|$(x)|two words|`id`|*|'
assert_contains "$OUT" "exited 0"

# A failing command.
conf fail.conf "/bin/sh -c 'echo broken >&2; exit 3'"
assert_exit 1 "$OPSDECK" -c fail.conf recover restart-app --yes
assert_contains "$ERR" "exited with status 3"
assert_contains "$OUT" "broken"

# A hung command is killed at restart_timeout.
conf hang.conf "sleep 30"
elapsed_ms "$OPSDECK" -c hang.conf recover restart-app --yes >/dev/null
ms=$ELAPSED_MS
assert_eq "$RC" 1 "a hung command fails the action"
assert_contains "$ERR" "timed out after 1.0 s"
assert_lt "$ms" 6000 "killed in time (ms)"

# An unbalanced quote is refused as a configuration error.
conf quote.conf "pm2 restart 'all"
assert_exit 2 "$OPSDECK" -c quote.conf recover restart-app --yes
assert_contains "$ERR" "unbalanced single quote"
assert_exit 0 "$OPSDECK" -c quote.conf recover --list
assert_match "$OUT" "restart-app +no "

# The audit log holds attempt and outcome of each run, joined by id.
assert_exit 0 "$OPSDECK" -c meta.conf audit --json
assert_json "$OUT"
assert_eq "$(json_get "$OUT" 'd[1]["id"] == d[0]["id"] and d[0]["phase"] == "attempt" and d[1]["phase"] == "outcome"')" true "dry run: attempt + outcome"
assert_eq "$(json_get "$OUT" 'd[0:0] or [r["result"] for r in d if r["phase"] == "outcome"]')" \
	'["ok", "ok", "failed", "failed", "refused"]' "outcomes in order"
assert_eq "$(json_get "$OUT" 'd[5]["detail"]')" "/bin/sh exited with status 3" "failure detail"
assert_eq "$(json_get "$OUT" 'd[3]["arguments"]')" "/usr/bin/printf '%s|' 'a;b' '\$(x)' \"two words\" \`id\` \\*" "arguments = the command line"
assert_eq "$(json_get "$OUT" 'd[0:0] or sorted(d[0].keys())')" \
	'["action", "arguments", "detail", "dry_run", "duration_ms", "host", "id", "phase", "result", "ssh_client", "target", "time", "uid", "user"]' "record fields"
assert_exit 0 "$OPSDECK" -c meta.conf audit --since 1h
assert_eq "$(printf '%s\n' "$OUT" | wc -l)" 10 "--since 1h keeps every record"

# Concurrent writers never interleave: one write(2) per record, O_APPEND.
long=$(printf 'x%.0s' $(seq 1 3000))
conf long.conf "/bin/echo $long"
before=$(wc -l <"$audit")
for i in $(seq 1 16); do
	"$OPSDECK" -c long.conf recover restart-app --dry-run >/dev/null 2>&1 &
done
wait
assert_eq "$(($(wc -l <"$audit") - before))" 32 "16 concurrent dry runs, 32 records"
assert_exit 0 "$OPSDECK" -c long.conf audit --json
assert_not_contains "$ERR" "skipped" "every line is a whole record"

# An audit log that cannot be written blocks the action.
marker=$TEST_DIR/ran
conf blocked.conf "touch $marker" "audit_log = $TEST_DIR/no/such/dir/audit.jsonl"
sed -i "0,/^audit_log = .*audit.jsonl$/{/^audit_log = ${audit//\//\\/}$/d}" blocked.conf
assert_exit 2 "$OPSDECK" -c blocked.conf recover restart-app --yes
assert_contains "$ERR" "no/such/dir/audit.jsonl"
assert_contains "$ERR" "not run"
[ ! -e "$marker" ] && pass "the command did not run" || fail "the command ran"
mkdir -p "$TEST_DIR/logdir"
conf dir.conf "touch $marker" "audit_log = $TEST_DIR/logdir"
sed -i "0,/^audit_log = .*audit.jsonl$/{/^audit_log = ${audit//\//\\/}$/d}" dir.conf
assert_exit 2 "$OPSDECK" -c dir.conf recover restart-app --yes
assert_contains "$ERR" "not run"
[ ! -e "$marker" ] && pass "the command did not run (directory)" || fail "the command ran"

# Without --yes and without a terminal: refused, nothing run.
conf touch.conf "touch $marker"
assert_exit 2 "$OPSDECK" -c touch.conf recover restart-app </dev/null
assert_contains "$ERR" "no terminal to confirm"
[ ! -e "$marker" ] && pass "not run without confirmation" || fail "ran unconfirmed"
assert_exit 0 "$OPSDECK" -c touch.conf recover restart-app --yes
[ -e "$marker" ] && pass "runs with --yes" || fail "did not run with --yes"
finish
