#!/usr/bin/env bash
# The request log by path on real PostgreSQL 15 ([database]
# request_path_column): 3,000 5xx on one path name it in `diagnose` with its
# share of the errors, in `status --json` and in `status --prometheus` (top
# five paths as labels); a slow path is named by the p95 issue; the query
# string never reaches an output; a log without the column says "breakdown
# not available" and nothing fails; a column name that is not an
# identifier is a configuration error.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
# Private: the test rewrites the request log.
stack_private pg
write_stack_config opsdeck.conf "timeout = 3s"

# 3,000 500s on /api/checkout (the token in the query string is a secret),
# 12 on /api/cart, and 600 healthy requests on four paths, in the last 30
# minutes, stamped as Prisma stamps them (UTC wall clock).
secrets_add ck_live_TOKEN_4242
psql_app 'DELETE FROM "RequestLog"'
psql_app "$(
	cat <<'SQL'
INSERT INTO "RequestLog" ("timestamp", "duration", "statusCode", "path")
SELECT (now() AT TIME ZONE 'UTC') - make_interval(secs => g * 0.5), 80 + g % 40, 500,
       '/api/checkout?token=ck_live_TOKEN_4242'
  FROM generate_series(1, 3000) AS g
UNION ALL
SELECT (now() AT TIME ZONE 'UTC') - make_interval(secs => g * 10), 90, 502, '/api/cart'
  FROM generate_series(1, 12) AS g
UNION ALL
SELECT (now() AT TIME ZONE 'UTC') - make_interval(secs => g * 3), 20 + g % 100, 200,
       (ARRAY['/', '/products', '/api/cart', '/api/search'])[1 + g % 4]
  FROM generate_series(1, 600) AS g
SQL
)"

out=$("$OPSDECK" -c opsdeck.conf diagnose --json)
rc=$?
assert_json "$out" "diagnose --json"
assert_eq "$rc" 2 "an error rate over the limit: exit 2"
rate=$(json_get "$out" 'd["issues"]' | "$_LIB_PY" -c 'import json,sys
print(next((i["message"] + "\n" + i["recommendation"]) for i in json.load(sys.stdin) if i["type"] == "error_rate"))')
assert_contains "$rate" "3,012 of 3,612 requests answered 5xx" "error rate: the totals"
assert_contains "$rate" "/api/checkout: 3,000 of 3,012 errors, /api/cart: 12 of 3,012 errors" \
	"error rate: the worst endpoints and their share"
assert_contains "$rate" "Start with /api/checkout (99.6% of the 5xx)" "error rate: where to start"
assert_not_contains "$rate" "token" "no query string in the issue"
assert_no_secrets "$out"

text=$("$OPSDECK" -c opsdeck.conf status)
assert_contains "$text" "most 5xx: /api/checkout: 3,000 of 3,012 errors" "status: most 5xx"

json=$("$OPSDECK" -c opsdeck.conf status --json)
assert_json "$json" "status --json"
ep() { json_get "$json" "d['metrics']['requests']['endpoints']$1"; }
assert_eq "$(ep "['state']")" ok "breakdown read"
assert_eq "$(ep "['column']")" path "from the path column"
assert_eq "$(ep "['requests']")" 3612 "breakdown: requests"
assert_eq "$(ep "['errors']")" 3012 "breakdown: errors"
assert_eq "$(ep "['paths']")" 5 "breakdown: distinct paths"
assert_eq "$(ep "['most_errors'][0]['path']")" /api/checkout "most 5xx first"
assert_eq "$(ep "['most_errors'][0]['errors']")" 3000 "its 5xx"
assert_eq "$(ep "['most_errors'][1]['path']")" /api/cart "then /api/cart"
assert_eq "$(ep "['most_errors'][1]['requests']")" 162 "/api/cart: 12 failed of 162"
assert_eq "$(json_get "$json" "d['metrics']['requests']['endpoints']['most_errors'].__len__()")" 2 \
	"only paths with a 5xx"
assert_eq "$(json_get "$json" "d['metrics']['requests']['endpoints']['slowest'].__len__()")" 5 \
	"five slowest"
assert_not_contains "$json" "ck_live" "no query string in the JSON"
assert_no_secrets "$json"

prom=$("$OPSDECK" -c opsdeck.conf status --prometheus)
assert_prometheus "$prom" "status --prometheus"
assert_contains "$prom" 'opsdeck_endpoint_errors_in_window{path="/api/checkout"} 3000'
assert_le "$(grep -c '^opsdeck_endpoint_duration_p95_seconds{' <<<"$prom")" 5 "at most 5 paths"
assert_le "$(grep -c '^opsdeck_endpoint_errors_in_window{' <<<"$prom")" 5 "at most 5 paths"
assert_no_secrets "$prom"

# Slow: /api/search takes 2.5-3 s, the rest 30 ms; no 5xx. The p95 issue
# names the slowest endpoint.
psql_app 'DELETE FROM "RequestLog"'
psql_app "$(
	cat <<'SQL'
INSERT INTO "RequestLog" ("timestamp", "duration", "statusCode", "path")
SELECT (now() AT TIME ZONE 'UTC') - make_interval(secs => g * 2),
       CASE WHEN g % 5 = 0 THEN 2500 + g % 500 ELSE 30 END, 200,
       CASE WHEN g % 5 = 0 THEN '/api/search' ELSE '/products' END
  FROM generate_series(1, 1000) AS g
SQL
)"
out=$("$OPSDECK" -c opsdeck.conf diagnose --json)
assert_json "$out" "diagnose --json (slow)"
p95=$(json_get "$out" 'd["issues"]' | "$_LIB_PY" -c 'import json,sys
print(next(i["message"] for i in json.load(sys.stdin) if i["type"] == "p95_response"))')
assert_contains "$p95" "slowest endpoint /api/search (p95 " "p95: the slowest endpoint"
assert_contains "$p95" "over 200 requests)" "p95: its traffic"

# A log without the column: the metrics are read, the breakdown is "not
# available", nothing fails.
write_stack_config noroute.conf "timeout = 3s" "[database]" "request_path_column = route"
json=$("$OPSDECK" -c noroute.conf status --json)
assert_json "$json" "status --json without the column"
assert_eq "$(json_get "$json" metrics.requests.state)" ok "metrics still read"
assert_eq "$(json_get "$json" metrics.requests.endpoints.state)" not_available "not available"
assert_contains "$(json_get "$json" metrics.requests.endpoints.reason)" \
	"breakdown not available: RequestLog has no column route"
assert_eq "$(json_get "$json" checks.database.state)" ok "database still ok"
assert_contains "$("$OPSDECK" -c noroute.conf status)" "breakdown not available" "status text"
# `check` exits as it does with the column (the slow p95 warns in both).
run "$OPSDECK" -c opsdeck.conf check
with_column=$RC
assert_exit "$with_column" "$OPSDECK" -c noroute.conf check
assert_not_contains "$OUT" "route" "check: no failure for a missing column"

# The column really gone from the table, with 5xx: diagnose says so in the
# recommendation.
psql_app 'UPDATE "RequestLog" SET "statusCode" = 500 WHERE "path" = '"'/api/search'"
psql_super 'ALTER TABLE "RequestLog" RENAME COLUMN "path" TO "route"'
out=$("$OPSDECK" -c opsdeck.conf diagnose --json)
assert_json "$out" "diagnose --json without the column"
rate=$(json_get "$out" 'd["issues"]' | "$_LIB_PY" -c 'import json,sys
print(next((i["message"] + "\n" + i["recommendation"]) for i in json.load(sys.stdin) if i["type"] == "error_rate"))')
assert_contains "$rate" "200 of 1,000 requests answered 5xx" "error rate without the column"
assert_contains "$rate" "breakdown not available: RequestLog has no column path" \
	"says why there is no breakdown"
types=$(json_get "$out" 'd["issues"]' | "$_LIB_PY" -c 'import json,sys; print(" ".join(i["type"] for i in json.load(sys.stdin)))')
assert_not_contains "$types" request_log "a missing path column is not a request-log issue"

# Not an identifier: a configuration error (exit 2), as for the table.
write_stack_config bad.conf "[database]" "request_path_column = pa th"
assert_exit 2 "$OPSDECK" -c bad.conf status
assert_contains "$ERR" "'pa th' is not a column name"

finish
