#!/usr/bin/env bash
# The health endpoint answering 500, slowly, or never: each is reported, and
# a hung endpoint costs no more than the timeout.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
stack_private app
write_stack_config opsdeck.conf "timeout = 2s"

echo hang > "$APP_DIR/health_mode"
ms=$(elapsed_ms "$OPSDECK" -c opsdeck.conf status --json)
json=$("$OPSDECK" -c opsdeck.conf status --json)
assert_eq "$(json_get "$json" checks.health.state)" unhealthy "hung health is unhealthy"
assert_contains "$(json_get "$json" checks.health.error)" "timed out"
assert_le "$ms" 3000 "hung endpoint bounded by the 2 s timeout (took ${ms} ms)"
assert_eq "$(json_get "$json" version.source)" version_url "version still answers"

echo 500 > "$APP_DIR/health_mode"
json=$("$OPSDECK" -c opsdeck.conf status --json)
assert_eq "$(json_get "$json" checks.health.state)" unhealthy "500 is unhealthy"
assert_eq "$(json_get "$json" checks.health.status_code)" 500 "status code kept"
assert_contains "$(json_get "$json" checks.health.error)" "500"

echo 1 > "$APP_DIR/slow_seconds"
echo slow > "$APP_DIR/health_mode"
json=$("$OPSDECK" -c opsdeck.conf status --json)
assert_eq "$(json_get "$json" checks.health.state)" ok "slow but within the timeout is ok"
assert_ge "$(json_get "$json" checks.health.latency_ms | cut -d. -f1)" 900 "latency shows the delay"

echo ok > "$APP_DIR/health_mode"
json=$("$OPSDECK" -c opsdeck.conf status --json)
assert_eq "$(json_get "$json" checks.health.state)" ok "back to ok"
finish
