#!/usr/bin/env bash
# `diagnose` against the real stack: the seeded slow queries give a medium
# issue (exit 1); a hung health endpoint, a stopped Redis and a full disk give
# high ones (exit 2, critical); every issue carries a recommendation; JSON
# parses.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
stack_private pg,redis,app
write_stack_config base.conf "timeout = 2s"

# The seed ran pg_sleep(1.2) and a slow join as the app: slow queries, medium.
out=$("$OPSDECK" -c base.conf diagnose --json)
rc=$?
assert_json "$out" "diagnose --json"
assert_eq "$rc" 1 "warnings only: exit 1"
assert_eq "$(json_get "$out" status)" warning "status warning"
assert_eq "$(json_get "$out" overall)" warning "overall warning"
types=$(json_get "$out" 'd["issues"]' | "$_LIB_PY" -c 'import json,sys; print(" ".join(i["type"] for i in json.load(sys.stdin)))')
assert_contains "$types" slow_queries
assert_not_contains "$types" error_rate
assert_eq "$(json_get "$out" issues.0.severity)" medium "most severe is medium"
assert_contains "$(json_get "$out" issues.0.actions)" cancel-query

# Text form: severity, message, recommendation, actions.
text=$("$OPSDECK" -c base.conf diagnose)
assert_contains "$text" "shop: warning"
assert_contains "$text" "MEDIUM  "
assert_contains "$text" "-> "
assert_contains "$text" "opsdeck recover cancel-query"

# The health endpoint hangs: a high issue, exit 2, listed first.
app_mode health hang
out=$("$OPSDECK" -c base.conf diagnose --json)
rc=$?
assert_eq "$rc" 2 "a hung app: exit 2"
assert_eq "$(json_get "$out" issues.0.type)" app_down "app_down first"
assert_eq "$(json_get "$out" issues.0.severity)" high "app_down is high"
assert_contains "$(json_get "$out" issues.0.message)" "timed out"
app_mode health ok

# Redis stopped: redis_down, high.
stack_stop redis
out=$("$OPSDECK" -c base.conf diagnose --json)
rc=$?
assert_eq "$rc" 2 "redis down: exit 2"
assert_contains "$(json_get "$out" 'd["issues"]')" redis_down
stack_restart redis

# A disk over the limit: storage_full naming the path.
write_stack_config full.conf "timeout = 2s" "[storage]" "max_used_percent = 0.001"
out=$("$OPSDECK" -c full.conf diagnose --json)
assert_contains "$(json_get "$out" 'd["issues"]')" "storage_full:/"

# A threshold raised in [thresholds] silences its rule; actions come from [actions].
write_stack_config quiet.conf "timeout = 2s" "[database]" "slow_query_ms = 600000" \
	"[actions]" "app_down = restart-app"
out=$("$OPSDECK" -c quiet.conf diagnose --json)
rc=$?
assert_not_contains "$(json_get "$out" 'd["issues"]')" slow_queries
assert_eq "$rc" "$( [ "$(json_get "$out" status)" = ok ] && echo 0 || echo 1)" "exit code follows status"

# status and check carry the diagnosis too.
json=$("$OPSDECK" -c base.conf status --json)
assert_eq "$(json_get "$json" diagnosis.status)" warning "status --json has the diagnosis"
assert_exit 1 "$OPSDECK" -c base.conf check
assert_contains "$("$OPSDECK" -c base.conf check)" "OPSDECK WARNING - "
finish
