#!/usr/bin/env bash
# Slow statements from pg_stat_statements on real PostgreSQL 15, through
# `status --json` (metrics.slow_queries): the seed's slow queries under the
# PostgreSQL 13+ column names; a crafted query full of escape sequences that
# comes out as harmless text; the same server with the extension at version
# 1.7 (the old column names); texts hidden from a role without
# pg_read_all_stats; opsdeck's own statements left out; the extension
# dropped (not installed), then the library not preloaded.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
# Private: the test runs slow queries, resets the statistics, drops the
# extension and restarts PostgreSQL without it.
stack_private pg
write_stack_config opsdeck.conf "timeout = 3s"

# slow_py EXPR: evaluate EXPR with s = metrics.slow_queries of $json.
slow_py() {
	json_get "$json" "d['metrics']['slow_queries'] and (lambda s: $1)(d['metrics']['slow_queries'])"
}

status_json() {
	json=$("$OPSDECK" -c "${1:-opsdeck.conf}" status --json)
	assert_json "$json" "status --json"
}

# Exit 0 if stdin holds no byte a terminal acts on: C0 controls other than
# the newlines of pretty JSON, DEL, C1 controls (UTF-8 C2 80..C2 9F), invalid
# UTF-8.
harmless_bytes() {
	"$_LIB_PY" -c '
import sys
data = sys.stdin.buffer.read()
text = data.decode("utf-8")  # raises on invalid UTF-8
bad = [c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f]
sys.exit(1 if bad else 0)'
}

# The seed ran SELECT pg_sleep(1.2) three times and a slow report query.
status_json
assert_eq "$(json_get "$json" metrics.slow_queries.state)" ok "view read"
assert_eq "$(json_get "$json" metrics.slow_queries.problem)" null "no problem"
assert_eq "$(json_get "$json" metrics.slow_queries.mean_column)" mean_exec_time \
	"PostgreSQL 15's view: mean_exec_time"
assert_eq "$(json_get "$json" metrics.slow_queries.threshold_ms)" 1000 "threshold"
assert_eq "$(slow_py 'any(q["query"] == "SELECT pg_sleep($1)" and q["calls"] == 3
	and 1000 < q["mean_ms"] < 5000 and q["total_ms"] > 3000 for q in s["queries"])')" true \
	"the seed's pg_sleep(1.2) listed with its calls and times"
assert_eq "$(slow_py 'any((q["query"] or "").startswith("WITH pause AS (SELECT pg_sleep($1)) SELECT r.path")
	for q in s["queries"])')" true "the seed's slow report query listed, on one line"
assert_eq "$(slow_py 'all(q["mean_ms"] > 1000 for q in s["queries"])')" true \
	"only means above slow_query_ms"
assert_eq "$(slow_py '[q["mean_ms"] for q in s["queries"]] == sorted((q["mean_ms"] for q in s["queries"]), reverse=True)')" \
	true "slowest first"

# A slow query whose text carries OSC (retitle), BEL, CSI (clear screen),
# CSI and NEL as C1 characters, in a comment (constants would be
# normalised away by pg_stat_statements).
psql_app $'SELECT 1 AS crafted FROM pg_sleep(1.1) /* \e]0;pwned\a\e[2J \xc2\x9b31m \xc2\x85 */' \
	>/dev/null
status_json
crafted=$(slow_py '[q["query"] for q in s["queries"] if "crafted" in (q["query"] or "")]')
assert_eq "$crafted" '["SELECT $1 AS crafted FROM pg_sleep($2) /* ?]0;pwned??[2J ?31m ? */"]' \
	"the crafted query, controls replaced"
if printf '%s' "$json" | harmless_bytes; then
	pass "status --json: no control bytes"
else
	fail "status --json carries control bytes"
fi
text=$("$OPSDECK" -c opsdeck.conf status)
diagnosis=$("$OPSDECK" -c opsdeck.conf diagnose)
if printf '%s\n%s' "$text" "$diagnosis" | harmless_bytes; then
	pass "status and diagnose (text): no control bytes"
else
	fail "status or diagnose (text) carries control bytes"
fi

# The same server with pg_stat_statements 1.7, as an old extension version
# stays until ALTER EXTENSION ... UPDATE: the old names (mean_time) are in
# the view, and they are what opsdeck must read, whatever the server version.
psql_super "DROP EXTENSION pg_stat_statements"
psql_super "CREATE EXTENSION pg_stat_statements VERSION '1.7'"
status_json
assert_eq "$(json_get "$json" metrics.slow_queries.state)" ok "1.7: view read"
assert_eq "$(json_get "$json" metrics.slow_queries.mean_column)" mean_time "1.7: mean_time"
assert_eq "$(slow_py 'any(q["query"] == "SELECT pg_sleep($1)" and q["calls"] == 3
	and q["mean_ms"] > 1000 for q in s["queries"])')" true "1.7: the same slow query"
psql_super "ALTER EXTENSION pg_stat_statements UPDATE"

# A role without pg_read_all_stats sees the timings, not the texts.
watcher_pw=$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
psql_super "CREATE ROLE watcher LOGIN PASSWORD '$watcher_pw'"
write_stack_config watcher.conf "timeout = 3s" "[database]" \
	"url = postgresql://watcher:$watcher_pw@127.0.0.1:$PGPORT/shop"
status_json watcher.conf
assert_eq "$(json_get "$json" metrics.slow_queries.state)" ok "hidden texts: view read"
assert_eq "$(json_get "$json" metrics.slow_queries.problem)" no_privilege "hidden texts: no_privilege"
assert_eq "$(json_get "$json" metrics.slow_queries.error)" \
	"query texts of other roles are hidden from watcher: run GRANT pg_read_all_stats TO watcher" \
	"hidden texts: the grant to run"
assert_eq "$(slow_py 'any(q["text_hidden"] and q["mean_ms"] > 1000 and q["calls"] >= 1
	for q in s["queries"])')" true "hidden texts: timings still listed"
assert_eq "$(json_get "$json" metrics.requests.state)" unhealthy "watcher cannot read the log"
assert_contains "$(json_get "$json" metrics.requests.error)" \
	"request log not readable: permission denied for table RequestLog"
assert_not_contains "$json" "$watcher_pw"

# opsdeck's own statements are never listed: start from clean statistics,
# make the metrics query take more than 1 ms (60,000 requests in the hour),
# poll, and list everything above 1 ms.
psql_super "SELECT pg_stat_statements_reset()" >/dev/null
psql_app "$(
	cat <<'SQL'
INSERT INTO "RequestLog" ("timestamp", "duration", "statusCode", "path")
SELECT (now() AT TIME ZONE 'UTC') - make_interval(secs => g * 0.05), 20 + g % 50, 200, '/'
  FROM generate_series(1, 60000) AS g
SQL
)"
for _ in 1 2 3; do
	"$OPSDECK" -c opsdeck.conf status --json >/dev/null
done
assert_ge "$(psql_super "SELECT count(*) FROM pg_stat_statements
	WHERE query LIKE '/* opsdeck */%percentile_cont%' AND calls >= 3 AND mean_exec_time > 1")" 1 \
	"precondition: opsdeck's metrics query is recorded, marked, above 1 ms"
write_stack_config all.conf "timeout = 3s" "[database]" "slow_query_ms = 1"
status_json all.conf
assert_eq "$(slow_py 'any((q["query"] or "").startswith("INSERT INTO \"RequestLog\"") for q in s["queries"])')" \
	true "the app's INSERT is listed above 1 ms"
assert_eq "$(slow_py '[q["query"] for q in s["queries"] if "opsdeck" in (q["query"] or "")]')" "[]" \
	"none of opsdeck's statements listed"

# The extension dropped from the database: not installed, with what to run.
psql_super "DROP EXTENSION pg_stat_statements"
status_json
assert_eq "$(json_get "$json" metrics.slow_queries.state)" unhealthy "dropped: unhealthy"
assert_eq "$(json_get "$json" metrics.slow_queries.problem)" not_installed "dropped: not_installed"
assert_eq "$(json_get "$json" metrics.slow_queries.error)" \
	"pg_stat_statements is not installed in database shop: run CREATE EXTENSION pg_stat_statements" \
	"dropped: the line"
assert_eq "$(json_get "$json" checks.database.state)" ok "dropped: database still ok"
assert_eq "$(json_get "$json" metrics.requests.state)" ok "dropped: request log still read"

# Installed but the library not loaded at start: not preloaded (plpgsql, a
# harmless library, takes its place in the list).
psql_super "CREATE EXTENSION pg_stat_statements"
psql_super "ALTER SYSTEM SET shared_preload_libraries = 'plpgsql'"
stack_restart pg
status_json
assert_eq "$(json_get "$json" metrics.slow_queries.problem)" not_preloaded "not preloaded"
assert_contains "$(json_get "$json" metrics.slow_queries.error)" \
	"pg_stat_statements is installed but not loaded: add it to shared_preload_libraries"
assert_eq "$(json_get "$json" checks.database.state)" ok "not preloaded: database still ok"
psql_super "ALTER SYSTEM RESET shared_preload_libraries"
finish
