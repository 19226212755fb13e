#!/usr/bin/env bash
# The configuration file changes under a running dashboard: a syntax error
# on a known line, then an unknown key, then the right text made readable by
# others while it holds a password. Each time the dashboard keeps running on
# the configuration it loaded, and says within two intervals that the file
# is invalid, with file:line and the reason, never a secret. Fixed (the text
# in use again) it says so; changed to another valid file it says a restart
# applies it, and a backup started then still goes to the loaded target and
# is audited in the loaded audit log.
. "$OPSDECK_SRCDIR/tests/faults/lib.sh"
stack_use redis,app
mkdir -p target elsewhere files/sub
printf 'invoice\n' >files/a.txt
printf 'photo\n' >files/sub/b.txt
config_lines=("[backup]" "target = file://$TEST_DIR/target" "files_source = $TEST_DIR/files"
	"[recovery]" "audit_log = $TEST_DIR/audit.jsonl")
fault_config opsdeck.conf "${config_lines[@]}"
cp -p opsdeck.conf loaded.conf
assert_contains "$(cat opsdeck.conf)" "redis://app:" "precondition: a password in the file"

# line_of REGEX: the number of the first line of the loaded text matching REGEX
line_of() { grep -n -m 1 -E "$1" loaded.conf | cut -d: -f1; }

# rewrite: the file's new text from stdin, in place (same inode and mode,
# as an editor saving in place does)
rewrite() { cat >opsdeck.conf; }

# the key bar (last row) and the screen never show a secret
no_secret_on_screen() {
	SCREEN=$(tui_screen)
	assert_no_secrets "$SCREEN" "$1: the screen"
}

fault_dashboard 160 40 opsdeck.conf
assert_reported "OK   redis" "loaded"

# 1. A syntax error: the [redis] header loses its bracket.
n=$(line_of '^\[redis\]$')
sed "${n}s/.*/[redis/" loaded.conf | rewrite
assert_reported "config invalid, still using the loaded one: opsdeck.conf:$n: malformed section header" \
	"syntax error"
assert_contains "$(printf '%s\n' "$SCREEN" | tail -n 1)" "opsdeck.conf:$n:" "the key bar"
no_secret_on_screen "syntax error"
assert_alive
assert_contains "$SCREEN" "OK   redis" "the checks still run on the loaded configuration"

# 2. An unknown key in [app].
n=$(($(line_of '^timeout = ') + 1))
sed "$((n - 1))a tiemout = 3s" loaded.conf | rewrite
assert_reported "opsdeck.conf:$n: unknown key 'tiemout' in [app]" "unknown key"
no_secret_on_screen "unknown key"

# 3. The loaded text again, but readable by group and others.
n=$(line_of '://[^/]*:[^@/]*@')
rewrite <loaded.conf
chmod 0644 opsdeck.conf
assert_reported "opsdeck.conf: holds a password (line $n) but is readable by group or others" \
	"world-readable"
no_secret_on_screen "world-readable"
assert_alive

# 4. Fixed: the text and mode in use.
chmod 0600 opsdeck.conf
assert_reported "config opsdeck.conf is valid and the same as the one in use" "fixed"

# 5. Another valid file (another name, target and audit log): reported as
# needing a restart, and not applied.
sed -e 's/^name = shop$/name = renamed/' \
	-e "s|^target = .*|target = file://$TEST_DIR/elsewhere|" \
	-e "s|^audit_log = .*|audit_log = $TEST_DIR/elsewhere.jsonl|" loaded.conf | rewrite
assert_reported "config opsdeck.conf changed and is valid; restart opsdeck to apply it" "valid"
assert_match "$(printf '%s\n' "$SCREEN" | head -n 1)" "\| shop \|" "the header keeps the loaded name"

# A files backup started now uses the loaded configuration.
tui_keys b
assert_screen "file://$TEST_DIR/target"
tui_keys f
assert_screen "Start? (y / Esc)"
tui_keys y
assert_screen "backup files: backed up 2 files" 30
assert_eq "$(find target -name '*.files.json' | wc -l)" 1 "a complete files backup at the loaded target"
assert_eq "$(find target -name '*.gz' | wc -l)" 2 "both files at the loaded target"
assert_eq "$(ls -A elsewhere)" "" "nothing at the new file's target"
assert_eq "$(grep -c '"action":"backup-files"' audit.jsonl)" 2 "audit: attempt + outcome in the loaded log"
assert_eq "$([ -e elsewhere.jsonl ] && echo exists || echo absent)" absent "the new file's audit log"
tui_keys Escape
assert_screen_gone "Backups"

# The notice stays in Activity once the key bar has moved on, and the
# checks go on.
assert_contains "$SCREEN" "restart opsdeck to apply it" "Activity"
assert_contains "$SCREEN" "+ OK   redis" "the Health panel"
no_secret_on_screen "at the end"

fault_quit
assert_contains "$SCREEN" "EXIT=0" "exit status"
assert_terminal_usable
finish
