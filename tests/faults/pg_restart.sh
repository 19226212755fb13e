#!/usr/bin/env bash
# PostgreSQL stopped under the running dashboard: the database row turns
# critical with the reason within two intervals, keys are answered while it
# is down, the verbs agree (unhealthy, CRITICAL); started again on the same
# port, the row is ok again without restarting opsdeck, and Activity keeps
# both transitions.
. "$OPSDECK_SRCDIR/tests/faults/lib.sh"
stack_private pg,redis,app
# no slow-query warning, so that a healthy stack is plain OK for `check`
fault_config opsdeck.conf "[database]" "slow_query_ms = 100000"

fault_dashboard 120 40 opsdeck.conf
assert_reported "+ OK   database" "before"
pid=$(tui_pid)

stack_stop pg
assert_reported "x CRIT database" "stopped"
assert_contains "$SCREEN" "Connection refused" "the database row's reason"
assert_reported "database ok -> unhealthy: Connection refused" "Activity"
assert_alive
assert_verbs opsdeck.conf checks.database.state unhealthy 2
assert_contains "$(json_get "$FAULT_JSON" checks.database.error)" "Connection refused" "status --json error"
assert_eq "$(json_get "$FAULT_JSON" checks.redis.state)" ok "redis unaffected"
assert_eq "$(json_get "$FAULT_JSON" checks.health.state)" ok "health unaffected"
assert_no_secrets "$FAULT_JSON$SCREEN" "status --json and the screen"
# a second interval down: still answering, still the same process
sleep "$FAULT_INTERVAL"
assert_alive
assert_screen "x CRIT database" 1

stack_restart pg
assert_reported "+ OK   database" "restarted"
assert_cleared "x CRIT database" "restarted"
assert_reported "database unhealthy -> ok" "Activity"
assert_contains "$SCREEN" "database ok -> unhealthy" "Activity still lists the outage"
assert_alive
assert_eq "$(tui_pid)" "$pid" "the same dashboard process throughout"
assert_verbs opsdeck.conf checks.database.state ok 0

fault_quit
assert_terminal_usable
finish
