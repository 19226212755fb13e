#!/usr/bin/env bash
# The dashboard's environment picker: `e` lists every environment with its
# state once probed (the one in use marked), Down and Enter switch the
# dashboard to another without a restart (its app name, banner and checks;
# the switch in Activity), an environment whose file does not load is
# refused with the reason and the one in use stays, and Esc closes.
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
stack_use pg,redis,app
envs=$XDG_CONFIG_HOME/opsdeck/envs
mkdir -p "$envs"
write_stack_config "$envs/aaa-broken.conf" "name = broken" "bogus = 1"
write_stack_config "$envs/production.conf" "name = shop-prod" "timeout = 2s" "[ui]" \
	"banner = PRODUCTION"
write_stack_config "$envs/staging.conf" "name = shop-staging" "timeout = 2s"

TUI_ENV="XDG_CONFIG_HOME=$XDG_CONFIG_HOME"
tui_start 120 40 -e staging
assert_screen "shop-staging (staging)"
tui_keys e
assert_screen "Environments"
assert_screen_match "staging +(OK|WARNING|CRITICAL) +[^ ]+ +in use"
assert_screen_match "aaa-broken +UNKNOWN"
assert_screen_match "production +(OK|WARNING|CRITICAL)"
assert_screen "Up/Down choose  Enter switch  Esc close"
tui_keys Escape
assert_screen "shop-staging (staging)"

# the picker opens on the one in use: Up goes to production
tui_keys e
assert_screen "> staging"
tui_keys Up
assert_screen "> production"
tui_keys Enter
assert_screen_match "PRODUCTION .*shop-prod \\(production\\)"
assert_screen "environment production"
assert_contains "$(tui_screen | head -n 1)" "PRODUCTION" "the new environment's banner"

# a file that does not load: refused, production stays
tui_keys e
assert_screen "> production"
tui_keys Up Up Enter
assert_screen "environment aaa-broken not loaded"
assert_contains "$(tui_screen | head -n 1)" "shop-prod (production)" "the one in use stays"
tui_keys q
assert_screen "EXIT=0"
finish
