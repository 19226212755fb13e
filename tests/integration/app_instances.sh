#!/usr/bin/env bash
# [app] health_url listing several instances: each is probed at once; the
# check is OK while one answers and shows "2/3 up"; each instance's answer
# is in status (text and JSON); diagnose names each instance down
# (app_instance_down: medium, high when half or more are down); with none
# up the app is down; version_url listing instances that serve different
# builds is version_drift, naming them; a bad URL in the list or more than
# 16 are configuration errors naming the file and line.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
stack_use app

# a second instance: answers 200 on any path, with a newer build on
# /api/version
mkdir second
printf '%s' '{"version":"1.4.3","buildNumber":"88","commitHash":"abcdef0","buildDate":"2026-12-04T00:00:00.000Z"}' \
	>second/version.json
http_fixture app second
second_pid=$FIXTURE_PID
second=http://127.0.0.1:$FIXTURE_PORT/api/health
closed=http://127.0.0.1:$("$_LIB_PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')/api/health

write_stack_config three.conf "timeout = 2s" "health_url = $HEALTH_URL, $second $closed"
run "$OPSDECK" -c three.conf status --json
assert_eq "$(json_get "$OUT" checks.health.state)" ok "two of three up: the app serves"
assert_eq "$(json_get "$OUT" checks.health.instances_up)" 2 "instances up"
assert_eq "$(json_get "$OUT" checks.health.instances.2.url)" "$closed" "one entry per instance"
assert_eq "$(json_get "$OUT" checks.health.instances.3)" "" "and no more"
assert_eq "$(json_get "$OUT" checks.health.instances.0.url)" "$HEALTH_URL" "in the order of health_url"
assert_eq "$(json_get "$OUT" checks.health.instances.2.state)" unhealthy "the closed one is down"
assert_contains "$(json_get "$OUT" checks.health.instances.2.error)" "refused"
run "$OPSDECK" -c three.conf status
assert_contains "$OUT" "2/3 instances up"
assert_contains "$OUT" "$closed  DOWN: connection refused"
run "$OPSDECK" -c three.conf diagnose --json
assert_eq "$RC" 1 "one instance down of three: a warning"
assert_match "$OUT" '"type": ?"app_instance_down"' "app_instance_down"
assert_contains "$OUT" "App instance $closed is down: connection refused (2 of 3 up)"
assert_not_contains "$OUT" '"app_down"' "the app is not down"

# version_url listing them: the second serves another build
write_stack_config drift.conf "timeout = 2s" "health_url = $HEALTH_URL" \
	"version_url = $APP_URL/api/version, ${second%/api/health}/api/version"
run "$OPSDECK" -c drift.conf status --json
assert_eq "$(json_get "$OUT" version.version)" 1.4.2 "the first instance's version is shown"
assert_eq "$(json_get "$OUT" version.instances.1.version)" 1.4.3 "each instance's version"
assert_eq "$(json_get "$OUT" version.instances.1.commit_hash)" abcdef0
run "$OPSDECK" -c drift.conf diagnose
assert_contains "$OUT" "App instances serve different versions: 1.4.2 on $APP_URL/api/version, but 1.4.3 on ${second%/api/health}/api/version" \
	"version drift names the instances"
write_stack_config same.conf "timeout = 2s" "health_url = $HEALTH_URL" \
	"version_url = $APP_URL/api/version $APP_URL/api/version"
run "$OPSDECK" -c same.conf diagnose
assert_not_contains "$OUT" "different versions" "the same build everywhere: no drift"

kill "$second_pid"
wait "$second_pid" 2>/dev/null
run "$OPSDECK" -c three.conf diagnose --json
assert_eq "$RC" 2 "two of three down: high"
assert_eq "$(grep -oE '"type": ?"app_instance_down"' <<<"$OUT" | wc -l)" 2 "one issue per instance down"

write_stack_config none.conf "timeout = 2s" "health_url = $second $closed"
run "$OPSDECK" -c none.conf status --json
assert_eq "$(json_get "$OUT" checks.health.state)" unhealthy "none up: the app is down"
assert_contains "$(json_get "$OUT" checks.health.error)" "no instance answers"
run "$OPSDECK" -c none.conf diagnose --json
assert_match "$OUT" '"type": ?"app_down"' "app_down"

write_stack_config bad.conf "health_url = $HEALTH_URL ftp://127.0.0.1/x"
run "$OPSDECK" -c bad.conf status
assert_eq "$RC" 2 "a bad URL in the list"
assert_contains "$ERR" "bad.conf"
assert_contains "$ERR" "'ftp://127.0.0.1/x' is not an http:// or https:// URL"
write_stack_config many.conf "health_url = $(for i in $(seq 1 17); do printf '%s ' "$HEALTH_URL"; done)"
run "$OPSDECK" -c many.conf status
assert_eq "$RC" 2 "more than 16 instances"
assert_contains "$ERR" "17 URLs, at most 16 instances"
finish
