#!/usr/bin/env bash
# PostgreSQL replication and upkeep on a real primary and its streaming
# replica (tests/stack/stack pg,pgreplica): the primary sees the standby
# and its slot (status --json metrics.pg_upkeep, Prometheus, check
# perfdata); an inactive slot retaining WAL makes the replication_slot
# issue; replay paused on the replica and writes on the primary make the
# lag rise, seen from both sides, and the replication_lag issue fire.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
# Private: the test pauses the replica's replay and leaves a slot behind.
stack_private pg,pgreplica
write_stack_config primary.conf "timeout = 3s" "[thresholds]" "replication_lag = 1s" \
	"slot_retained_bytes = 1"
write_stack_config standby.conf "timeout = 3s" "[database]" "url = $PG_REPLICA_URL" \
	"[thresholds]" "replication_lag = 1s"

# upkeep_py CONF EXPR: EXPR over u = metrics.pg_upkeep of `status --json`.
upkeep_py() {
	local json
	json=$("$OPSDECK" -c "$1" status --json) || true
	json_get "$json" "d['metrics'] and (lambda u: $2)(d['metrics']['pg_upkeep'])"
}

# wait_for CONF EXPR WHAT: polls until EXPR is True (at most ~30 s: the
# standby reports its position every few seconds); asserts that it became so.
wait_for() {
	local i value=""
	for i in $(seq 1 60); do
		value=$(upkeep_py "$1" "$2") || value=""
		[ "$value" = true ] && break
		sleep 0.5
	done
	assert_eq "$value" true "$3"
}

psql_replica() {
	PGPASSWORD=$PG_SUPERUSER_PASSWORD "${PG_BINDIR:+$PG_BINDIR/}psql" -X -q -A -t \
		-v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGREPLICA_PORT" -U postgres -d shop -c "$1"
}

# ---- the primary sees its standby and the slot
run "$OPSDECK" -c primary.conf status --json
assert_json "$OUT" "status --json"
assert_eq "$(json_get "$OUT" metrics.pg_upkeep.state)" ok "pg_upkeep read"
assert_eq "$(json_get "$OUT" metrics.pg_upkeep.role)" primary "the primary says so"
assert_eq "$(json_get "$OUT" metrics.pg_upkeep.standby_total)" 1 "one standby"
assert_eq "$(json_get "$OUT" metrics.pg_upkeep.standbys.0.state)" streaming "it streams"
assert_eq "$(json_get "$OUT" metrics.pg_upkeep.slots.0.name)" opsdeck_replica "its slot"
assert_eq "$(json_get "$OUT" metrics.pg_upkeep.slots.0.active)" true "the slot is in use"
assert_match "$(json_get "$OUT" metrics.pg_upkeep.xid_age)" '^[0-9]+$' "xid age is a number"
assert_eq "$(json_get "$OUT" 'd["metrics"]["pg_upkeep"]["cache_hit_ratio"] > 0')" true \
	"a cache hit ratio"
run "$OPSDECK" -c standby.conf status --json
assert_eq "$(json_get "$OUT" metrics.pg_upkeep.role)" standby "the replica says it is a standby"
assert_eq "$(json_get "$OUT" metrics.pg_upkeep.replay_paused)" false "replay runs"

# ---- an inactive slot that keeps WAL
psql_super "SELECT pg_create_physical_replication_slot('stale_slot', true)" >/dev/null
psql_super "CREATE TABLE upkeep_t AS SELECT g FROM generate_series(1, 20000) g" >/dev/null
psql_super "SELECT pg_switch_wal()" >/dev/null
run "$OPSDECK" -c primary.conf diagnose
assert_contains "$OUT" "Inactive physical replication slot stale_slot retains" "slot issue"
assert_contains "$OUT" "pg_drop_replication_slot('stale_slot')" "how to drop it"
run "$OPSDECK" -c primary.conf status --prometheus
assert_prometheus "$OUT" "status --prometheus"
assert_contains "$OUT" 'opsdeck_pg_replication_slot_retained_bytes{slot="stale_slot"}' \
	"the slot as a label"
assert_contains "$OUT" "opsdeck_pg_replication_slots_inactive 1" "one slot inactive"

# ---- replay paused on the replica, writes on the primary: lag
psql_replica "SELECT pg_wal_replay_pause()" >/dev/null
on_exit psql_replica "SELECT pg_wal_replay_resume()"
for i in 1 2 3; do
	psql_super "INSERT INTO upkeep_t SELECT g FROM generate_series(1, 1000) g" >/dev/null
	sleep 1
done
wait_for standby.conf "u['replay_paused'] and u['replay_lag_s'] is not None and u['replay_lag_s'] >= 1" \
	"the standby reports replay paused and lagging"
run "$OPSDECK" -c standby.conf diagnose
assert_contains "$OUT" "This standby replays" "the standby's lag issue"
assert_contains "$OUT" "replay is paused" "it says replay is paused"
assert_contains "$OUT" "pg_wal_replay_resume()" "and how to resume it"
run "$OPSDECK" -c standby.conf status --prometheus
assert_prometheus "$OUT" "standby's Prometheus"
assert_contains "$OUT" "opsdeck_pg_replay_paused 1" "paused, in Prometheus"
assert_contains "$OUT" "opsdeck_pg_in_recovery 1" "a standby, in Prometheus"

psql_super "INSERT INTO upkeep_t VALUES (0)" >/dev/null
wait_for primary.conf "(u['standbys'][0]['replay_lag_s'] or 0) >= 1 and u['standbys'][0]['replay_behind_bytes'] > 0" \
	"the primary sees the standby's replay lag rise"
run "$OPSDECK" -c primary.conf diagnose
assert_match "$OUT" "Standby [^ ]+ at 127.0.0.1 replays .* behind \(limit 1.0 s" "the primary's lag issue"
run "$OPSDECK" -c primary.conf check
assert_match "$OUT" "replication_lag=[0-9.]+s;;;0" "lag in the check perfdata"
run "$OPSDECK" -c primary.conf status --prometheus
assert_match "$OUT" 'opsdeck_pg_standby_lag_seconds\{standby="[^"]+",kind="replay"\}' \
	"the standby's lag, labelled"

# ---- replay resumed: the standby catches up
psql_replica "SELECT pg_wal_replay_resume()" >/dev/null
wait_for standby.conf "not u['replay_paused'] and u['replay_pending_bytes'] == 0" \
	"the standby catches up once resumed"
assert_no_secrets "$OUT" "outputs"
finish
