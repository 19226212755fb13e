#!/usr/bin/env bash
# redis-server killed with SIGKILL under the running dashboard (no goodbye on
# its connections): the redis row turns critical with the reason within two
# intervals, the rest stays ok, keys are answered, the verbs agree; started
# again on the same port, the row is ok again in the same process.
. "$OPSDECK_SRCDIR/tests/faults/lib.sh"
stack_private pg,redis,app
fault_config opsdeck.conf "[database]" "slow_query_ms = 100000"

fault_dashboard 120 40 opsdeck.conf
assert_reported "+ OK   redis" "before"
pid=$(tui_pid)

kill -KILL "$REDIS_PID"
assert_reported "x CRIT redis" "killed"
assert_contains "$SCREEN" "Connection refused" "the redis row's reason"
assert_contains "$SCREEN" "+ OK   database" "the database row"
assert_contains "$SCREEN" "+ OK   app" "the app row"
assert_reported "redis ok -> unhealthy" "Activity"
assert_alive
assert_verbs opsdeck.conf checks.redis.state unhealthy 2
assert_contains "$(json_get "$FAULT_JSON" checks.redis.error)" "refused" "status --json error"
assert_eq "$(json_get "$FAULT_JSON" checks.database.state)" ok "database unaffected"
assert_no_secrets "$FAULT_JSON$SCREEN" "status --json and the screen"

stack_restart redis
assert_reported "+ OK   redis" "restarted"
assert_cleared "x CRIT redis" "restarted"
assert_reported "redis unhealthy -> ok" "Activity"
assert_alive
assert_eq "$(tui_pid)" "$pid" "the same dashboard process throughout"
assert_verbs opsdeck.conf checks.redis.state ok 0

fault_quit
assert_terminal_usable
finish
