#!/usr/bin/env bash
# Each check flips to unhealthy when its backend stops, and back to healthy
# when it returns; the others stay healthy meanwhile.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
stack_private pg,redis,app
write_stack_config opsdeck.conf "timeout = 2s"

states() {
	local json
	json=$("$OPSDECK" -c opsdeck.conf status --json)
	for check in database redis health storage; do
		printf '%s=%s ' "$check" "$(json_get "$json" "checks.$check.state")"
	done
}

assert_eq "$(states)" "database=ok redis=ok health=ok storage=ok " "all healthy"

stack_stop pg
assert_eq "$(states)" "database=unhealthy redis=ok health=ok storage=ok " "PostgreSQL stopped"
stack_restart pg
assert_eq "$(states)" "database=ok redis=ok health=ok storage=ok " "PostgreSQL back"

stack_stop redis
assert_eq "$(states)" "database=ok redis=unhealthy health=ok storage=ok " "Redis stopped"
stack_restart redis

stack_stop app
assert_eq "$(states)" "database=ok redis=ok health=unhealthy storage=ok " "app stopped"
stack_restart app
assert_eq "$(states)" "database=ok redis=ok health=ok storage=ok " "all back"

write_stack_config full.conf "timeout = 2s" "[storage]" "max_used_percent = 0.001"
json=$("$OPSDECK" -c full.conf status --json)
assert_eq "$(json_get "$json" checks.storage.state)" unhealthy "storage over its limit"
assert_eq "$(json_get "$json" checks.storage.paths.0.state)" unhealthy "the path is named"
finish
