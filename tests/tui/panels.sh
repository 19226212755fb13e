#!/usr/bin/env bash
# The dashboard against the stack: every panel with live values, help,
# Enter on a slow query, and q restoring the terminal with exit status 0.
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
stack_use pg,redis,app
write_stack_config opsdeck.conf "timeout = 2s"
version=$(json_get "$("$OPSDECK" -c opsdeck.conf status --json)" version.version)

tui_start 120 40 -c opsdeck.conf
assert_screen "+ OK   database"
assert_screen "+ OK   redis"
assert_screen "HTTP 200"
for title in Version Health Performance "Slow queries" Issues Activity; do
	assert_contains "$SCREEN" "$title" "screen"
done
assert_match "$SCREEN" "[0-9]+/[0-9]+ conn" "PG connections against max"
assert_match "$SCREEN" "mem [0-9.]+ [KMG]?i?B" "Redis memory"
assert_match "$SCREEN" "OK   /  .*% of" "a usage bar per storage path"
assert_contains "$SCREEN" "$version" "the app's version"
assert_screen "requests "
assert_screen "updated "
assert_no_secrets "$SCREEN" "the dashboard"

# ? shows help listing every key; Esc closes it
tui_keys '?'
assert_screen "this help"
for key in "Tab" "Shift-Tab" "PgUp/PgDn" "Enter" "space" "+ / -" "Esc" "mouse"; do
	assert_contains "$SCREEN" "$key" "help"
done
tui_keys Escape
assert_screen_gone "this help"

# Enter on a slow query shows its whole text
tui_keys BTab BTab
assert_screen "> Slow queries"
if tui_wait "SELECT" 15; then
	tui_keys Enter
	assert_screen "Slow query 1 of"
	assert_screen "calls"
	tui_keys Escape
	assert_screen_gone "Slow query 1 of"
else
	assert_screen "no statement slower than" 1
fi

# q: the terminal comes back (alternate screen left), exit status 0
tui_keys q
assert_screen "EXIT=0"
assert_contains "$SCREEN" "TUI-BEFORE" "the shell's screen is back"
assert_not_contains "$SCREEN" "Slow queries" "after q"
assert_eq "$(tui_alternate)" 0 "alternate screen off"
finish
