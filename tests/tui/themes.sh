#!/usr/bin/env bash
# Themes found without OPSDECK_THEMES_DIR: the program run from the build
# tree finds themes/ beside it, a copy in PREFIX/bin finds
# PREFIX/share/opsdeck/themes, and a theme found nowhere names every
# directory searched.
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
unset OPSDECK_THEMES_DIR
export XDG_CONFIG_HOME=$TEST_DIR/xdg
write_config opsdeck.conf </dev/null

built=$OPSDECK
if [ -d "$(dirname "$built")/themes" ]; then
	tui_start 160 30 -c opsdeck.conf --theme light
	assert_screen " t light"
	assert_screen_gone "not found" 1
	_tui_kill "$TUI_SOCKET"
	TUI_SOCKET="$TUI_SOCKET-prefix"
fi

mkdir -p prefix/bin prefix/share/opsdeck/themes
cp "$built" prefix/bin/opsdeck
cp "$OPSDECK_SRCDIR"/themes/*.theme prefix/share/opsdeck/themes/
OPSDECK=$TEST_DIR/prefix/bin/opsdeck
tui_start 160 30 -c opsdeck.conf --theme high-contrast
assert_screen " t high-contrast"
tui_keys t
assert_screen "theme light"
_tui_kill "$TUI_SOCKET"

TUI_SOCKET="$TUI_SOCKET-missing"
rm -r prefix/share
tui_start 200 30 -c opsdeck.conf --theme light
assert_screen "theme 'light' not found (looked in $XDG_CONFIG_HOME/opsdeck/themes, $TEST_DIR/prefix/bin/themes"
finish
