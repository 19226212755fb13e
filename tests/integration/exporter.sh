#!/usr/bin/env bash
# `opsdeck exporter` against the real stack: /metrics parses (the format
# checker and promtool) and holds the families of `status --prometheus`
# plus each polled check's probe age and duration; /healthz answers ok;
# HEAD works, POST/PUT/DELETE are 405 with Allow, a body 413, an unknown
# path or a directory 404, a huge request line 414 and huge headers 431; a
# client that sends half a request neither blocks another scrape nor keeps
# its connection past the idle timeout; connections past the limit are
# closed at once. With the health endpoint hung (its probe waits for a 10 s
# timeout) a scrape still answers long before the timeout, showing the
# probe's age growing. SIGHUP reloads (Redis pointed at a closed port turns
# unhealthy), SIGTERM and SIGINT exit 0, a port in use exits 1, a bad
# --listen 2. No secret appears in /metrics or the log.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
require_cmd curl ss
stack_private pg,redis,app

write_stack_config opsdeck.conf "timeout = 10s"

# start_exporter LOG [ARG]...: in the background on a free loopback port;
# sets EXP_PID and EXP_URL once it listens
start_exporter() {
	local log=$1
	shift
	"$OPSDECK" -c opsdeck.conf exporter --listen 127.0.0.1:0 --interval 1s "$@" 2>"$log" &
	EXP_PID=$!
	on_exit kill -9 "$EXP_PID"
	wait_until 10 grep -q 'serving http://' "$log" || fail "not listening: $(cat "$log")"
	EXP_URL=$(sed -n 's|.* serving \(http://[^ ]*\)/metrics,.*|\1|p' "$log")
}

# get PATH [CURL ARG]...: sets CODE and BODY
get() {
	local path=$1
	shift
	BODY=$(curl -s --max-time 5 -o - -w '\n%{http_code}' "$@" "$EXP_URL$path")
	CODE=${BODY##*$'\n'}
	BODY=${BODY%$'\n'*}
	BODY=${BODY%$'\n'}
}

# stop_exporter SIGNAL: sets RC to its exit status
stop_exporter() {
	kill "-$1" "$EXP_PID"
	RC=0
	wait "$EXP_PID" || RC=$?
}

metrics_ready() { get /metrics && [ "$CODE" = 200 ]; }
metric_is() { get /metrics && grep -qxF "$1" <<<"$BODY"; }

# ------------------------------------------------------------ /metrics
start_exporter exp1.log
assert_match "$EXP_URL" '^http://127\.0\.0\.1:[0-9]+$' "the bound address is logged"
wait_until 20 metrics_ready || fail "no /metrics within 20 s: $CODE $BODY"
assert_eq "$CODE" 200 "/metrics"
assert_prometheus "$BODY" "/metrics"
page=$BODY
assert_contains "$page" 'opsdeck_check_up{check="database"} 1' "/metrics"
assert_contains "$page" 'opsdeck_check_up{check="redis"} 1' "/metrics"
assert_contains "$page" 'opsdeck_check_up{check="health"} 1' "/metrics"
for check in database redis health storage version; do
	assert_match "$page" "opsdeck_probe_age_seconds\{check=\"$check\"\} [0-9.e-]+" "probe age"
	assert_match "$page" "opsdeck_probe_duration_seconds\{check=\"$check\"\} [0-9.e-]+" "probe duration"
done
assert_contains "$(curl -s -D - -o /dev/null "$EXP_URL/metrics")" \
	"Content-Type: text/plain; version=0.0.4" "the exposition's content type"
# the families are those of status --prometheus, and the two of the probes
families() { sed -n 's/^# TYPE \([a-z_]*\) .*/\1/p' | sort; }
want=$({
	"$OPSDECK" -c opsdeck.conf status --prometheus | families
	printf '%s\n' opsdeck_probe_age_seconds opsdeck_probe_duration_seconds
} | sort)
assert_eq "$(families <<<"$page")" "$want" "the families of /metrics"
assert_contains "$page" "opsdeck_history_recording 0" "the recorder's state: none runs"
assert_no_secrets "$page" "/metrics"

# ------------------------------------------------------------ HTTP
get /healthz
assert_eq "$CODE $BODY" "200 ok" "/healthz"
run curl -s --max-time 5 --head -o /dev/null -w '%{http_code} %{size_download}' "$EXP_URL/metrics"
assert_eq "$OUT" "200 0" "HEAD /metrics: 200, no body"
for method in POST PUT DELETE OPTIONS; do
	headers=$(curl -s --max-time 5 -X "$method" -D - -o /dev/null "$EXP_URL/metrics")
	assert_match "$headers" '^HTTP/1\.1 405' "$method /metrics"
	assert_contains "$headers" "Allow: GET, HEAD" "$method's Allow"
done
get /metrics -X GET --data-binary 'x=1'
assert_eq "$CODE" 413 "GET with a body"
for path in / /metrics/ /healthz/ /metrics/x /index.html /../metrics /%2e%2e/etc/passwd; do
	get "$path" --path-as-is
	assert_eq "$CODE" 404 "GET $path"
done
get "/$(head -c 20000 /dev/zero | tr '\0' a)"
assert_eq "$CODE" 414 "a 20 kB request line"
get /metrics -H "X-Padding: $(head -c 20000 /dev/zero | tr '\0' a)"
assert_eq "$CODE" 431 "20 kB of headers"

# A client that sends half a request: another scrape answers meanwhile,
# and the server closes the slow one after its idle timeout (5 s).
run "$_LIB_PY" - "${EXP_URL#http://}" <<'PY'
import socket, subprocess, sys, time
host, port = sys.argv[1].rsplit(":", 1)
slow = socket.create_connection((host, int(port)))
slow.sendall(b"GET /metr")
url = "http://%s:%s/metrics" % (host, port)
code = subprocess.run(["curl", "-s", "--max-time", "3", "-o", "/dev/null", "-w", "%{http_code}", url],
                      capture_output=True, text=True).stdout
print("other", code)
slow.settimeout(20)
start = time.monotonic()
try:
    data = slow.recv(4096)
except socket.timeout:
    data = None
print("slow", "closed" if data is not None else "open", "after %d s" % round(time.monotonic() - start))
PY
assert_contains "$OUT" "other 200" "a scrape beside a half-sent request"
assert_match "$OUT" "slow closed after [0-9] s" "the half-sent request is dropped after the idle timeout"

# At most 32 connections at once: of 40 idle clients the server holds 32
# (the others wait in the kernel's queue), and drops them after the idle
# timeout, so a scrape behind them is answered then.
"$_LIB_PY" - "${EXP_URL#http://}" >idle.log 2>&1 <<'PY' &
import socket, sys, time
host, port = sys.argv[1].rsplit(":", 1)
conns = [socket.create_connection((host, int(port))) for _ in range(40)]
print("open", flush=True)
time.sleep(30)
PY
idle_pid=$!
on_exit kill "$idle_pid"
wait_until 10 grep -q open idle.log || fail "could not open 40 connections: $(cat idle.log)"
port=${EXP_URL##*:}
held() { ss -Htnp state established "( sport = :$port )" | grep -c "pid=$EXP_PID,"; }
wait_until 5 test "$(held)" -ge 32
assert_eq "$(held)" 32 "connections the server holds of 40"
run curl -s --max-time 25 -o /dev/null -w '%{http_code}' "$EXP_URL/metrics"
assert_eq "$OUT" 200 "a scrape behind 40 idle connections, once they time out"
kill "$idle_pid"

# ------------------------------------------------------------ a hung backend
echo hang >"$APP_DIR/health_mode"
# its probe is in flight: its age passes 3 s (the interval is 1 s)
aged() {
	get /metrics && [[ $BODY =~ opsdeck_probe_age_seconds\{check=\"health\"\}\ ([0-9]+) ]] &&
		[ "${BASH_REMATCH[1]}" -ge 3 ]
}
wait_until 15 aged || fail "the health probe's age never passed 3 s"
elapsed_ms curl -s --max-time 8 -o /dev/null -w '%{http_code}' "$EXP_URL/metrics" >/dev/null
assert_eq "$OUT" 200 "a scrape while the health endpoint hangs"
assert_lt "$ELAPSED_MS" 5000 "it answers long before the 10 s timeout ($ELAPSED_MS ms)"
get /healthz
assert_eq "$CODE" 200 "/healthz while one probe hangs"
assert_contains "$BODY" ok "/healthz"
echo ok >"$APP_DIR/health_mode"

# ------------------------------------------------------------ reload, signals
write_stack_config opsdeck.conf "timeout = 10s" "[redis]" "url = redis://127.0.0.1:9/0"
kill -HUP "$EXP_PID"
wait_until 20 metric_is 'opsdeck_check_up{check="redis"} 0' || fail "SIGHUP did not reload"
assert_contains "$(cat exp1.log)" "configuration reloaded from opsdeck.conf" "the reload is logged"
stop_exporter TERM
assert_eq "$RC" 0 "exit status after SIGTERM"
assert_contains "$(cat exp1.log)" "stopping (SIGTERM)" "the stop is logged"
assert_no_secrets "$(cat exp1.log)" "the log"

write_stack_config opsdeck.conf
start_exporter exp2.log
stop_exporter INT
assert_eq "$RC" 0 "exit status after SIGINT"

# ------------------------------------------------------------ errors
"$_LIB_PY" -c 'import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True); time.sleep(30)' >busy.port &
on_exit kill "$!"
wait_until 5 test -s busy.port
assert_exit 1 "$OPSDECK" -c opsdeck.conf exporter --listen "127.0.0.1:$(cat busy.port)"
assert_contains "$ERR" "Address already in use" "a port in use"
assert_exit 2 "$OPSDECK" -c opsdeck.conf exporter --listen 127.0.0.1
assert_contains "$ERR" "--listen '127.0.0.1': want ADDRESS:PORT" "a --listen without a port"
assert_exit 2 "$OPSDECK" -c opsdeck.conf exporter --listen 127.0.0.1:99999
assert_exit 2 "$OPSDECK" -c opsdeck.conf exporter extra
finish
