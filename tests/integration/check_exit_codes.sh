#!/usr/bin/env bash
# `check` follows the monitoring-plugins convention: OK 0, WARNING 1,
# CRITICAL 2, UNKNOWN 3, with the state word on the one line it prints.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
stack_use pg,redis,app
# The seed ran deliberately slow queries: a WARNING of their own (below).
write_stack_config ok.conf "[database]" "slow_query_ms = 600000"

assert_exit 0 "$OPSDECK" -c ok.conf check
assert_contains "$("$OPSDECK" -c ok.conf check)" "OPSDECK OK - "
assert_contains "$("$OPSDECK" -c ok.conf check)" " | "

# The seeded slow queries: WARNING, named in the summary.
write_stack_config slow.conf
assert_exit 1 "$OPSDECK" -c slow.conf check
assert_contains "$("$OPSDECK" -c slow.conf check)" "medium: "

# The version cannot be read: WARNING.
write_stack_config warn.conf "version_url = http://127.0.0.1:1/api/version" \
	"version_file = $PWD/missing.json" "[database]" "slow_query_ms = 600000"
assert_exit 1 "$OPSDECK" -c warn.conf check
assert_contains "$("$OPSDECK" -c warn.conf check)" "OPSDECK WARNING - "

# A backend down: CRITICAL, naming it first.
write_stack_config crit.conf "timeout = 1s" "health_url = http://127.0.0.1:1/api/health"
assert_exit 2 "$OPSDECK" -c crit.conf check
assert_contains "$("$OPSDECK" -c crit.conf check)" "OPSDECK CRITICAL - health unhealthy"

# A disk over its limit: CRITICAL.
write_stack_config full.conf "[storage]" "max_used_percent = 0.001"
assert_exit 2 "$OPSDECK" -c full.conf check

# Nothing to check, or a broken configuration: UNKNOWN.
write_config none.conf <<EOF
[app]
health_url =
version_url =
version_file =
[database]
url =
[redis]
url =
[storage]
paths =
EOF
assert_exit 3 "$OPSDECK" -c none.conf check
printf '[app]\ntiemout = 3s\n' > bad.conf
assert_exit 3 "$OPSDECK" -c bad.conf check
assert_contains "$("$OPSDECK" -c bad.conf check)" "OPSDECK UNKNOWN - "
finish
