#!/usr/bin/env bash
# `status --prometheus` passes a strict check of the text exposition format
# and promtool check metrics, healthy or not.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
stack_use pg,redis,app
write_stack_config opsdeck.conf

before_ms=$(($(date +%s%N) / 1000000))
out=$("$OPSDECK" -c opsdeck.conf status --prometheus)
after_ms=$(($(date +%s%N) / 1000000))
assert_prometheus "$out"
assert_contains "$out" 'opsdeck_check_up{check="database"} 1'
# the snapshot's time to the millisecond (not rounded to 10 s by %.9g):
# plain digits, within the run
ts=$(sed -n 's/^opsdeck_snapshot_timestamp_seconds //p' <<<"$out")
assert_match "$ts" '^[0-9]{10}(\.[0-9]{1,3})?$' "timestamp in seconds, milliseconds kept"
ts_ms=$("$PYTHON3" -c 'import sys; print(round(float(sys.argv[1]) * 1000))' "$ts")
assert_ge "$ts_ms" "$before_ms" "timestamp not before the run"
assert_le "$ts_ms" "$after_ms" "timestamp not after the run"
assert_contains "$out" "opsdeck_pg_max_connections "
assert_contains "$out" "opsdeck_redis_memory_used_bytes "
assert_contains "$out" 'opsdeck_storage_used_ratio{path="/"} '

write_config down.conf <<EOF
[app]
timeout = 1s
health_url = http://127.0.0.1:1/
[database]
url = postgresql://app:x@127.0.0.1:1/shop
[redis]
url = redis://127.0.0.1:1/0
EOF
out=$("$OPSDECK" -c down.conf status --prometheus)
assert_prometheus "$out"
assert_contains "$out" 'opsdeck_check_up{check="redis"} 0'
assert_not_contains "$out" "opsdeck_redis_memory_used_bytes"
finish
