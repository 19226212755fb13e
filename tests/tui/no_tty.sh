#!/usr/bin/env bash
# Without a terminal (or with TERM=dumb) `opsdeck` gives one line pointing
# to `opsdeck status` and exits 2; it never dies inside curses.
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
write_config opsdeck.conf </dev/null

assert_exit 2 "$OPSDECK" -c opsdeck.conf </dev/null
assert_contains "$ERR" "opsdeck status"
assert_eq "$(printf '%s\n' "$ERR" | wc -l)" 1 "one line"
assert_eq "$OUT" "" "nothing on stdout"

tui_start 80 24 -c opsdeck.conf
assert_screen "+ OK   /"
tui_keys q
assert_screen "EXIT=0"
_tui_kill "$TUI_SOCKET"
TUI_SOCKET="$TUI_SOCKET-dumb"
TUI_ENV=TERM=dumb
tui_start 80 24 -c opsdeck.conf
assert_screen "EXIT=2"
assert_contains "$SCREEN" "for a one-shot report run \`opsdeck status\`"
TUI_SOCKET="$TUI_SOCKET-unknown"
TUI_ENV=TERM=no-such-terminal
tui_start 80 24 -c opsdeck.conf
assert_screen "EXIT=2"
assert_contains "$SCREEN" "cannot use the terminal 'no-such-terminal'"
finish
