#!/usr/bin/env bash
# One overall state in every output: with every backend up and one warning
# from the diagnosis (the seed's slow queries), status (text, JSON,
# Prometheus), check and diagnose all say WARNING; none says OK. check and
# diagnose exit 1 for it, status 0 (it printed the snapshot); with a backend
# down all say CRITICAL and check and diagnose exit 2.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
stack_use pg,redis,app
write_stack_config warn.conf

text=$("$OPSDECK" -c warn.conf status)
assert_exit 0 "$OPSDECK" -c warn.conf status
assert_contains "$text" "overall   WARNING"
assert_not_contains "$text" "overall   OK"
assert_contains "$text" "diagnosis warning"
json=$("$OPSDECK" -c warn.conf status --json)
assert_eq "$(json_get "$json" overall)" warning "status --json: overall warning"
assert_eq "$(json_get "$json" diagnosis.status)" warning "status --json: diagnosis warning"
assert_contains "$("$OPSDECK" -c warn.conf status --prometheus)" "opsdeck_overall_state 1"
assert_exit 1 "$OPSDECK" -c warn.conf check
assert_contains "$OUT" "OPSDECK WARNING - "
assert_exit 1 "$OPSDECK" -c warn.conf diagnose
assert_contains "$OUT" "shop: warning"
assert_eq "$(json_get "$("$OPSDECK" -c warn.conf diagnose --json)" overall)" warning \
	"diagnose --json: overall warning"

write_stack_config crit.conf "timeout = 1s" "health_url = http://127.0.0.1:1/api/health"
assert_exit 0 "$OPSDECK" -c crit.conf status
assert_contains "$OUT" "overall   CRITICAL"
assert_eq "$(json_get "$("$OPSDECK" -c crit.conf status --json)" overall)" critical \
	"status --json: overall critical"
assert_exit 2 "$OPSDECK" -c crit.conf check
assert_contains "$OUT" "OPSDECK CRITICAL - "
assert_exit 2 "$OPSDECK" -c crit.conf diagnose
assert_contains "$OUT" "shop: critical"
finish
