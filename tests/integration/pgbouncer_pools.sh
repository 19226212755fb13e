#!/usr/bin/env bash
# PgBouncer's pools on a real PgBouncer in front of the real PostgreSQL:
# with default_pool_size 1, one client holds the pool's only server
# connection (pg_sleep) and two more wait for it; status (text, JSON,
# Prometheus, check perfdata) shows the waiting clients of pool shop/app and
# diagnose names the pool. Not configured and unreachable consoles are
# reported as such; no password in any output.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
# Private: the test shrinks the pool at run time.
stack_private pg,pgbouncer
psql_bin=${PG_BINDIR:+$PG_BINDIR/}psql

bouncer_admin() {
	PGPASSWORD=$PGBOUNCER_ADMIN_PASSWORD "$psql_bin" -X -q -A -F ' ' -h 127.0.0.1 \
		-p "$PGBOUNCER_PORT" -U pgbadmin -d pgbouncer -c "$1"
}
# A client of the app through PgBouncer, in the background, ended at exit
# (its backend too: killing psql leaves pg_sleep running).
bouncer_client() {
	PGAPPNAME=held-$$ PGPASSWORD=$PGPASSWORD "$psql_bin" -X -q -h 127.0.0.1 -p "$PGBOUNCER_PORT" \
		-U app -d shop -c "SELECT pg_sleep($1)" >/dev/null 2>&1 &
	on_exit kill "$!"
}
# SHOW POOLS' column named $1 for pool shop/app.
pool_column() {
	bouncer_admin "SHOW POOLS" | awk -v name="$1" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i }
		NR > 1 && $1 == "shop" && $2 == "app" && c { print $c }'
}
on_exit psql_super "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = 'app' AND query LIKE 'SELECT pg_sleep%'"

assert_contains "$PGBOUNCER_URL" "pgbouncer=true" "the stack's app URL through PgBouncer is Prisma style"
bouncer_admin "SET default_pool_size = 1" >/dev/null
bouncer_client 20
for _ in $(seq 200); do
	[ "$(pool_column sv_active)" = 1 ] && break
	sleep 0.1
done
assert_eq "$(pool_column sv_active)" 1 "one server connection is held"
bouncer_client 1
bouncer_client 1
for _ in $(seq 200); do
	[ "$(pool_column cl_waiting)" -ge 2 ] 2>/dev/null && break
	sleep 0.1
done
assert_ge "$(pool_column cl_waiting)" 2 "two clients wait for it"

write_stack_config bouncer.conf "[database]" "pgbouncer_admin_url = $PGBOUNCER_ADMIN_URL"

assert_exit 0 "$OPSDECK" -c bouncer.conf status --json
json=$OUT
assert_json "$json" "status --json"
assert_eq "$(json_get "$json" metrics.pgbouncer.state)" ok "pgbouncer read"
assert_eq "$(json_get "$json" metrics.pgbouncer.pools.0.pool)" shop/app "the pool with waiting clients first"
assert_ge "$(json_get "$json" metrics.pgbouncer.pools.0.cl_waiting)" 1 "its waiting clients"
assert_eq "$(json_get "$json" metrics.pgbouncer.pools.0.sv_active)" 1 "its one busy server connection"
assert_eq "$(json_get "$json" metrics.pgbouncer.pools.0.pool_mode)" transaction "pool mode"
assert_ge "$(json_get "$json" metrics.pgbouncer.cl_waiting)" 1 "waiting clients in all"
assert_no_secrets "$json" "status --json"

run "$OPSDECK" -c bouncer.conf diagnose
assert_contains "$OUT" "PgBouncer pool shop/app" "diagnose names the pool"
assert_match "$OUT" "(clients? waiting for a server connection|has waited)" "and says the clients wait"
assert_contains "$OUT" "default_pool_size" "recommends the pool size"
assert_no_secrets "$OUT$ERR" "diagnose"

run "$OPSDECK" -c bouncer.conf status
assert_contains "$OUT" "shop/app (transaction): clients" "text: the pool"
assert_no_secrets "$OUT$ERR" "status"

assert_exit 0 "$OPSDECK" -c bouncer.conf status --prometheus
assert_prometheus "$OUT" "prometheus"
assert_match "$OUT" 'opsdeck_pgbouncer_clients_waiting\{pool="shop/app"\} [1-9]' "prometheus: waiting clients by pool"
assert_contains "$OUT" "opsdeck_pgbouncer_up 1" "prometheus: up"
assert_no_secrets "$OUT" "prometheus"

run "$OPSDECK" -c bouncer.conf check
assert_match "$OUT" "pgbouncer_waiting=[1-9][0-9]*;0;;0" "check perfdata"
assert_no_secrets "$OUT$ERR" "check"

# Not configured: not a failure.
write_stack_config plain.conf
assert_exit 0 "$OPSDECK" -c plain.conf status --json
assert_eq "$(json_get "$OUT" metrics.pgbouncer.state)" "not configured" "no admin URL: not configured"
assert_eq "$(json_get "$OUT" metrics.pgbouncer.error)" "pgbouncer_admin_url is not set" "and why"
run "$OPSDECK" -c plain.conf diagnose
assert_not_contains "$OUT" "PgBouncer" "not configured: nothing to say"
# The app through PgBouncer (pgbouncer=true) without the admin URL: the
# reason names the key.
write_stack_config through.conf "[database]" "url = $PGBOUNCER_URL"
assert_exit 0 "$OPSDECK" -c through.conf status --json
assert_eq "$(json_get "$OUT" metrics.pgbouncer.state)" "not configured" "pgbouncer=true alone: not configured"
assert_contains "$(json_get "$OUT" metrics.pgbouncer.error)" "set [database] pgbouncer_admin_url" "the reason names the key"
assert_no_secrets "$OUT$ERR" "through PgBouncer"

# A console that does not answer: unhealthy with the reason, no password.
write_stack_config down.conf "[database]" \
	"pgbouncer_admin_url = postgresql://pgbadmin:$PGBOUNCER_ADMIN_PASSWORD@127.0.0.1:1/pgbouncer"
run "$OPSDECK" -c down.conf status --json
assert_eq "$(json_get "$OUT" metrics.pgbouncer.state)" unhealthy "unreachable: unhealthy"
assert_match "$(json_get "$OUT" metrics.pgbouncer.error)" "refused|connect" "with the reason"
assert_no_secrets "$OUT$ERR" "unreachable status"
run "$OPSDECK" -c down.conf diagnose
assert_contains "$OUT" "PgBouncer's admin console is unreachable" "diagnose says so"
assert_no_secrets "$OUT$ERR" "unreachable diagnose"
finish
