#!/usr/bin/env bash
# Hostile text in every field that reaches the screen or the output: escape
# sequences (OSC 0 title, OSC 52 clipboard, DCS and tmux passthrough, CSI
# clear screen, cursor moves, a status report request), BEL, C1 controls in
# UTF-8 and as raw bytes, invalid and overlong UTF-8, surrogates, the RTL
# override U+202E, and 100 kB lines with no newline. They come from
# /api/version and version_file, the health endpoint's body, a PostgreSQL
# error (a database name in the URL, echoed by the server), a slow query's
# text in pg_stat_statements, request paths in the request log, a Redis
# error statistic, the names of backed
# up files, and the audit log. Checked: the dashboard's raw terminal stream
# carries none of the payload's sequences and no control or invalid byte
# outside ncurses' own escapes, the pane title is unchanged, the layout
# stays in place; status/check/diagnose/backup/audit text has no C0/C1 byte
# but newline; the JSON outputs parse; --prometheus is valid; memory stays
# bounded with the 100 kB lines.
. "$OPSDECK_SRCDIR/tests/faults/lib.sh"
# Private: version.json of the sample app is rewritten.
stack_private pg,redis,app
export LC_ALL=C.UTF-8

PAYLOAD=$'\e]0;PWNED\a\e]52;c;cHduZWQ=\a\ePqDCS\e\\\ePtmux;\e\e]0;PWNED\a\e\\'
PAYLOAD+=$'\e[2J\e[6n\e[5;5H\e[A\a\xc2\x9b31m\xc2\x85\x9b2J\xff\xfe\xc0\x9b\xe0\x80\x9b\xed\xa0\x80'
PAYLOAD+=$'\xe2\x80\xaeRTL\r\nnext line'
BIG=$(head -c 100000 /dev/zero | tr '\0' 'x')

# harmless FILE [terminal]: exit 0 when FILE is valid UTF-8 with no C0 (but
# newline), DEL, C1 or bidirectional control, else print what is wrong. With
# `terminal`, ESC is allowed as ncurses uses it, but none of the payload's
# sequences (OSC, DCS, clear screen, status report) may appear.
harmless() {
	"$_LIB_PY" - "$@" <<'EOF'
import re, sys
data = open(sys.argv[1], "rb").read()
terminal = len(sys.argv) > 2
problems = []
for marker in (b"\x1b]", b"\x1bP", b"\x1b[2J", b"\x1b[6n", b"\x07"):
    if marker in data:
        problems.append("the sequence %r" % marker)
try:
    text = data.decode("utf-8")
except UnicodeDecodeError as exc:
    problems.append("invalid UTF-8 at byte %d: %r" % (exc.start, data[exc.start:exc.start + 8]))
    text = data.decode("utf-8", "replace")
# ncurses' own: ESC, CR, BS, TAB, and SO/SI for the line-drawing set
allowed = "\n" + ("\x1b\r\b\t\x0e\x0f" if terminal else "")
for i, c in enumerate(text):
    o = ord(c)
    if (o < 0x20 and c not in allowed) or 0x7f <= o <= 0x9f or 0x202a <= o <= 0x202e \
            or 0x2066 <= o <= 0x2069 or o in (0x200e, 0x200f, 0x61c):
        problems.append("U+%04X at %d: %r" % (o, i, text[max(0, i - 20):i + 20]))
        break
if problems:
    print("; ".join(problems))
    sys.exit(1)
EOF
}

assert_harmless() { # FILE WHAT [terminal]
	local why
	if why=$(harmless "$1" ${3:+"$3"}); then
		pass "$2: no control byte, no payload sequence, valid UTF-8"
	else
		fail "$2: $why"
	fi
}

# run_saved NAME CMD...: run CMD; NAME.out and NAME.err hold its output
run_saved() {
	local name=$1
	shift
	RC=0
	"$@" >"$name.out" 2>"$name.err" || RC=$?
}

# ---------------------------------------------------------------- sources

# version.json (served by the sample app at /api/version, and read as
# version_file): every field hostile, raw bytes and \u escapes.
write_version() {
	{
		printf '{"version": "1.0%s\\u001b]0;PWNED\\u0007\\u009b2J\\u202e", ' "$1"
		printf '"buildNumber": "%s", "commitHash": "%s", "buildDate": "%s"}' "$1" "$1" "$1"
	} >"$APP_DIR/public/version.json"
}
json_payload=${PAYLOAD//\\/\\\\}
json_payload=${json_payload//\"/\\\"}
json_payload=${json_payload//$'\r'/\\r}
json_payload=${json_payload//$'\n'/\\n}
json_payload=${json_payload//$'\t'/\\t}
write_version "$json_payload"

# The health endpoint: a tiny server of our own, 500 with the body in a file.
printf '%s' "$PAYLOAD" >health_body
"$_LIB_PY" - "$TEST_DIR" <<'EOF' &
import os, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
root = sys.argv[1]
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    def log_message(self, *args):
        pass
    def do_GET(self):
        with open(os.path.join(root, "health_body"), "rb") as f:
            body = f.read()
        self.send_response(500)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(os.path.join(root, "health_port.tmp"), "w") as f:
    f.write(str(server.server_address[1]))
os.rename(os.path.join(root, "health_port.tmp"), os.path.join(root, "health_port"))
server.serve_forever()
EOF
on_exit kill $!
for _ in $(seq 100); do [ -s health_port ] && break; sleep 0.05; done
HOSTILE_HEALTH=http://127.0.0.1:$(cat health_port)/api/health

# A database that does not exist, named with the payload: the server's
# FATAL message echoes the name.
pg_name=$'\e]0;PWNED\a\e[2J\xc2\x9b31m\xe2\x80\xaeno_db'
pg_name_url=$("$_LIB_PY" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1].encode("utf-8", "surrogateescape"), safe=""))' "$pg_name")
HOSTILE_DB=postgresql://app:$PGPASSWORD@127.0.0.1:$PGPORT/$pg_name_url

# A slow query whose comment holds the payload (less its invalid UTF-8,
# which PostgreSQL refuses), and one of 100 kB.
pg_payload=$(printf '%s' "$PAYLOAD" | iconv -f utf-8 -t utf-8 -c 2>/dev/null || true)
psql_app "SELECT 1 AS hostile FROM pg_sleep(1.1) /* $pg_payload */" >/dev/null
psql_app "SELECT 2 AS hostile_big FROM pg_sleep(1.1) /* $BIG */" >/dev/null

# Request paths holding the payload and 100 kB, answered 500: the error-rate
# issue, status and the dashboard's details name them (the breakdown by
# path).
psql_app "INSERT INTO \"RequestLog\" (\"timestamp\", \"duration\", \"statusCode\", \"path\")
SELECT (now() AT TIME ZONE 'UTC') - make_interval(secs => g), 50, 500,
       CASE WHEN g % 2 = 0 THEN '/$pg_payload' ELSE '/$BIG' END
  FROM generate_series(1, 400) AS g" >/dev/null

# A Redis error statistic named with escapes (INFO errorstats).
REDISCLI_AUTH=$REDIS_PASSWORD redis-cli -h 127.0.0.1 -p "$REDIS_PORT" \
	EVAL $'return redis.error_reply("\e]0;PWNED\a\xc2\x9b boom")' 0 >/dev/null 2>&1 || true
assert_contains "$(REDISCLI_AUTH=$REDIS_PASSWORD redis-cli -h 127.0.0.1 -p "$REDIS_PORT" INFO errorstats)" \
	$'errorstat_\e]0;PWNED' "precondition: INFO errorstats carries an escape"

# Files to back up, named with ESC, a newline and a C1 control.
mkdir -p files target
printf 'a\n' >"files/evil"$'\e]0;PWNED\a\nname\xc2\x9b'".txt"
printf 'b\n' >"files/plain.txt"

common=("[backup]" "target = file://$TEST_DIR/target" "files_source = $TEST_DIR/files"
	"[recovery]" "audit_log = $TEST_DIR/audit.jsonl")
# H: hostile database name, health body and /api/version
fault_config hostile.conf "health_url = $HOSTILE_HEALTH" "[database]" "url = $HOSTILE_DB" \
	"${common[@]}"
# F: the real database (the slow queries), version_file alone
fault_config file.conf "version_url =" "${common[@]}"

# ---------------------------------------------------------------- outputs

# A backup of the files, as a user with a hostile name from a hostile SSH
# client (both go to the audit log), and a crafted line in the log.
run_saved backup env USER=$'\e]0;PWNED\a' SSH_CLIENT=$'\e[2J\xc2\x9b 22 22' \
	"$OPSDECK" -c file.conf backup files
assert_eq "$RC" 0 "backup files exit status"
assert_harmless backup.out "backup files (stdout)"
assert_harmless backup.err "backup files (stderr)"
printf '{"time":"%s","user":"\\u001b]0;PWNED\\u0007","action":"clear-cache\\u009b2J",' \
	"$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>audit.jsonl
printf '"target":"%s","result":"ok\\u202e\xc2\x9b\xff","event":"outcome"}\n' "$BIG" >>audit.jsonl
run_saved audit "$OPSDECK" -c file.conf audit
assert_eq "$RC" 0 "audit exit status"
assert_contains "$(cat audit.out)" "backup-files" "audit lists the backup"
assert_harmless audit.out "audit"
assert_harmless audit.err "audit (stderr)"
assert_le "$(wc -L <audit.out)" 20000 "audit's longest line"
run_saved audit_json "$OPSDECK" -c file.conf audit --json
assert_json "$(cat audit_json.out)" "audit --json"
assert_harmless audit_json.out "audit --json"
run_saved list "$OPSDECK" -c file.conf backup list
assert_harmless list.out "backup list"
run_saved list_json "$OPSDECK" -c file.conf backup list --json
assert_json "$(cat list_json.out)" "backup list --json"
assert_harmless list_json.out "backup list --json"

for conf in hostile file; do
	run_saved "$conf.status" "$OPSDECK" -c "$conf.conf" status
	assert_harmless "$conf.status.out" "status ($conf)"
	run_saved "$conf.json" "$OPSDECK" -c "$conf.conf" status --json
	assert_json "$(cat "$conf.json.out")" "status --json ($conf)"
	assert_harmless "$conf.json.out" "status --json ($conf)"
	run_saved "$conf.prom" "$OPSDECK" -c "$conf.conf" status --prometheus
	assert_prometheus "$(cat "$conf.prom.out")" "status --prometheus ($conf)"
	assert_harmless "$conf.prom.out" "status --prometheus ($conf)"
	run_saved "$conf.check" "$OPSDECK" -c "$conf.conf" check
	assert_harmless "$conf.check.out" "check ($conf)"
	run_saved "$conf.diag" "$OPSDECK" -c "$conf.conf" diagnose
	assert_harmless "$conf.diag.out" "diagnose ($conf)"
	run_saved "$conf.diagj" "$OPSDECK" -c "$conf.conf" diagnose --json
	assert_json "$(cat "$conf.diagj.out")" "diagnose --json ($conf)"
	assert_harmless "$conf.diagj.out" "diagnose --json ($conf)"
done
json=$(cat hostile.json.out)
assert_contains "$(json_get "$json" checks.database.error)" "no_db" "the database error is shown"
assert_contains "$(json_get "$json" checks.database.error)" "]0;PWNED" "...with the payload made inert"
assert_contains "$(json_get "$json" version.version)" "1.0" "the version is shown"
json=$(cat file.json.out)
assert_eq "$(json_get "$json" "d['metrics']['slow_queries'] and any('hostile' in (q['query'] or '') for q in d['metrics']['slow_queries']['queries'])")" \
	true "the hostile slow query is listed"
assert_eq "$(json_get "$json" "d['metrics'] and any(']0;PWNED' in e['path'] for e in d['metrics']['requests']['endpoints']['most_errors'])")" \
	true "the hostile request path is named, made inert"
assert_eq "$(json_get "$json" "d['metrics'] and max(len(e['path'].encode()) for e in d['metrics']['requests']['endpoints']['most_errors']) < 96")" \
	true "the 100 kB request path is cut"
assert_contains "$(cat file.diag.out)" "]0;PWNED" \
	"diagnose names the hostile path"

# ---------------------------------------------------------------- dashboard

# pane_title: what the pane's title is, which OSC 0/2 would change
pane_title() { _tui display-message -p -t tui '#{pane_title}'; }

# check_dashboard RAW WHAT: the recorded stream and the screen after a run
check_dashboard() {
	assert_eq "$(pane_title)" "$title" "$2: the pane title"
	SCREEN=$(tui_screen)
	for t in Version Health Performance Issues "Slow queries" Activity; do
		assert_contains "$SCREEN" "$t" "$2: the layout"
	done
	assert_match "$(printf '%s\n' "$SCREEN" | head -n 1)" "^ [^ ]+ (OK|WARNING|CRITICAL|WAITING|NOT CONFIGURED) " "$2: the header in place"
	assert_match "$(printf '%s\n' "$SCREEN" | tail -n 1)" "^ q Quit" "$2: the key bar in place"
	assert_harmless "$1" "$2: the raw terminal stream" terminal
}

TUI_ENV="LC_ALL=C.UTF-8"
fault_dashboard_recorded 140 40 hostile.conf raw1
title=$(pane_title)
assert_reported "no_db" "the database error"
assert_reported "HTTP 500" "the health endpoint"
assert_reported "1.0" "the version"
check_dashboard raw1 "hostile sources"

# The same with 100 kB lines: health body, version fields.
printf '%s' "$BIG" >health_body
write_version "$BIG"
pid=$(tui_pid)
sleep $((2 * FAULT_INTERVAL))
rss0=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
sleep $((3 * FAULT_INTERVAL))
rss1=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
if built_with_asan; then
	echo "# AddressSanitizer's quarantine keeps freed memory: RSS is not checked" >&2
else
	assert_lt "$((rss1 - rss0))" 2048 "kB of RSS growth over three refreshes of 100 kB lines"
	assert_lt "$hwm" 65536 "peak RSS in kB"
fi
check_dashboard raw1 "100 kB lines"
assert_alive
fault_quit
assert_terminal_usable
_tui_kill "$TUI_SOCKET"

# The slow queries (list and details), Activity and the backup list.
TUI_SOCKET=$TUI_SOCKET-2
write_version "$json_payload"
fault_dashboard_recorded 140 40 file.conf raw2
title=$(pane_title)
# The dashboard lists the calls made since it started: the hostile
# statements again, once its first poll took the baseline.
assert_screen "no statement slower than" 10
psql_app "SELECT 1 AS hostile FROM pg_sleep(1.1) /* $pg_payload */" >/dev/null
psql_app "SELECT 2 AS hostile_big FROM pg_sleep(1.1) /* $BIG */" >/dev/null
tui_keys BTab BTab
assert_screen $'\xe2\x96\xb8 Slow queries'
assert_reported "hostile" "the slow queries"
for _ in 1 2 3 4 5 6; do
	tui_keys Enter
	tui_wait "Slow query " 2 || break
	[[ $SCREEN == *hostile* ]] && break
	tui_keys Escape Down
done
assert_contains "$SCREEN" "PWNED" "the details of the hostile query, made inert"
tui_keys Escape
assert_screen_gone "Slow query "
check_dashboard raw2 "slow query details"
# a files backup of the hostile names from the dashboard, then the list
tui_keys b f
assert_screen "Start? (y / Esc)"
tui_keys y
assert_screen "backup files: backed up 2 files" 30
tui_keys Escape b l
assert_screen "2 backup(s) at"
tui_keys Escape
assert_screen_gone "backup(s) at"
check_dashboard raw2 "files backup and list"
assert_alive
fault_quit
assert_terminal_usable
finish
