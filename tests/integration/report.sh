#!/usr/bin/env bash
# `opsdeck report` over an outage and a deploy made on the test stack while
# `opsdeck record --interval 1s` runs: the version changes in the app's
# version.json (a deploy), its health endpoint answers 500 for a few seconds
# (app_down), a real recovery action runs, the recorder is SIGKILLed, its
# WAL gets a garbage tail, and nothing records for 12 s before a new
# recorder starts. The report gives the deploy, the outage's start and end
# within one interval of the truth, the outage linked to the deploy (by
# the recorder as it happened, and by diagnose from the history), the
# action with its outcome and the gap; in text, Markdown, JSON and HTML.
# Bad --since/--until are usage errors; no history is exit 1 naming it.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
stack_private app

hist=$TEST_DIR/history
write_stack_config opsdeck.conf "[database]" "url =" "[redis]" "url =" "[history]" "dir = $hist" \
	"[recovery]" "restart_command = /bin/true"
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# rfc3339_ms TIME: epoch milliseconds
rfc3339_ms() {
	"$_LIB_PY" -c 'import sys, datetime
t = datetime.datetime.fromisoformat(sys.argv[1].replace("Z", "+00:00"))
print(round(t.timestamp() * 1000))' "$1"
}
# near NAME TRUTH GOT: GOT within one interval (1 s) after TRUTH, give or
# take a probe's round trip
near() {
	assert_ge "$3" $(($2 - 300)) "$1 not before the truth"
	assert_le "$3" $(($2 + 1300)) "$1 within one interval of the truth"
}
records() { "$_LIB_PY" -c 'import sqlite3, sys
print(sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True).execute("SELECT count(*) FROM poll").fetchone()[0])' \
	"$hist/history.db" 2>/dev/null || echo 0; }
# pick JSON EXPR: EXPR over the document d, for what json_get's paths
# cannot say (a filter)
pick() {
	printf '%s' "$1" | "$_LIB_PY" -c 'import json, sys
d = json.load(sys.stdin); v = eval(sys.argv[1])
print(v if isinstance(v, str) else json.dumps(v))' "$2"
}
has_records() { [ "$(records)" -ge "$1" ]; }
start_recorder() {
	"$OPSDECK" -c opsdeck.conf record --interval 1s 2>>record.log &
	REC_PID=$!
	on_exit kill -9 "$REC_PID"
}

# no history yet: exit 1, naming where and how
assert_exit 1 "$OPSDECK" -c opsdeck.conf report
assert_contains "$ERR" "no history to read in $hist" "a missing history is named"
assert_contains "$ERR" "opsdeck record" "... with what writes it"

start_recorder
wait_until 20 has_records 3 || fail "no 3 records within 20 s: $(cat record.log)"
old_version=$(json_get "$(cat "$APP_DIR/public/version.json")" version)
"$_LIB_PY" -c 'import json, sys
p = sys.argv[1]; d = json.load(open(p)); d["version"] = "9.9.9-report"; d["commitHash"] = "feedface0123"
json.dump(d, open(p + ".new", "w"))' "$APP_DIR/public/version.json"
mv "$APP_DIR/public/version.json.new" "$APP_DIR/public/version.json"
t_deploy=$(now_ms)
sleep 3
app_mode health 500
t_down=$(now_ms)
sleep 2
# diagnose, a run of its own, finds the deploy in the history
run "$OPSDECK" -c opsdeck.conf diagnose
assert_match "$OUT" "app down began [0-9.]+ s after deploy $old_version -> 9.9.9-report \(commit feedface0123\)" \
	"diagnose: the outage linked to the deploy"
assert_contains "$OUT" "likely cause: problems after a deploy (9.9.9-report)" "... as its likely cause"
sleep 2
app_mode health ok
t_up=$(now_ms)
sleep 3
assert_exit 0 "$OPSDECK" -c opsdeck.conf recover restart-app --yes
sleep 2

# killed, the WAL's tail damaged, and nothing recording for 12 s
kill -9 "$REC_PID"
wait "$REC_PID" 2>/dev/null || true
t_killed=$(now_ms)
[ -f "$hist/history.db-wal" ] && printf 'garbage after a killed writer' >>"$hist/history.db-wal"
sleep 12
start_recorder
wait_until 20 has_records "$(($(records) + 2))" || fail "the recorder did not start again: $(cat record.log)"
kill -TERM "$REC_PID"
wait "$REC_PID" || fail "the recorder did not end cleanly"

assert_exit 0 "$OPSDECK" -c opsdeck.conf report --since 10m --json
report=$OUT
assert_eq "$(json_get "$report" 'd["deploys"][0]["from"]')" "$old_version" "the deploy: from"
assert_eq "$(json_get "$report" 'd["deploys"][0]["to"]')" "9.9.9-report" "... to"
assert_eq "$(json_get "$report" 'd["deploys"][0]["commit"]')" "feedface0123" "... its commit"
near "the deploy" "$t_deploy" "$(rfc3339_ms "$(json_get "$report" 'd["deploys"][0]["at"]')")"
down=$(pick "$report" '[i for i in d["issues"] if i["id"] == "app_down"]')
assert_eq "$(json_get "$down" '1' 2>/dev/null || echo none)" none "one app_down span"
assert_eq "$(json_get "$down" '0.severity')" high "app_down: high"
near "app_down started" "$t_down" "$(rfc3339_ms "$(json_get "$down" '0.started_at')")"
near "app_down ended" "$t_up" "$(rfc3339_ms "$(json_get "$down" '0.ended_at')")"
assert_eq "$(json_get "$down" '0.after_deploy.to')" "9.9.9-report" "the outage linked to the deploy"
assert_eq "$(json_get "$report" 'd["actions"][-1]["action"]')" restart-app "the recovery action"
assert_eq "$(json_get "$report" 'd["actions"][-1]["result"]')" ok "... and its outcome"
gap_from=$(rfc3339_ms "$(json_get "$report" 'd["gaps"][0]["from"]')")
assert_le "$gap_from" "$t_killed" "the gap starts at the last record before the kill"
assert_ge "$(json_get "$report" 'd["gaps"][0]["seconds"]')" 11 "... and lasts the 12 s"
assert_eq "$(json_get "$report" 'd["skipped"]')" 0 "no record lost to the damaged tail"
linked=$(pick "$report" '[i for i in d["issues"] if i["type"] == "after_deploy"]')
assert_match "$(json_get "$linked" '0.message')" "^app down began [0-9.]+ s after deploy" \
	"the recorder linked the outage to the deploy as it happened"
assert_contains "$(cat record.log)" "issue opened: after_deploy:9.9.9-report (medium)" \
	"... and logged it"

assert_exit 0 "$OPSDECK" -c opsdeck.conf report --since 10m
assert_contains "$OUT" "DEPLOY $old_version -> 9.9.9-report (commit feedface0123)" "text: the deploy"
assert_match "$OUT" "OPENED app_down \(high\): .* after deploy $old_version -> 9.9.9-report" \
	"text: the outage after the deploy"
assert_match "$OUT" "CLEARED app_down after [0-9.]+ s" "text: its end"
assert_contains "$OUT" "nothing recorded for" "text: the gap"
assert_exit 0 "$OPSDECK" -c opsdeck.conf report --since 10m --markdown
assert_contains "$OUT" "| \`app_down\` | high |" "Markdown: the issue's row"
assert_exit 0 "$OPSDECK" -c opsdeck.conf report --since 10m --html
assert_contains "$OUT" "<svg" "HTML: charts"
assert_not_contains "$OUT" "<script" "HTML: no script"
assert_not_contains "$OUT" "src=" "HTML: no external asset"
"$_LIB_PY" -c 'import html.parser, sys; html.parser.HTMLParser().feed(sys.stdin.read())' <<<"$OUT" ||
	fail "HTML does not parse"

# the range: an RFC 3339 --since and --until that leave the outage out
before=$("$_LIB_PY" -c 'import datetime, sys
print(datetime.datetime.fromtimestamp(int(sys.argv[1]) / 1000 - 1, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00"))' "$t_down")
assert_exit 0 "$OPSDECK" -c opsdeck.conf report --since 10m --until "$before" --json
assert_eq "$(pick "$OUT" '[i for i in d["issues"] if i["id"] == "app_down"]')" "[]" \
	"--until before the outage leaves it out"

assert_exit 2 "$OPSDECK" -c opsdeck.conf report --since yesterday
assert_contains "$ERR" "--since 'yesterday' is not a duration" "a bad --since is named"
assert_exit 2 "$OPSDECK" -c opsdeck.conf report --until 12:00
assert_exit 2 "$OPSDECK" -c opsdeck.conf report --json --html
finish
