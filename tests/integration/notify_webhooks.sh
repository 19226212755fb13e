#!/usr/bin/env bash
# [notify] webhook_url against a local receiver (http_fixture record) that
# counts every POST: exactly one message per state change. The app's health
# (a second instance of our own, flipped by a file) goes bad and good while
# `opsdeck record` runs: one issue_opened, one issue_cleared. A real backup
# (files to file://) ends: one action_ended; its dry run is not told. A
# restarted recorder repeats nothing. With the exporter running beside the
# recorder only the recorder sends; once it stops the exporter takes over
# and the next change is still told once, also while a recorder without
# [notify] runs (it takes nothing). A webhook failing its first two
# attempts gets the message on the third; a webhook that answers 404 is
# given up at once, logged by number and host. Two URLs each get every
# message; format = slack posts {"text"}. The URL's token is never in a log,
# an output or a body.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"

mkdir app hook files target
printf '%s' '{"version":"1.4.2","buildNumber":"87","commitHash":"3f9a2c1","buildDate":"2026-12-05T00:00:00.000Z"}' \
	>app/version.json
http_fixture app app
app_url=http://127.0.0.1:$FIXTURE_PORT
http_fixture record hook
hook=http://127.0.0.1:$FIXTURE_PORT
token=n0t1fy-t0ken-$$
secrets_add "$token"
printf 'a\n' >files/a.txt

# conf FILE [LINE]...: the app instance, files to back up, the history
# here, a webhook in the [notify] section, and LINEs after it
conf() {
	local file=$1
	shift
	write_stack_config "$file" "name = shop" "health_url = $app_url/api/health" \
		"version_url = $app_url/api/version" "version_file =" "timeout = 1s" \
		"[database]" "url =" "[redis]" "url =" "[storage]" "paths = $TEST_DIR" \
		"[ui]" "interval = 500ms" "[history]" "dir = $TEST_DIR/history" \
		"[backup]" "target = file://$TEST_DIR/target" "files_source = $TEST_DIR/files" \
		"[notify]" "min_severity = high" "flap_window = 0" "$@"
}
conf opsdeck.conf "webhook_url = $hook/hook/$token"

posts() { grep -c "^POST /hook/$token " hook/requests.log 2>/dev/null || echo 0; }
# event N: the "event" of the Nth message (1 = first)
event() { sed -n "/^POST \/hook\/$token /p" hook/requests.log | sed -n "$1p" | sed 's/^POST [^ ]* //' | json_get "$(cat)" "$2"; }
has_posts() { [ "$(posts)" -ge "$1" ]; }
start_recorder() {
	"$OPSDECK" -c opsdeck.conf record 2>>rec.log &
	REC_PID=$!
	on_exit kill -9 "$REC_PID"
}
start_exporter() {
	"$OPSDECK" -c opsdeck.conf exporter --listen 127.0.0.1:0 2>>exp.log &
	EXP_PID=$!
	on_exit kill -9 "$EXP_PID"
}
# took_role N: the recorder's log says N times that it sends
took_role() { [ "$(grep -c "sends the notifications" rec.log)" -ge "$1" ]; }
# settle: no message in flight is still to come
settle() { sleep 2; }

# ------------------------------------------------------------ one per change
start_recorder
wait_until 10 took_role 1 || fail "the recorder did not take the role: $(cat rec.log)"
settle
assert_eq "$(posts)" 0 "a healthy start tells nothing"
echo 503 >app/health_status
wait_until 10 has_posts 1 || fail "no message for the outage"
settle
assert_eq "$(posts)" 1 "the outage: one message"
assert_eq "$(event 1 event)" issue_opened "... issue_opened"
assert_eq "$(event 1 issue.id)" app_down "... for app_down"
assert_eq "$(event 1 issue.severity)" high "... high"
assert_eq "$(event 1 app)" shop "... naming the app"
rm app/health_status
wait_until 10 has_posts 2 || fail "no message for the recovery"
settle
assert_eq "$(posts)" 2 "the recovery: one message"
assert_eq "$(event 2 event)" issue_cleared "... issue_cleared"
assert_match "$(event 2 issue.open_seconds)" '^[0-9]+$' "... with how long it was open"

# an action: a real backup, told once; its dry run is not
assert_exit 0 "$OPSDECK" -c opsdeck.conf backup files
wait_until 10 has_posts 3 || fail "no message for the backup"
settle
assert_eq "$(posts)" 3 "the backup: one message"
assert_eq "$(event 3 event)" action_ended "... action_ended"
assert_eq "$(event 3 action.name)" backup-files "... naming the action"
assert_eq "$(event 3 action.result)" ok "... and its outcome"
run "$OPSDECK" -c opsdeck.conf recover restart-app --dry-run
settle
assert_eq "$(posts)" 3 "a dry run is not told"

# a restart while the app is down: the outage was told once, not again
echo 503 >app/health_status
wait_until 10 has_posts 4 || fail "no message for the second outage"
kill -TERM "$REC_PID"
wait "$REC_PID" || fail "the recorder did not end cleanly"
start_recorder
wait_until 10 took_role 2 || fail "the restarted recorder did not take the role: $(cat rec.log)"
sleep 3
assert_eq "$(posts)" 4 "a restarted recorder repeats nothing"

# ------------------------------------------------------------ handover
start_exporter
sleep 2
assert_not_contains "$(cat exp.log)" "sends the notifications" "the exporter leaves it to the recorder"
rm app/health_status
wait_until 10 has_posts 5 || fail "no message for the second recovery"
settle
assert_eq "$(posts)" 5 "with both running: one message"
kill -TERM "$REC_PID"
wait "$REC_PID" || true
wait_until 10 grep -q "sends the notifications" exp.log || fail "the exporter did not take over: $(cat exp.log)"
echo 503 >app/health_status
wait_until 10 has_posts 6 || fail "the exporter told nothing"
settle
assert_eq "$(posts)" 6 "the exporter tells the next change, once"
assert_eq "$(event 6 event)" issue_opened "... the outage"
# a recorder started without [notify] takes nothing from the exporter
conf quiet.conf "webhook_url ="
"$OPSDECK" -c quiet.conf record 2>quiet.log &
quiet_pid=$!
on_exit kill -9 "$quiet_pid"
wait_until 10 grep -q "recording every" quiet.log || fail "the quiet recorder did not start: $(cat quiet.log)"
sleep 2
rm app/health_status
wait_until 10 has_posts 7 || fail "nothing told while a recorder without [notify] runs"
settle
assert_eq "$(posts)" 7 "the exporter goes on telling, once"
assert_not_contains "$(cat exp.log)" "sends the notifications now" "... and never yielded to it"
kill -TERM "$quiet_pid"
wait "$quiet_pid" || true
kill -TERM "$EXP_PID"
wait "$EXP_PID" || true

# ------------------------------------------------------------ delivery
rm -rf history
conf retry.conf "webhook_url = $hook/fail-2/$token, $hook/gone-$token"
: >hook/requests.log
echo 503 >app/health_status
"$OPSDECK" -c retry.conf record 2>retry.log &
retry_pid=$!
on_exit kill -9 "$retry_pid"
wait_until 15 grep -q "^POST /fail-2/$token .*" hook/requests.log || fail "no attempt"
attempts() { grep -c "^POST /fail-2/$token " hook/requests.log; }
three_attempts() { [ "$(attempts)" -ge 3 ]; }
wait_until 15 three_attempts || fail "not retried: $(cat hook/requests.log)"
sleep 1
assert_eq "$(attempts)" 3 "failed twice, delivered on the third attempt"
assert_eq "$(grep -c "^POST /gone-$token " hook/requests.log)" 1 "each URL gets the message; a 404 is not retried"
wait_until 5 grep -q "not delivered to webhook 2 (127.0.0.1) after 1 attempt: HTTP 404" retry.log ||
	fail "the 404 is not logged: $(cat retry.log)"
kill -TERM "$retry_pid"
wait "$retry_pid" || true

rm -rf history
conf slack.conf "webhook_url = $hook/slack/$token" "format = slack"
: >hook/requests.log
"$OPSDECK" -c slack.conf record 2>slack.log &
slack_pid=$!
on_exit kill -9 "$slack_pid"
wait_until 10 grep -q "^POST /slack/$token " hook/requests.log || fail "no Slack message"
body=$(sed -n "s|^POST /slack/$token ||p" hook/requests.log | head -n 1)
assert_eq "$(json_get "$body" 'd["text"]' | grep -c "issue opened: app_down")" 1 "Slack: the text names the issue"
assert_eq "$(printf '%s' "$body" | "$_LIB_PY" -c 'import json, sys; print(",".join(json.load(sys.stdin)))')" text \
	"Slack: {\"text\"} alone"
kill -TERM "$slack_pid"
wait "$slack_pid" || true

# ------------------------------------------------------------ secrets
for log in rec.log exp.log retry.log slack.log; do
	assert_no_secrets "$(cat "$log")" "$log"
done
assert_no_secrets "$(sed 's/^POST [^ ]* //' hook/requests.log)" "the bodies"
run "$OPSDECK" -c opsdeck.conf status
assert_no_secrets "$OUT$ERR" "status"

# configuration mistakes name file and line, and never the URL
conf bad.conf "webhook_url = $hook/ok ftp://x/$token"
assert_exit 2 "$OPSDECK" -c bad.conf status
assert_match "$ERR" "bad\\.conf:[0-9]+: webhook_url: URL 2 is not an http:// or https:// URL" "a bad URL: file and line"
assert_no_secrets "$ERR" "the error"
conf bad2.conf "webhook_url = $hook/ok" "format = xml"
assert_exit 2 "$OPSDECK" -c bad2.conf status
assert_contains "$ERR" "'xml' is not a notification format (use json or slack)"
finish
