#!/usr/bin/env bash
# Keys: Tab / Shift-Tab focus, p pause, + / - interval, t theme, r and b
# dialogs, space refresh; SIGTERM and SIGINT end cleanly with 128+signo.
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
stack_use redis,app
write_stack_config opsdeck.conf "timeout = 2s"

tui_start 100 30 -c opsdeck.conf
assert_screen "> Health"
# Tab in reading order: Health, Version, Performance, Issues, Slow queries, Activity
for title in Version Performance Issues "Slow queries" Activity Health; do
	tui_keys Tab
	assert_screen "> $title"
done
tui_keys BTab
assert_screen "> Activity"
tui_keys Tab
assert_screen "> Health"

tui_keys p
assert_screen "PAUSED"
assert_screen "paused by the operator"
tui_keys p
assert_screen_gone "PAUSED"

tui_keys +
assert_screen "refresh every 5.0 s"
tui_keys - -
assert_screen "refresh every 1.0 s"
# the notice goes by itself after a few seconds: the key hints are back
assert_screen_gone "refresh every 1.0 s" 6
assert_screen " q Quit ? Help"

tui_keys t
assert_screen "theme high-contrast"
tui_keys t
assert_screen "theme light"

tui_keys r
sleep 0.3
SCREEN=$(tui_screen)
assert_match "$SCREEN" "Recovery: choose an action|no issue is open|no recovery action fits"
tui_keys Escape
tui_keys b
assert_screen "back up the database"
tui_keys q
assert_screen_gone "back up the database"
tui_keys ' '
assert_screen "refreshing every check"

# a signal ends it cleanly: 128 + SIGTERM
kill -TERM "$(tui_pid)"
assert_screen "EXIT=143"
assert_eq "$(tui_alternate)" 0 "alternate screen off after SIGTERM"

# a theme file with an error: file:line named, default used
mkdir -p "$XDG_CONFIG_HOME/opsdeck/themes"
printf 'ok = green\nborder = bluish\n' >"$XDG_CONFIG_HOME/opsdeck/themes/broken.theme"
_tui_kill "$TUI_SOCKET"
TUI_SOCKET="$TUI_SOCKET-2"
tui_start 100 30 -c opsdeck.conf --theme broken
assert_screen "broken.theme:2: unknown colour or attribute"
kill -INT "$(tui_pid)"
assert_screen "EXIT=130"
finish
