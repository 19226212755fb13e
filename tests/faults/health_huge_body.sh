#!/usr/bin/env bash
# The health endpoint answering 200 with a 1 MiB body, poll after poll,
# under the running dashboard: opsdeck keeps only a bounded prefix (status
# --json says body_truncated, and its body is small), reports the app as ok
# (the status code and the leading "status":"ok" are what matter), its
# memory high-water mark stays far below what keeping every body would
# cost, and the screen keeps its frame with no padding spilled onto it.
. "$OPSDECK_SRCDIR/tests/faults/lib.sh"
stack_private app
fault_config opsdeck.conf
# VmHWM of the dashboard must stay under this (kB); it starts near 12 MB
HWM_LIMIT_KB=$((64 * 1024))

# vm_hwm_kb PID: the process's peak resident set, in kB
vm_hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }

fault_dashboard 120 40 opsdeck.conf
assert_reported "+ OK   app" "before"
pid=$(tui_pid)
before=$(vm_hwm_kb "$pid")

# from a failure, so that the row turning ok shows a huge body was read
app_mode health 500
assert_reported "x CRIT app" "500 first"
app_mode health huge
assert_reported "+ OK   app" "huge body"
assert_eq "$(curl -s "$HEALTH_URL" | wc -c)" 1048576 "the endpoint's body size (curl)"
# a handful of polls of the huge body
for _ in 1 2 3 4 5; do
	tui_keys Space
	sleep 0.5
done
sleep "$FAULT_INTERVAL"
assert_screen "+ OK   app" 1
assert_contains "$SCREEN" "HTTP 200" "the app row"
assert_not_contains "$SCREEN" "xxxxxxxx" "the screen (no padding drawn)"
assert_alive
after=$(vm_hwm_kb "$pid")
echo "# VmHWM ${before} kB before, ${after} kB after the huge bodies"
if built_with_asan; then
	echo "# AddressSanitizer's quarantine keeps freed memory: VmHWM is not checked" >&2
else
	assert_lt "$after" "$HWM_LIMIT_KB" "VmHWM of the dashboard (kB)"
fi

# The frame: header, panel borders, key bar, every line within the width.
SCREEN=$(tui_screen)
assert_match "$SCREEN" "^ [^ ]+ (OK|WARNING|CRITICAL|WAITING|NOT CONFIGURED) " "the header line, the overall state first"
assert_contains "$SCREEN" "+- > Health -" "the Health panel's border"
assert_contains "$SCREEN" "+- Activity -" "the Activity panel's border"
assert_contains "$(printf '%s\n' "$SCREEN" | tail -n 1)" " q Quit ? Help" "the key bar on the last line"
assert_eq "$(printf '%s\n' "$SCREEN" | awk 'length > 120' | wc -l)" 0 "lines wider than the pane"

assert_verbs opsdeck.conf checks.health.state ok 0
assert_eq "$(json_get "$FAULT_JSON" checks.health.body_truncated)" true "status --json body_truncated"
body_len=$(json_get "$FAULT_JSON" checks.health.body | wc -c)
assert_lt "$body_len" 65536 "status --json health body length"
assert_match "$(json_get "$FAULT_JSON" checks.health.body)" '^\{"status":"ok"' "the body kept is the start"

app_mode health ok
assert_reported "+ OK   app" "back to a small body"
assert_eq "$(tui_pid)" "$pid" "the same dashboard process throughout"
fault_quit
assert_terminal_usable
finish
