#!/usr/bin/env bash
# A real Prometheus (Debian's prometheus, on a free loopback port with a
# temp configuration: scrape and evaluation every second) scrapes `opsdeck
# exporter` and loads the alert rules of doc/prometheus/opsdeck.rules.yml
# (their `for:` set to 0s, so the test need not wait minutes): the target
# is up, the exporter's series are stored, no alert fires on a healthy
# stack, and OpsdeckAppDown fires once the app's health endpoint answers
# 500, then resolves when it answers ok again.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
require_cmd prometheus curl
stack_private app

write_stack_config opsdeck.conf "timeout = 2s"

"$OPSDECK" -c opsdeck.conf exporter --listen 127.0.0.1:0 --interval 1s 2>exporter.log &
exporter_pid=$!
on_exit kill -9 "$exporter_pid"
wait_until 10 grep -q 'serving http://' exporter.log || fail "exporter: $(cat exporter.log)"
target=$(sed -n 's|.* serving http://\([^ /]*\)/metrics,.*|\1|p' exporter.log)

# a free port for Prometheus (the kernel picks one; it is free again once
# this closes it)
port=$("$_LIB_PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed 's/^\([[:space:]]*\)for: .*/\1for: 0s/' "$OPSDECK_SRCDIR/doc/prometheus/opsdeck.rules.yml" >rules.yml
cat >prometheus.yml <<EOF2
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $TEST_DIR/rules.yml
scrape_configs:
  - job_name: opsdeck
    scrape_timeout: 1s
    static_configs:
      - targets: ['$target']
EOF2
prometheus --config.file=prometheus.yml --storage.tsdb.path="$TEST_DIR/tsdb" \
	--web.listen-address="127.0.0.1:$port" >prometheus.log 2>&1 &
prometheus_pid=$!
on_exit kill -9 "$prometheus_pid"
api=http://127.0.0.1:$port/api/v1

# query EXPR: the first result's value, or nothing
query() {
	curl -s --max-time 5 "$api/query" --data-urlencode "query=$1" |
		"$_LIB_PY" -c 'import json, sys
r = json.load(sys.stdin)["data"]["result"]
print(r[0]["value"][1] if r else "")' 2>/dev/null
}
# alert_state NAME: "firing", "pending" or nothing
alert_state() {
	curl -s --max-time 5 "$api/alerts" | "$_LIB_PY" -c 'import json, sys
for a in json.load(sys.stdin)["data"]["alerts"]:
    if a["labels"]["alertname"] == sys.argv[1]:
        print(a["state"])
        break' "$1" 2>/dev/null
}
is_value() { [ "$(query "$1")" = "$2" ]; }
is_firing() { [ "$(alert_state "$1")" = firing ]; }
is_quiet() { [ -z "$(alert_state "$1")" ]; }

wait_until 60 is_value 'up{job="opsdeck"}' 1 || fail "the target never came up: $(tail -5 prometheus.log)"
assert_eq "$(query 'up{job="opsdeck"}')" 1 "the exporter is up for Prometheus"
wait_until 20 is_value 'opsdeck_check_up{check="health"}' 1 || fail "no opsdeck_check_up in Prometheus"
assert_eq "$(query 'opsdeck_check_up{check="health"}')" 1 "the app is up in Prometheus"
assert_match "$(query 'opsdeck_probe_age_seconds{check="health"}')" '^[0-9.e-]+$' "the probe age is stored"
assert_eq "$(query 'count(ALERTS{alertname="OpsdeckAppDown"})')" "" "no app-down alert on a healthy stack"

echo 500 >"$APP_DIR/health_mode"
wait_until 30 is_firing OpsdeckAppDown || fail "OpsdeckAppDown never fired"
assert_eq "$(alert_state OpsdeckAppDown)" firing "OpsdeckAppDown once the app answers 500"
assert_eq "$(query 'ALERTS{alertname="OpsdeckAppDown",alertstate="firing",check="health"}')" 1 \
	"ALERTS has it, for the health check"
echo ok >"$APP_DIR/health_mode"
wait_until 30 is_quiet OpsdeckAppDown || fail "OpsdeckAppDown did not resolve"
assert_eq "$(alert_state OpsdeckAppDown)" "" "the alert resolves when the app is back"
assert_eq "$(query 'up{job="opsdeck"}')" 1 "the exporter stayed up throughout"
finish
