#!/usr/bin/env bash
# Looking back in the dashboard over a real recorder's history: an outage
# of the app (its health answering 503 for 2 s) recorded at 500 ms. `[`
# enters replay at the newest record under a REPLAY banner, `{` twice goes
# back to where the outage began (the header is CRITICAL, the Issues panel
# names it), an action is refused there, `}` goes on to where it ended,
# Esc returns to live, and `]` while live says so.
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
mkdir app
printf '%s' '{"version":"1.4.2","buildNumber":"87","commitHash":"3f9a2c1","buildDate":"2026-12-05T00:00:00.000Z"}' \
	>app/version.json
http_fixture app app
app_url=http://127.0.0.1:$FIXTURE_PORT
hist=$TEST_DIR/history
write_stack_config opsdeck.conf "health_url = $app_url/api/health" \
	"version_url = $app_url/api/version" "version_file =" "timeout = 1s" \
	"[database]" "url =" "[redis]" "url =" "[history]" "dir = $hist"

"$OPSDECK" -c opsdeck.conf record --interval 500ms 2>record.log &
rec=$!
on_exit kill -9 "$rec"
wait_until 10 grep -q "recording every" record.log || fail "the recorder did not start: $(cat record.log)"
sleep 2
echo 503 >app/health_status
wait_until 10 grep -q "issue opened: app_down" record.log || fail "no outage recorded: $(cat record.log)"
sleep 2
rm app/health_status
wait_until 10 grep -q "issue cleared: app_down" record.log || fail "no recovery recorded: $(cat record.log)"
sleep 2
kill -TERM "$rec"
wait "$rec" || fail "the recorder did not end cleanly"

tui_start 120 40 -c opsdeck.conf
assert_screen "Activity"
tui_keys ']'
assert_screen "live already"
tui_keys '['
assert_screen_match "^  REPLAY 20[0-9-]+ [0-9:]+ UTC  "
assert_screen "[ ] a record, { } where the issues change, Esc live"
tui_keys '{'
sleep 0.3
tui_keys '{'
assert_screen_match "REPLAY .* CRITICAL The app's health check failed"
assert_screen "from the history"
tui_keys r
assert_screen "Esc returns to live before any action"
tui_keys '}'
assert_screen_gone "CRITICAL"
assert_screen_match "^  REPLAY "
tui_keys Escape
assert_screen_gone "REPLAY"
assert_screen "live"
tui_keys q
assert_screen "EXIT=0"
finish
