#!/usr/bin/env bash
# doc/prometheus/: the example scrape configuration passes `promtool check
# config` (which checks the rule file it names too), the alert rules pass
# `promtool check rules`, and their unit tests (opsdeck.rules.test.yml:
# the app down fires after its minute, a stale backup after 26 h, a failed
# drill at once, a drill stale only once one has passed) pass `promtool test
# rules`.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
require_cmd promtool

dir=$OPSDECK_SRCDIR/doc/prometheus
assert_exit 0 promtool check config "$dir/prometheus.yml"
assert_contains "$OUT$ERR" "SUCCESS: 1 rule files found" "the configuration names the rule file"
assert_exit 0 promtool check rules "$dir/opsdeck.rules.yml"
assert_match "$OUT$ERR" "SUCCESS: [0-9]+ rules found" "promtool check rules"
for alert in OpsdeckExporterDown OpsdeckAppDown OpsdeckDatabaseDown OpsdeckRedisDown \
	OpsdeckBackupStale OpsdeckBackupDrillFailed OpsdeckProbeStale; do
	assert_contains "$(cat "$dir/opsdeck.rules.yml")" "alert: $alert" "the rules"
done
# the rule files are found beside the test file
assert_exit 0 promtool test rules "$dir/opsdeck.rules.test.yml"
assert_contains "$OUT$ERR" "SUCCESS" "promtool test rules"
finish
