#!/usr/bin/env bash
# Redis killed, or frozen (SIGSTOP: it accepts nothing and answers nothing),
# is reported unhealthy within timeout + 1 s, a frozen one as a Redis that did
# not answer; the other checks are unaffected.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
stack_private redis,app
write_stack_config opsdeck.conf "timeout = 2s"

json=$("$OPSDECK" -c opsdeck.conf status --json)
assert_eq "$(json_get "$json" checks.redis.state)" ok "redis ok before"
assert_eq "$(json_get "$json" checks.redis.connected_clients | tr -d 0-9)" "" "clients counted"

kill -STOP "$REDIS_PID"
ms=$(elapsed_ms "$OPSDECK" -c opsdeck.conf status --json)
json=$("$OPSDECK" -c opsdeck.conf status --json)
kill -CONT "$REDIS_PID"
assert_eq "$(json_get "$json" checks.redis.state)" unhealthy "frozen redis is unhealthy"
# a timeout is a timeout, whatever command was in flight (AUTH here)
assert_eq "$(json_get "$json" checks.redis.error)" "Redis did not answer within 2.0 s" \
	"frozen redis: no answer, not an AUTH problem"
assert_eq "$(json_get "$json" checks.health.state)" ok "health unaffected"
assert_le "$ms" 3000 "frozen redis bounded by timeout + 1 s (took ${ms} ms)"

kill -KILL "$REDIS_PID"
sleep 0.2
ms=$(elapsed_ms "$OPSDECK" -c opsdeck.conf status --json)
json=$("$OPSDECK" -c opsdeck.conf status --json)
assert_eq "$(json_get "$json" checks.redis.state)" unhealthy "stopped redis is unhealthy"
assert_contains "$(json_get "$json" checks.redis.error)" "refused"
assert_le "$ms" 3000 "stopped redis within timeout + 1 s (took ${ms} ms)"
assert_exit 2 "$OPSDECK" -c opsdeck.conf check
finish
