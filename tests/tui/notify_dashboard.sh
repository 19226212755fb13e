#!/usr/bin/env bash
# The dashboard sends the notifications while no recorder runs: Activity
# says so, and an outage of the app reaches a local receiver exactly once.
# When a recorder starts, the dashboard hands the role over (Activity says
# so) and the recorder tells the next change, once.
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
mkdir app hook
printf '%s' '{"version":"1.4.2","buildNumber":"87","commitHash":"3f9a2c1","buildDate":"2026-12-05T00:00:00.000Z"}' \
	>app/version.json
http_fixture app app
app_url=http://127.0.0.1:$FIXTURE_PORT
http_fixture record hook
token=dash-t0ken-$$
secrets_add "$token"
write_stack_config opsdeck.conf "health_url = $app_url/api/health" \
	"version_url = $app_url/api/version" "version_file =" "timeout = 1s" \
	"[database]" "url =" "[redis]" "url =" "[history]" "dir = $TEST_DIR/history" \
	"[notify]" "webhook_url = http://127.0.0.1:$FIXTURE_PORT/hook/$token" "min_severity = high" \
	"flap_window = 0"
posts() { grep -c "^POST /hook/$token " hook/requests.log 2>/dev/null || echo 0; }
has_posts() { [ "$(posts)" -ge "$1" ]; }

tui_start 120 40 -c opsdeck.conf --interval 500ms
assert_screen "notify: this process sends the notifications (1 webhook)"
echo 503 >app/health_status
wait_until 10 has_posts 1 || fail "the dashboard told nothing"
sleep 2
assert_eq "$(posts)" 1 "the outage: one message from the dashboard"
assert_contains "$(tail -n 1 hook/requests.log)" '"event":"issue_opened"' "... issue_opened"

"$OPSDECK" -c opsdeck.conf record --interval 500ms 2>record.log &
rec=$!
on_exit kill -9 "$rec"
assert_screen "sends the notifications now" 10
rm app/health_status
wait_until 10 has_posts 2 || fail "the recorder told nothing"
sleep 2
assert_eq "$(posts)" 2 "the recovery: one message, from the recorder"
assert_contains "$(cat record.log)" "this process sends the notifications" "the recorder took the role"
kill -TERM "$rec"
wait "$rec" || true
tui_keys q
assert_screen "EXIT=0"
assert_no_secrets "$(tui_screen)" "the screen"
assert_no_secrets "$(cat record.log)" "the recorder's log"
finish
