#!/usr/bin/env bash
# A small terminal does not hide an outage: at 70x20 only the focused panel
# is drawn, yet with the app answering 500 and Slow queries focused the
# header says CRITICAL and why; the too-small screen says it as well.
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
stack_private pg,app
write_stack_config opsdeck.conf "timeout = 2s" "[ui]" "interval = 1s"
app_mode health 500

tui_start 70 20 -c opsdeck.conf
# Tab until Slow queries has the focus, whatever the Tab order
for _ in 1 2 3 4 5 6; do
	tui_wait "> Slow queries" 1 && break
	tui_keys Tab
done
assert_screen "> Slow queries"
assert_not_contains "$SCREEN" "> Health" "only the focused panel is drawn"
if tui_wait "x CRITICAL The app's health check failed: HTTP 500" 5; then
	pass "the header says CRITICAL and why after ${WAITED_MS} ms"
else
	fail "the header does not say what is wrong"
	tui_show_screen
fi
assert_eq "$(tui_screen | head -n 1 | grep -c CRITICAL)" 1 "on the first line"

# below the smallest layout the header still says it
tui_resize 40 10
assert_screen "terminal too small"
assert_contains "$(tui_screen | head -n 1)" "x CRITICAL" "the too-small screen's first line"

# the app recovers: the header follows
tui_resize 70 20
app_mode health 200
assert_screen_gone "CRITICAL" 5
assert_no_secrets "$SCREEN" "the dashboard"
tui_keys q
assert_screen "EXIT=0"
finish
