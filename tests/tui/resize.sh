#!/usr/bin/env bash
# Resizing: 120x40 -> 60x15 (one panel at a time) -> 40x10 ("terminal too
# small") -> back to 120x40, with the keys working all along.
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
stack_use redis,app
write_stack_config opsdeck.conf "timeout = 2s"

tui_start 120 40 -c opsdeck.conf
assert_screen "Slow queries"
tui_resize 60 15
assert_screen_gone "Slow queries"
assert_screen "> Health"
tui_keys Tab
assert_screen "> Version"
tui_resize 40 10
assert_screen "terminal too small"
tui_keys Tab
tui_resize 120 40
assert_screen "> Performance"
# the full layout again; waited for, as a capture can catch the redraw
# half-way on a loaded machine
assert_screen "Activity"
for i in 1 2 3 4 5; do
	tui_resize $((70 + i * 9)) $((20 + i * 3))
done
tui_resize 80 24
assert_screen "Activity"
tui_keys '?'
assert_screen "this help"
tui_keys q q
assert_screen "EXIT=0"
finish
