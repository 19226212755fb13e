#!/usr/bin/env bash
# Host names that do not resolve (under .invalid) in the database URL, the
# redis URL and the health URL. opsdeck runs in a mount namespace whose
# /etc/resolv.conf names only a resolver of this test on a loopback address,
# so no lookup leaves the machine (strace confirms nothing is sent off
# loopback).
#   NXDOMAIN: together under the dashboard, each row turns critical with a
#     reason naming the host it could not resolve, within two intervals,
#     while storage and version stay ok and keys are answered; one at a
#     time through the verbs, only the broken check is unhealthy.
#   A resolver that never answers: each row gives up at the probe timeout
#     (glibc alone would wait 10 s and more) and says so, keys are answered,
#     and the verbs answer within two intervals.
. "$OPSDECK_SRCDIR/tests/faults/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root for a private /etc/resolv.conf (unshare -m)"
unshare -m sh -c 'mount --bind /dev/null /etc/resolv.conf' 2>/dev/null ||
	skip "cannot bind-mount over /etc/resolv.conf in a mount namespace"
stack_private pg,redis,app

BAD=db.opsdeck-test.invalid
DB_BAD=${DATABASE_URL/@127.0.0.1:/@$BAD:}
REDIS_BAD=${REDIS_URL/@127.0.0.1:/@$BAD:}
HEALTH_BAD=${HEALTH_URL/\/\/127.0.0.1:/\/\/$BAD:}
assert_contains "$DB_BAD $REDIS_BAD $HEALTH_BAD" "//$BAD:" "the broken URLs"

# The resolver: a UDP server on 127.53.X.Y:53 that logs each question and
# answers NXDOMAIN (nxdomain) or nothing at all (silent).
DNS_ADDR=127.53.$((RANDOM % 250 + 1)).$((RANDOM % 250 + 1))
DNS_LOG=$TEST_DIR/dns.log
DNS_SERVER=
cat >fakedns.py <<'EOF'
import socket, struct, sys, time
addr, mode, log = sys.argv[1], sys.argv[2], sys.argv[3]
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind((addr, 53))
out = open(log, "a", buffering=1)
print("ready", flush=True)
while True:
    data, peer = sock.recvfrom(4096)
    i, labels = 12, []
    while i < len(data) and data[i]:
        labels.append(data[i + 1:i + 1 + data[i]].decode("ascii", "replace"))
        i += 1 + data[i]
    out.write("%.3f %s\n" % (time.time(), ".".join(labels)))
    if mode == "nxdomain" and i + 5 <= len(data):
        flags = 0x8183 if data[2] & 1 else 0x8083  # a response: NXDOMAIN
        sock.sendto(data[:2] + struct.pack("!HHHHH", flags, 1, 0, 0, 0) + data[12:i + 5], peer)
EOF
dns_stop() {
	[ -z "$DNS_SERVER" ] || kill "$DNS_SERVER" 2>/dev/null || true
	DNS_SERVER=
}
dns_start() { # MODE
	local i
	dns_stop
	: >dns.out
	"$_LIB_PY" fakedns.py "$DNS_ADDR" "$1" "$DNS_LOG" >dns.out 2>&1 &
	DNS_SERVER=$!
	for i in $(seq 1 100); do
		grep -q ready dns.out && return 0
		sleep 0.05
	done
	fail "the test resolver did not start on $DNS_ADDR:53: $(cat dns.out)"
	finish
}
on_exit dns_stop
printf 'nameserver %s\n' "$DNS_ADDR" >resolv.conf

# opsdeck, in a mount namespace of its own with that resolv.conf
cat >opsdeck-resolv <<EOF
#!/bin/sh
exec unshare -m sh -c 'mount --bind "\$0" /etc/resolv.conf && exec "\$@"' \\
	$(printf %q "$TEST_DIR/resolv.conf") $(printf %q "$OPSDECK") "\$@"
EOF
chmod +x opsdeck-resolv
OPSDECK=$TEST_DIR/opsdeck-resolv

fault_config all.conf "health_url = $HEALTH_BAD" "[database]" "url = $DB_BAD" \
	"slow_query_ms = 100000" "[redis]" "url = $REDIS_BAD"
fault_config database.conf "[database]" "url = $DB_BAD" "slow_query_ms = 100000"
fault_config redis.conf "[database]" "slow_query_ms = 100000" "[redis]" "url = $REDIS_BAD"
fault_config health.conf "health_url = $HEALTH_BAD" "[database]" "slow_query_ms = 100000"

# ---- NXDOMAIN, all three together, under the dashboard
dns_start nxdomain
fault_dashboard 200 40 all.conf
assert_reported "x CRIT database" "nxdomain"
assert_reported "x CRIT redis" "nxdomain"
assert_reported "x CRIT app" "nxdomain"
assert_match "$SCREEN" "database +[^|]*could not translate host name \"$BAD\"" "the database row's reason"
assert_match "$SCREEN" "redis +[^|]*could not resolve host $BAD" "the redis row's reason"
assert_match "$SCREEN" "app +[^|]*could not resolve host $BAD" "the app row's reason"
assert_contains "$SCREEN" "+ OK   1.4.2" "the version panel"
assert_contains "$SCREEN" "+ OK   /  " "the storage row"
assert_alive
assert_verbs all.conf checks.database.state unhealthy 2
assert_eq "$(json_get "$FAULT_JSON" checks.redis.state)" unhealthy "status --json redis"
assert_eq "$(json_get "$FAULT_JSON" checks.health.state)" unhealthy "status --json health"
assert_eq "$(json_get "$FAULT_JSON" checks.storage.state)" ok "status --json storage"
assert_no_secrets "$FAULT_JSON$SCREEN" "status --json and the screen"
fault_quit
assert_terminal_usable
assert_contains "$(cat "$DNS_LOG")" "$BAD" "the lookups reached the test's resolver"

# ---- NXDOMAIN, one at a time, through the verbs
for check in database redis health; do
	elapsed_ms "$OPSDECK" -c "$check.conf" status --json >/dev/null
	ms=$ELAPSED_MS json=$OUT
	echo "# status --json with only $check unresolvable: $ms ms"
	assert_le "$ms" $((2 * FAULT_INTERVAL * 1000)) "$check alone: status answered within two intervals (ms)"
	assert_eq "$(json_get "$json" "checks.$check.state")" unhealthy "$check alone: its state"
	assert_match "$(json_get "$json" "checks.$check.error")" "(could not resolve host |could not translate host name \")$BAD" "$check alone: its error"
	for other in database redis health storage; do
		[ "$other" = "$check" ] ||
			assert_eq "$(json_get "$json" "checks.$other.state")" ok "$check alone: $other"
	done
	assert_exit 2 "$OPSDECK" -c "$check.conf" check
done

# ---- nothing sent off loopback (a one-shot run, every thread traced)
if command -v strace >/dev/null 2>&1; then
	# LeakSanitizer cannot run under ptrace (a sanitizer build's run would
	# end in its fatal error): leaks are checked by every other run
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -qq -e trace=connect,sendto,sendmsg,sendmmsg -o trace.txt \
		"$OPSDECK" -c all.conf status --json >/dev/null 2>&1 || true
	addrs=$(grep -oE 'inet_addr\("[^"]*"\)|inet_pton\(AF_INET6, "[^"]*"' trace.txt | sort -u)
	assert_contains "$addrs" "inet_addr(\"$DNS_ADDR\")" "strace: the lookups went to the test's resolver"
	offbox=$(printf '%s\n' "$addrs" | grep -vE '"(127\.[0-9.]+|::1|::ffff:127\.[0-9.]+)"' || true)
	assert_eq "$offbox" "" "strace: addresses off loopback that opsdeck sent to"
else
	echo "# strace is not installed: the off-loopback check is not run" >&2
fi

# ---- a resolver that never answers: each probe gives up at its timeout
dns_start silent
: >"$DNS_LOG"
_tui_kill "$TUI_SOCKET"
TUI_SOCKET=$TUI_SOCKET-silent
fault_dashboard 200 40 all.conf
assert_reported "x CRIT database" "silent resolver"
assert_reported "x CRIT redis" "silent resolver"
assert_reported "x CRIT app" "silent resolver"
assert_match "$SCREEN" "database +[^|]*timed out after 1.0 s resolving $BAD" "silent resolver: the database row's reason"
assert_match "$SCREEN" "redis +[^|]*timed out after 1.0 s resolving $BAD" "silent resolver: the redis row's reason"
assert_match "$SCREEN" "app +[^|]*timed out after 1.0 s" "silent resolver: the app row's reason"
assert_contains "$SCREEN" "+ OK   /  " "silent resolver: the storage row"
assert_alive
fault_quit
assert_terminal_usable
elapsed_ms "$OPSDECK" -c database.conf status --json >/dev/null
echo "# silent resolver: status --json with only the database unresolvable took $ELAPSED_MS ms (timeout ${FAULT_TIMEOUT} s)"
assert_le "$ELAPSED_MS" $((2 * FAULT_INTERVAL * 1000)) "silent resolver: status answered within two intervals (ms)"
assert_eq "$(json_get "$OUT" checks.database.state)" unhealthy "silent resolver: status --json database"
assert_eq "$(json_get "$OUT" checks.redis.state)" ok "silent resolver: status --json redis"
elapsed_ms "$OPSDECK" -c all.conf check >/dev/null
echo "# silent resolver: check with all three unresolvable took $ELAPSED_MS ms"
assert_eq "$RC" 2 "silent resolver: check exit status"
assert_le "$ELAPSED_MS" $((2 * FAULT_INTERVAL * 1000)) "silent resolver: check answered within two intervals (ms)"
assert_contains "$(cat "$DNS_LOG")" "$BAD" "silent resolver: the lookups reached the test's resolver"
finish
