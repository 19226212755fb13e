#!/usr/bin/env bash
# Against the real stack, `status --json` shows all four checks healthy and the
# version from the app's /api/version; the text form says OK; no secret shows.
# The seed's deliberately slow queries are a warning of their own
# (overall_state.sh): the threshold is raised past them.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
stack_use pg,redis,app
write_stack_config opsdeck.conf "[database]" "slow_query_ms = 600000"

json=$("$OPSDECK" -c opsdeck.conf status --json)
assert_exit 0 "$OPSDECK" -c opsdeck.conf status --json
for check in database redis health storage; do
	assert_eq "$(json_get "$json" "checks.$check.state")" ok "$check is ok"
done
assert_eq "$(json_get "$json" overall)" ok "overall is ok"
assert_eq "$(json_get "$json" version.source)" version_url "version read from version_url"
assert_eq "$(json_get "$json" version.version)" \
	"$(json_get "$(cat "$APP_DIR/public/version.json")" version)" "version matches the app's"
assert_eq "$(json_get "$json" checks.database.server_version_num | cut -c1-2)" 15 "PostgreSQL 15"
assert_eq "$(json_get "$json" checks.health.status_code)" 200 "health answered 200"

text=$("$OPSDECK" -c opsdeck.conf status)
assert_contains "$text" "overall   OK"
assert_contains "$text" "postgresql://app:***@127.0.0.1:$PGPORT/shop"
assert_no_secrets "$json$text"
finish
