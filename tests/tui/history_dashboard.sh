#!/usr/bin/env bash
# The dashboard records the history while no recorder runs, hands the
# directory to `opsdeck record` when one starts, and takes it back once it
# stops; an outage it recorded comes back from `report`. A record.wanted
# left by a recorder that died holds up nothing.
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
mkdir app history
printf '%s' '{"version":"1.4.2","buildNumber":"87","commitHash":"3f9a2c1","buildDate":"2026-12-05T00:00:00.000Z"}' \
	>app/version.json
http_fixture app app
app_url=http://127.0.0.1:$FIXTURE_PORT
hist=$TEST_DIR/history
write_stack_config opsdeck.conf "health_url = $app_url/api/health" \
	"version_url = $app_url/api/version" "version_file =" "timeout = 1s" \
	"[database]" "url =" "[redis]" "url =" "[history]" "dir = $hist"
# a claim left by a recorder that is gone
sleep 0 &
dead=$!
wait "$dead"
echo "$dead" >"$hist/record.wanted"

records() { sqlite3 "$hist/history.db" 'SELECT count(*) FROM poll' 2>/dev/null || echo 0; }
has_records() { [ "$(records)" -ge "$1" ]; }
recorder_is() {
	run "$OPSDECK" -c opsdeck.conf status --json
	[ "$(json_get "$OUT" history.recorder)" = "$1" ]
}

tui_start 120 40 -c opsdeck.conf --interval 500ms
assert_screen "history: this dashboard records it (no opsdeck record runs)"
wait_until 10 has_records 4 || fail "the dashboard wrote $(records) records"
[ ! -e "$hist/record.wanted" ] || fail "record.wanted is left: $(cat "$hist/record.wanted")"
wait_until 5 recorder_is dashboard || fail "status --json: recorder $(json_get "$OUT" history.recorder)"
assert_eq "$(json_get "$OUT" history.recorder_pid)" "$(tui_pid)" "... with the dashboard's pid"
assert_contains "$("$OPSDECK" -c opsdeck.conf status)" "written by a dashboard while no opsdeck record runs"
# one record per round of the probes: about two a second
n0=$(records)
sleep 3
n1=$(records)
assert_ge $((n1 - n0)) 4 "records in 3 s at 500 ms"
assert_le $((n1 - n0)) 8 "... one per round, not one per probe"

# an outage the dashboard records
echo 503 >app/health_status
assert_screen "health ok -> unhealthy" 10
sleep 1
rm app/health_status
assert_screen "health unhealthy -> ok" 10

# a recorder takes the directory over
t0=$(date +%s%N)
"$OPSDECK" -c opsdeck.conf record --interval 500ms 2>record.log &
rec=$!
on_exit kill -9 "$rec"
wait_until 10 grep -q "recording every" record.log || fail "the recorder did not start: $(cat record.log)"
took_ms=$((($(date +%s%N) - t0) / 1000000))
assert_le "$took_ms" 3000 "the dashboard let go within a second or two"
assert_screen "history: opsdeck record (pid $rec) records it; this dashboard reads" 10
[ ! -e "$hist/record.wanted" ] || fail "record.wanted is left: $(cat "$hist/record.wanted")"
wait_until 5 recorder_is record || fail "status --json: recorder $(json_get "$OUT" history.recorder)"
assert_eq "$(json_get "$OUT" history.recorder_pid)" "$rec" "... with the recorder's pid"
n0=$(records)
sleep 3
n1=$(records)
assert_ge $((n1 - n0)) 4 "the recorder writes"
assert_le $((n1 - n0)) 8 "... and the dashboard no more"

# and gives it back when it stops
kill -TERM "$rec"
wait "$rec" || true
wait_until 10 recorder_is dashboard || fail "the dashboard did not take the history back"
# Activity, newest first: recording again above the recorder's line
newest_history_line() { tui_screen | grep -m1 -o 'history: [a-z]*[^|]*'; }
took_back() { newest_history_line | grep -q "this dashboard records it"; }
wait_until 5 took_back || fail "Activity: $(newest_history_line)"

# what the dashboard recorded reads back as an incident
run "$OPSDECK" -c opsdeck.conf report --since 10m --json
assert_eq "$RC" 0 "report: $ERR"
outage=$(printf '%s' "$OUT" | "$PYTHON3" -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join(i["type"] + ("/ended" if i["ended_at"] else "") for i in d["issues"]))')
assert_contains "$outage" "app_down/ended" "the outage and its end are in the report"

tui_keys q
assert_screen "EXIT=0"
assert_ge "$(records)" 10 "the history is readable after the exit"
finish
