#!/usr/bin/env bash
# Connection groups and the Prisma pool arithmetic on the real PostgreSQL:
# sessions of named applications show in status (text, JSON, Prometheus,
# check perfdata), and 30 instances x connection_limit 5 do not fit in the
# stack's max_connections = 50, which diagnose says with the numbers.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
stack_use pg

# Three sessions of a worker and one of a web app, named for this run (the
# stack may be shared), that stay connected while opsdeck looks; their
# backends are ended at exit (killing psql leaves pg_sleep running).
worker=worker-$$
web=web-$$
on_exit psql_super "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name IN ('$worker', '$web')"
for app in $worker $worker $worker $web; do
	PGAPPNAME=$app PGPASSWORD=$PGPASSWORD "${PG_BINDIR:+$PG_BINDIR/}psql" -X -q -h 127.0.0.1 \
		-p "$PGPORT" -U app -d shop -c "SELECT pg_sleep(120)" >/dev/null 2>&1 &
	on_exit kill "$!"
done
for _ in $(seq 100); do
	n=$(psql_super "SELECT count(*) FROM pg_stat_activity WHERE application_name IN ('$worker', '$web')")
	[ "$n" -ge 4 ] && break
	sleep 0.1
done
assert_eq "$n" 4 "the four sessions are connected"

# DATABASE_URL carries connection_limit=5.
assert_contains "$DATABASE_URL" "connection_limit=5" "the stack's URL sets connection_limit"
write_stack_config pools.conf "instances = 30"

assert_exit 0 "$OPSDECK" -c pools.conf status --json
json=$OUT
assert_json "$json" "status --json"
assert_eq "$(json_get "$json" metrics.connections.state)" ok "connections read"
top='d["metrics"]["connections"]["by"]["application"]["top"]'
assert_eq "$(json_get "$json" "d[\"metrics\"] and {g[\"name\"]: g[\"count\"] for g in $top}.get(\"$worker\")")" 3 "the worker's sessions in the top applications"
assert_eq "$(json_get "$json" metrics.connections.usable)" 47 "usable: 50 less 3 reserved for superusers"
assert_eq "$(json_get "$json" metrics.connections.pool.need)" 150 "30 x 5"
assert_eq "$(json_get "$json" metrics.connections.pool.fits)" false "the pools do not fit"
assert_no_secrets "$json" "status --json"

run "$OPSDECK" -c pools.conf diagnose
assert_contains "$OUT" "30 instances × connection_limit 5 = 150 >" "diagnose names the numbers"
assert_contains "$OUT" "available" "and what is available"
assert_no_secrets "$OUT$ERR" "diagnose"

assert_exit 0 "$OPSDECK" -c pools.conf status
assert_contains "$OUT" "$worker 3" "text: groups"
assert_contains "$OUT" "pool: 30 instances x connection_limit 5 = 150" "text: pool"

assert_exit 0 "$OPSDECK" -c pools.conf status --prometheus
assert_prometheus "$OUT" "prometheus"
assert_contains "$OUT" "opsdeck_pg_connections_by_application{application=\"$worker\"} 3" "prometheus: top application"
assert_contains "$OUT" 'opsdeck_pg_connections_by_application{application="other"}' "prometheus: the rest as other"
assert_contains "$OUT" "opsdeck_pool_connections_needed 150" "prometheus: pool"

run "$OPSDECK" -c pools.conf check
assert_match "$OUT" "pool_need=150;;[0-9]+;0" "check perfdata"

# One instance of 5 fits: no pool issue.
write_stack_config fits.conf "instances = 1"
run "$OPSDECK" -c fits.conf diagnose
assert_not_contains "$OUT" "connection_limit 5 =" "one instance fits"
finish
