#!/usr/bin/env bash
# NO_COLOR (set and not empty) and --no-color: the dashboard draws in mono
# and t keeps it so, saying why, however often it is pressed; the pane's
# escape codes (capture-pane -e) never set a colour. Without them, the
# default theme does (so the check below can see colour at all).
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
stack_use app
write_stack_config opsdeck.conf "timeout = 2s"

# The SGR sequences of the pane that set a foreground or background colour.
pane_colours() {
	tui_screen_escapes | grep -oE $'\e\\[[0-9;]*m' | tr -d $'\e[m' | awk -F';' '{
		for (i = 1; i <= NF; i++) {
			p = $i + 0
			if ((p >= 30 && p <= 38) || (p >= 40 && p <= 48) ||
			    (p >= 90 && p <= 97) || (p >= 100 && p <= 107))
				print $0
		}
	}'
}

tui_start 120 40 -c opsdeck.conf
assert_screen "t default"
assert_ne "$(pane_colours)" "" "the default theme sets colours"

_tui_kill "$TUI_SOCKET"
TUI_SOCKET="$TUI_SOCKET-env"
TUI_ENV="NO_COLOR=1"
tui_start 120 40 -c opsdeck.conf --theme light
assert_screen "t mono"
assert_eq "$(pane_colours)" "" "NO_COLOR: no colour at start"
for _ in 1 2 3 4; do
	tui_keys t
	assert_screen "NO_COLOR is set: themes have no colour; mono kept"
	assert_eq "$(pane_colours)" "" "NO_COLOR: no colour after t"
done
tui_keys Escape
assert_screen "t mono"
tui_keys q
assert_screen "EXIT=0"

_tui_kill "$TUI_SOCKET"
TUI_SOCKET="$TUI_SOCKET-option"
TUI_ENV=""
tui_start 120 40 -c opsdeck.conf --no-color
assert_screen "t mono"
tui_keys t
assert_screen "--no-color is given: themes have no colour; mono kept"
assert_eq "$(pane_colours)" "" "--no-color: no colour after t"
tui_keys q
assert_screen "EXIT=0"
finish
