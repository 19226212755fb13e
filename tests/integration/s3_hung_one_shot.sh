#!/usr/bin/env bash
# check, status and diagnose with the S3 server hung (SIGSTOP: it accepts
# connections and never answers), then with the health endpoint hung too:
# the listing of the backups runs beside the probes and within the same
# [app] timeout (3 s), so each verb ends well under 4.5 s (it took 6 to 9 s
# when the listing ran after the probes, tried twice), and the backups'
# freshness is reported as unknown (timed out), not as "no backup".
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_private pg,redis,app,s3
bk_config c.conf "s3://$S3_BUCKET/one-shot" "$DATABASE_URL" # [app] timeout 3s

s3_resume() { kill -CONT "$S3_PID" 2>/dev/null || true; }
on_exit s3_resume

# verbs WHAT: each one-shot verb under 4.5 s, the freshness unknown.
verbs() {
	local verb
	for verb in check status diagnose; do
		elapsed_ms "$OPSDECK" -c c.conf "$verb" >/dev/null
		assert_lt "$ELAPSED_MS" 4500 "$1: $verb ends within the timeout and a margin (took $ELAPSED_MS ms)"
		assert_contains "$OUT" "Backup freshness unknown" "$1: $verb"
		assert_contains "$OUT" "timed out" "$1: $verb says the listing timed out"
		assert_not_contains "$OUT" "No complete database backup" "$1: $verb"
	done
}

kill -STOP "$S3_PID"
verbs "S3 hung"
echo hang >"$APP_DIR/health_mode"
verbs "S3 and health hung"
run "$OPSDECK" -c c.conf status --json
assert_eq "$(json_get "$OUT" checks.health.state)" unhealthy "the hung health endpoint is reported"
echo ok >"$APP_DIR/health_mode"
s3_resume

# S3 back: the empty prefix is "no backup", as before
run "$OPSDECK" -c c.conf diagnose
assert_contains "$OUT" "No complete database backup at s3://$S3_BUCKET/one-shot"
finish
