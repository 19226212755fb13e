#!/usr/bin/env bash
# Request metrics from the app's "RequestLog" on real PostgreSQL 15, through
# `status --json` (metrics.requests): a clean hour, an hour with 10 % 5xx, no
# traffic at all, a missing table and a missing column, a dropped index (and
# the hint it gives, which is then run), and a table locked by someone else
# (the probe stays within its timeout and the other parts still fill).
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
# Private: the test rewrites the table, drops its index and locks it.
stack_private pg
write_stack_config opsdeck.conf "timeout = 3s"

# json_py EXPR: evaluate EXPR with r = metrics.requests of $json.
json_py() {
	json_get "$json" "d['metrics']['requests'] and (lambda r: $1)(d['metrics']['requests'])"
}

status_json() {
	json=$("$OPSDECK" -c "${1:-opsdeck.conf}" status --json)
	assert_json "$json" "status --json"
}

# An hour of clean traffic, written as Prisma writes DateTime (UTC wall
# clock in timestamp(3)): 3600 requests, one every 0.9 s, the newest 0.45 s
# old, so the oldest is 54 min old and the test has minutes of slack.
# Durations 10..109 ms, 36 times each: average 59.5, p95 104.05, p99 108.01
# (percentile_cont interpolates). Only 200s and 404s.
psql_app 'DELETE FROM "RequestLog"'
psql_app "$(
	cat <<'SQL'
INSERT INTO "RequestLog" ("timestamp", "duration", "statusCode", "path")
SELECT (now() AT TIME ZONE 'UTC') - make_interval(secs => g * 0.9 + 0.45),
       10 + g % 100, CASE WHEN g % 7 = 0 THEN 404 ELSE 200 END, '/api/products'
  FROM generate_series(0, 3599) AS g
SQL
)"

status_json
assert_eq "$(json_get "$json" metrics.requests.state)" ok "request log read"
assert_eq "$(json_get "$json" metrics.requests.table)" RequestLog "table"
assert_eq "$(json_get "$json" metrics.requests.requests)" 3600 "clean hour: requests"
assert_eq "$(json_get "$json" metrics.requests.errors)" 0 "clean hour: no 5xx"
assert_eq "$(json_py 'r["error_rate"] < 0.05')" true "clean hour: error rate below 5 %"
assert_eq "$(json_py 'round(r["avg_ms"], 6)')" 59.5 "clean hour: average"
assert_eq "$(json_py 'round(r["p95_ms"], 6)')" 104.05 "clean hour: p95"
assert_eq "$(json_py 'round(r["p99_ms"], 6)')" 108.01 "clean hour: p99"
assert_eq "$(json_py 'r["p99_ms"] >= r["p95_ms"] >= r["avg_ms"]')" true "p99 >= p95 >= avg"
assert_eq "$(json_py 'len(r["buckets"])')" 60 "60 buckets for an hour"
assert_eq "$(json_py 'r["bucket_width_s"]')" 60.0 "one-minute buckets"
assert_eq "$(json_py 'sum(b["requests"] for b in r["buckets"])')" 3600 "buckets add up to the count"
# The oldest six minutes hold no rows: present, 0 requests, no average.
assert_eq "$(json_py '[(b["requests"], b["avg_ms"]) for b in r["buckets"][:5]]')" \
	"[[0, null], [0, null], [0, null], [0, null], [0, null]]" "empty buckets: 0, no average"
assert_eq "$(json_py 'all(b["requests"] > 0 and b["avg_ms"] > 0 for b in r["buckets"][6:])')" \
	true "the rest of the hour has traffic"
assert_eq "$(json_py 'r["timestamp_index_missing"]')" false "the seed's index is there"
assert_eq "$(json_get "$json" checks.database.state)" ok "database ok"
assert_no_secrets "$json"

# The dashboard's incremental path (request_window.h) gives the figures of
# the one-shot query: tests/request_window_tool polls with a window, inserts
# 300 requests stamped in the last 20 s (every third a 500, durations up to
# 2 s, so p99 moves) and turns older ones of the current minute into 503s,
# polls again (reading only the last minutes), then probes once without a
# window, and compares.
WINDOW_TOOL=$(dirname "$OPSDECK")/tests/request_window_tool
if [ -x "$WINDOW_TOOL" ]; then
	cat >insert.sql <<'SQL'
INSERT INTO "RequestLog" ("timestamp", "duration", "statusCode", "path")
SELECT (now() AT TIME ZONE 'UTC') - make_interval(secs => g / 15.0),
       (g * 7919) % 2000, CASE WHEN g % 3 = 0 THEN 500 ELSE 200 END, '/api/late'
  FROM generate_series(0, 299) AS g;
UPDATE "RequestLog" SET "statusCode" = 503 WHERE "path" = '/api/products'
   AND "timestamp" >= date_trunc('minute', now() AT TIME ZONE 'UTC');
SQL
	rc=0
	out=$(PGPASSWORD=$PGPASSWORD "$WINDOW_TOOL" opsdeck.conf \
		"\"${PG_BINDIR:+$PG_BINDIR/}psql\" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $PGPORT -U app -d shop -f insert.sql >/dev/null") ||
		rc=$?
	printf '%s\n' "$out" | sed 's/^/  /'
	assert_eq "$rc" 0 "incremental: the tool ran"
	assert_contains "$out" "first requests=3600 errors=0 "
	assert_contains "$out" "incremental requests=3900 "
	assert_eq "$(printf '%s\n' "$out" | grep -c '^since=[1-9]')" 1 "incremental: the second poll read only recent minutes"
	assert_eq "$(printf '%s\n' "$out" | tail -n 1)" same "incremental = one-shot"
	psql_app "DELETE FROM \"RequestLog\" WHERE \"path\" = '/api/late'"
	psql_app "UPDATE \"RequestLog\" SET \"statusCode\" = 200 WHERE \"statusCode\" = 503"
else
	echo "  (tests/request_window_tool not built: incremental check skipped)"
fi

# The same hour with every tenth request a 503: error rate 0.1.
psql_app 'UPDATE "RequestLog" SET "statusCode" = 503 WHERE id % 10 = 0'
status_json
assert_eq "$(json_get "$json" metrics.requests.errors)" 360 "10 %: errors"
assert_eq "$(json_py 'abs(r["error_rate"] - 0.1) <= 0.02')" true "10 %: error rate 0.1 (+-0.02)"
assert_eq "$(json_py 'sum(b["errors"] for b in r["buckets"])')" 360 "bucket errors add up"
# The diagnosis reads the same figures: a high error-rate issue.
diag=$("$OPSDECK" -c opsdeck.conf diagnose --json)
assert_eq "$(json_get "$diag" 'd["issues"] and [i["severity"] for i in d["issues"] if i["type"] == "error_rate"]')" \
	'["high"]' "diagnose: error_rate is high"

# No traffic in the window: "no traffic" (null), not a division by zero.
psql_app "UPDATE \"RequestLog\" SET \"timestamp\" = \"timestamp\" - interval '2 hours'"
status_json
assert_eq "$(json_get "$json" metrics.requests.state)" ok "no traffic: still read"
assert_eq "$(json_get "$json" metrics.requests.requests)" 0 "no traffic: 0 requests"
for figure in error_rate avg_ms p95_ms p99_ms; do
	assert_eq "$(json_get "$json" "metrics.requests.$figure")" null "no traffic: $figure null"
done
assert_eq "$(json_py 'len(r["buckets"]) == 60 and all(b["requests"] == 0 for b in r["buckets"])')" \
	true "no traffic: 60 empty buckets"

# A table that does not exist: a clear line, the rest of the snapshot fills.
write_stack_config missing.conf "timeout = 3s" "[database]" "request_log = NoSuchTable"
status_json missing.conf
assert_eq "$(json_get "$json" metrics.requests.state)" unhealthy "missing table: unhealthy"
assert_eq "$(json_get "$json" metrics.requests.error)" \
	'request log not found: relation "NoSuchTable" does not exist' "missing table: the line"
assert_eq "$(json_get "$json" checks.database.state)" ok "missing table: database still ok"
assert_eq "$(json_get "$json" metrics.slow_queries.state)" ok "missing table: slow queries still read"

# A column that does not exist.
psql_app 'ALTER TABLE "RequestLog" RENAME COLUMN "statusCode" TO "status"'
status_json
assert_eq "$(json_get "$json" metrics.requests.state)" unhealthy "missing column: unhealthy"
assert_contains "$(json_get "$json" metrics.requests.error)" \
	'request log not found: column "statusCode" does not exist'
psql_app 'ALTER TABLE "RequestLog" RENAME COLUMN "status" TO "statusCode"'

# No index on "timestamp": the metrics still come (the table is small), with
# the CREATE INDEX to run; running it clears the hint.
psql_app 'DROP INDEX "RequestLog_timestamp_idx"'
status_json
assert_eq "$(json_get "$json" metrics.requests.state)" ok "no index: still read"
assert_eq "$(json_get "$json" metrics.requests.timestamp_index_missing)" true "no index: flagged"
hint=$(json_get "$json" metrics.requests.index_hint)
assert_eq "$hint" 'CREATE INDEX CONCURRENTLY ON "RequestLog" ("timestamp");' "no index: the hint"
psql_app "$hint"
status_json
assert_eq "$(json_get "$json" metrics.requests.timestamp_index_missing)" false "the hint's index counts"
assert_eq "$(json_get "$json" metrics.requests.index_hint)" null "and the hint is gone"

# Someone holds an exclusive lock on the table: the request-log part times
# out and the whole probe still ends within the timeout (1 s). The database
# check was done before and stays ok; the slow queries, due next on the same
# connection, say why they were not read.
locker() {
	PGPASSWORD=$PG_SUPERUSER_PASSWORD "${PG_BINDIR:+$PG_BINDIR/}psql" -X -q -h 127.0.0.1 \
		-p "$PGPORT" -U postgres -d shop -c 'BEGIN' \
		-c 'LOCK TABLE "RequestLog" IN ACCESS EXCLUSIVE MODE' -c 'SELECT pg_sleep(30)' \
		>/dev/null 2>&1
}
locker &
locker_pid=$!
stop_locker() { kill "$locker_pid" 2>/dev/null || true; }
on_exit stop_locker
for _ in $(seq 1 100); do
	[ "$(psql_super "SELECT count(*) FROM pg_locks WHERE relation = '\"RequestLog\"'::regclass
		AND mode = 'AccessExclusiveLock' AND granted")" = 1 ] && break
	sleep 0.1
done
write_stack_config fast.conf "timeout = 1s"
elapsed_ms "$OPSDECK" -c fast.conf status --json >/dev/null
json=$OUT
assert_lt "$ELAPSED_MS" 2500 "locked table: status within the 1 s timeout (+ start-up)"
assert_eq "$(json_get "$json" checks.database.state)" ok "locked table: database ok"
assert_eq "$(json_get "$json" metrics.requests.state)" unhealthy "locked table: request log unhealthy"
assert_contains "$(json_get "$json" metrics.requests.error)" "request log: timed out after 1.0 s"
assert_contains "$(json_get "$json" metrics.slow_queries.error)" "not read: an earlier query"
psql_super "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
	WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()" >/dev/null
wait "$locker_pid" 2>/dev/null
status_json
assert_eq "$(json_get "$json" metrics.requests.state)" ok "lock gone: read again"
finish
