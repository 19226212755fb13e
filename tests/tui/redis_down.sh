#!/usr/bin/env bash
# Redis killed while the dashboard runs: its row turns critical within two
# refresh intervals, and keys stay responsive meanwhile.
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
stack_private redis,app
write_stack_config opsdeck.conf "timeout = 2s" "[ui]" "interval = 1s"

tui_start 100 30 -c opsdeck.conf
assert_screen "+ OK   redis"
kill -KILL "$REDIS_PID"
if tui_wait "x CRIT redis" 5; then
	pass "redis row critical after ${WAITED_MS} ms"
	assert_le "$WAITED_MS" 2500 "within two 1 s intervals (+ polling)"
else
	fail "redis row never turned critical"
fi
assert_contains "$SCREEN" "refused" "the reason"
assert_screen "redis ok -> unhealthy"
tui_keys '?'
assert_screen "this help" 1
assert_le "$WAITED_MS" 500 "help within 500 ms while redis is down"
tui_keys Escape q
assert_screen "EXIT=0"
finish
