#!/usr/bin/env bash
# Redis under load on real servers: a slow EVAL in the slow log (command and
# first key only, never its secret argument), the latency monitor off then
# on, an ACL user without the admin commands (reported, never a failure),
# noeviction near maxmemory (and a write really refused), and a replica
# whose master is stopped.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
require_cmd redis-cli
stack_private redis,redisreplica
rcli() { REDISCLI_AUTH=$REDIS_PASSWORD redis-cli --no-auth-warning -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }
SECRET="s3cr3t-$(date +%s%N)-token"
LIMITED_PW="lim-$(date +%s%N)"
secrets_add "$SECRET" "$LIMITED_PW"

write_stack_config opsdeck.conf "timeout = 3s"
assert_exit 0 "$OPSDECK" -c opsdeck.conf status --json
assert_eq "$(json_get "$OUT" metrics.redis_load.latency_monitor)" off "latency monitor off"
assert_eq "$(json_get "$OUT" metrics.redis_load.latency_enable_hint)" \
	"CONFIG SET latency-monitor-threshold 100" "says how to enable it"
assert_eq "$(json_get "$OUT" metrics.redis_load.replication.connected_replicas)" 1 "one replica"
assert_eq "$(json_get "$OUT" 'd["metrics"]["redis_load"]["replication"]["replicas"][0]["state"]')" \
	online "replica online"

# A slow command, with a secret as an argument.
rcli CONFIG SET slowlog-log-slower-than 100000 >/dev/null
rcli CONFIG SET latency-monitor-threshold 100 >/dev/null
rcli EVAL "local t=redis.call('TIME') while true do local n=redis.call('TIME') if (n[1]-t[1])*1000000+(n[2]-t[2]) > 200000 then break end end return ARGV[1] ~= nil" \
	1 token:user42 "$SECRET" >/dev/null
assert_exit 0 "$OPSDECK" -c opsdeck.conf status --json
json=$OUT
assert_eq "$(json_get "$json" 'd["metrics"]["redis_load"]["slowlog"][0]["command"]')" eval \
	"slow log names the command"
assert_eq "$(json_get "$json" 'd["metrics"]["redis_load"]["slowlog"][0]["first_key"]')" \
	token:user42 "and its first key"
ms=$(json_get "$json" 'd["metrics"]["redis_load"]["slowlog"][0]["duration_ms"]')
assert_ge "${ms%.*}" 200 "with its duration"
assert_eq "$(json_get "$json" metrics.redis_load.latency_monitor)" on "latency monitor on"
assert_eq "$(json_get "$json" 'd["metrics"]["redis_load"]["latency"][0]["event"]')" command \
	"latency event recorded"
assert_no_secrets "$json" "status --json"
assert_exit 1 "$OPSDECK" -c opsdeck.conf diagnose --json
assert_contains "$OUT" '"type": "redis_slow_commands"' "slow-command issue"
assert_contains "$OUT" "slowest: eval on token:user42" "issue names command and key"
assert_contains "$OUT" '"type": "redis_latency"' "latency issue"
assert_no_secrets "$OUT" "diagnose --json"
run "$OPSDECK" -c opsdeck.conf status
assert_contains "$OUT" "eval token:user42" "text names it"
assert_no_secrets "$OUT" "status text"
run "$OPSDECK" -c opsdeck.conf status --prometheus
assert_prometheus "$OUT" "prometheus with the load families"
assert_contains "$OUT" 'opsdeck_redis_slowlog_duration_seconds{command="eval"}' "command label"
assert_not_contains "$OUT" "token:user42" "no key as a label"
assert_no_secrets "$OUT" "prometheus"
run "$OPSDECK" -c opsdeck.conf check
assert_contains "$OUT" "redis_slowlog_newest=" "perfdata"
assert_no_secrets "$OUT" "check"

# An ACL user without the admin commands: reported, the check stays ok.
rcli ACL SETUSER limited on ">$LIMITED_PW" '~*' +@read +@write +@connection +info -@admin >/dev/null
write_stack_config limited.conf "timeout = 3s" "[redis]" \
	"url = redis://limited:$LIMITED_PW@127.0.0.1:$REDIS_PORT/0"
assert_exit 0 "$OPSDECK" -c limited.conf status --json
assert_eq "$(json_get "$OUT" checks.redis.state)" ok "limited user: redis ok"
assert_eq "$(json_get "$OUT" metrics.redis_load.slowlog_access)" denied "slow log denied"
assert_eq "$(json_get "$OUT" metrics.redis_load.latency_access)" denied "latency denied"
assert_contains "$(json_get "$OUT" metrics.redis_load.access_error)" NOPERM "with the reason"
run "$OPSDECK" -c limited.conf status
assert_contains "$OUT" "slow log: not allowed for this ACL user" "text says so"
assert_no_secrets "$OUT" "limited user"

# noeviction near maxmemory: the rule says writes will fail, and they do.
used=$(rcli INFO memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p')
rcli CONFIG SET maxmemory-policy noeviction >/dev/null
rcli CONFIG SET maxmemory $((used + used / 20)) >/dev/null
head -c $((used / 10)) /dev/zero | tr '\0' x | rcli -x SET filler >/dev/null 2>&1 || true
assert_contains "$(head -c 200000 /dev/zero | tr '\0' y | rcli -x SET one-more 2>&1)" OOM \
	"a write is refused"
assert_exit 2 "$OPSDECK" -c opsdeck.conf diagnose --json
assert_contains "$OUT" '"type": "redis_noeviction"' "noeviction issue"
assert_contains "$OUT" "writes will fail with OOM" "its message"
rcli CONFIG SET maxmemory 0 >/dev/null

# The replica, then its master stopped.
write_stack_config replica.conf "timeout = 3s" "[redis]" "url = $REDIS_REPLICA_URL"
assert_exit 0 "$OPSDECK" -c replica.conf status --json
assert_eq "$(json_get "$OUT" metrics.redis_load.replication.master_link_up)" true "link up"
stack_stop redis
assert_exit 0 "$OPSDECK" -c replica.conf status --json
assert_eq "$(json_get "$OUT" checks.redis.state)" ok "the replica answers"
assert_eq "$(json_get "$OUT" metrics.redis_load.replication.master_link_up)" false "link down"
assert_exit 2 "$OPSDECK" -c replica.conf diagnose
assert_contains "$OUT" "This Redis replica's link to 127.0.0.1:$REDIS_PORT is down" \
	"replication issue names the master"
finish
