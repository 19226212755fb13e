#!/usr/bin/env bash
# `status --prometheus` passes a strict check of the text exposition format,
# healthy or not.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
stack_use pg,redis,app
write_stack_config opsdeck.conf

out=$("$OPSDECK" -c opsdeck.conf status --prometheus)
assert_exit 0 "$PYTHON3" "$OPSDECK_SRCDIR/tests/stack/prometheus_check.py" <<<"$out"
assert_contains "$out" 'opsdeck_check_up{check="database"} 1'
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
assert_exit 0 "$PYTHON3" "$OPSDECK_SRCDIR/tests/stack/prometheus_check.py" <<<"$out"
assert_contains "$out" 'opsdeck_check_up{check="redis"} 0'
assert_not_contains "$out" "opsdeck_redis_memory_used_bytes"
finish
