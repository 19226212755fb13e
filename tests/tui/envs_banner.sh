#!/usr/bin/env bash
# `opsdeck -e production` with [ui] banner = PRODUCTION: the header starts
# with the banner, in its colour (banner_color = red: a red background in
# the pane's escape codes), and names the environment; at a small size the
# banner is still there, before the state.
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
stack_use app
envs=$XDG_CONFIG_HOME/opsdeck/envs
mkdir -p "$envs"
write_stack_config "$envs/production.conf" "timeout = 2s" "[ui]" "banner = PRODUCTION" \
	"banner_color = red"

TUI_ENV="XDG_CONFIG_HOME=$XDG_CONFIG_HOME"
tui_start 120 40 -e production
assert_screen "(production)"
header=$(tui_screen | head -n 1)
assert_match "$header" '^  PRODUCTION  . (OK|WARNING|CRITICAL|UNKNOWN|waiting)' "the banner leads the header"
assert_contains "$header" "shop (production)" "the environment's name beside the app's"
assert_match "$(tui_screen_escapes | head -n 1)" $'\e\\[[0-9;]*(41|48;5;1)[;m][^\e]*PRODUCTION' \
	"the banner on red"
tui_resize 40 10
assert_screen "terminal too small"
assert_match "$(tui_screen | head -n 1)" '^  PRODUCTION ' "still there on a small screen"
tui_keys q
assert_screen "EXIT=0"
finish
