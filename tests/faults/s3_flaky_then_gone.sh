#!/usr/bin/env bash
# S3 that answers 500 and 503 to some part uploads, then goes away in the
# middle of one, behind tests/stack/s3proxy.py, with the real pg_dump:
# - flaky: the backup retries, succeeds, and `backup verify` checks it;
# - gone (the proxy killed while a part upload hangs): the backup fails
#   with a clear error within the retry budget, exit 1, no object and no
#   manifest; once S3 is back, `backup list` and `diagnose` show that there
#   is no complete backup, the audit log has the failed outcome, and a new
#   backup succeeds;
# - from the dashboard's backup menu: S3 drops the second part's upload
#   every time; Activity shows the failure within two intervals of its
#   outcome, the upload is aborted (S3 still answers that), nothing is left,
#   a new backup from the menu succeeds, and the terminal is usable after.
. "$OPSDECK_SRCDIR/tests/faults/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_private pg,s3
bk_proxy_start

db=bk_flaky_$$
bk_big_db "$db" 10 # ~21 MB of dump, ~11 MB gzipped: two parts
dburl="postgresql://app:$PGPASSWORD@127.0.0.1:$PGPORT/$db"
audit=$TEST_DIR/audit.jsonl

conf() { # FILE PREFIX
	fault_config "$1" "[database]" "url = $dburl" "[backup]" "target = s3://$S3_BUCKET/$2" \
		"s3_endpoint = $BK_ENDPOINT" "[recovery]" "audit_log = $audit"
}
uploads_left() {
	find "$S3_DIR/$S3_BUCKET/._S3rver_uploads" -mindepth 1 -maxdepth 1 2>/dev/null | grep -c . || true
}
# wait_outcome: until the audit log has one more outcome than $outcomes.
wait_outcome() {
	local i
	for i in $(seq 1 1200); do
		[ "$(grep -c '"phase":"outcome"' "$audit" 2>/dev/null || echo 0)" -gt "$outcomes" ] && return 0
		sleep 0.1
	done
	fail "no backup outcome was recorded"
}

# ---- flaky: 500 and 503 on part uploads, retried
prefix=flaky-$$
conf flaky.conf "$prefix"
bk_proxy_faults '{"rules": [
  {"op": "UploadPart", "part": [1], "from": 1, "to": 2, "action": "status", "status": 500},
  {"op": "UploadPart", "part": [2], "from": 1, "to": 1, "action": "status", "status": 503}]}'
assert_exit 0 "$OPSDECK" -c flaky.conf backup db
assert_match "$ERR" 'UploadPart.*HTTP 500.*retry' "flaky: the 500s are retried"
assert_match "$ERR" 'UploadPart.*HTTP 503.*retry' "flaky: the 503 is retried"
assert_no_secrets "$OUT$ERR" "flaky"
key=$(bk_s3_keys "$prefix/" | grep '\.sql\.gz$')
assert_ne "$key" "" "flaky: the object exists"
assert_ne "$(bk_s3_keys "$prefix/" | grep '\.sql\.gz\.json$')" "" "flaky: its manifest exists"
bk_proxy_faults ''
assert_exit 0 "$OPSDECK" -c flaky.conf backup verify "${key#"$prefix"/}"
assert_contains "$OUT" "OK (SHA-256" "flaky: the object verifies"
assert_audit_outcome "$audit" backup-db ok "flaky"

# ---- gone: the proxy is killed while the second part's upload hangs
prefix=gone-$$
conf gone.conf "$prefix"
bk_proxy_faults '{"rules": [{"op": "UploadPart", "part": [2], "action": "hang", "seconds": 600}]}'
"$OPSDECK" -c gone.conf backup db >out.txt 2>err.txt &
pid=$!
for _ in $(seq 1 400); do
	bk_proxy_ops UploadPart | grep "$prefix" | grep -q '"fault": "hang"' && break
	sleep 0.05
done
assert_contains "$(bk_proxy_ops UploadPart | grep "$prefix")" '"fault": "hang"' "gone: an upload was in flight"
bk_proxy_stop
bk_proxy_faults ''
# the retry budget: 5 attempts with a backoff of at most 5 s, each refused
# at once now; a minute is far beyond it
if ! wait_until 60 ended "$pid"; then
	fail "gone: the backup still runs a minute after S3 went away"
	kill -TERM "$pid"
else
	pass "gone: the backup gave up within its retry budget"
fi
rc=0
wait "$pid" || rc=$?
assert_eq "$rc" 1 "gone: exit status"
assert_match "$(cat err.txt)" "backup failed: UploadPart 2 .*(connect|Connection|refused|reset)" "gone: a clear error"
assert_no_secrets "$(cat out.txt err.txt)" "gone"
assert_audit_outcome "$audit" backup-db failed "gone"
bk_proxy_restart
assert_eq "$(bk_s3_keys "$prefix/")" "" "gone: no object and no manifest once S3 is back"
assert_exit 0 "$OPSDECK" -c gone.conf backup list
assert_contains "$OUT" "no backups found" "gone: backup list"
run "$OPSDECK" -c gone.conf diagnose
assert_contains "$OUT" "No complete database backup at s3://$S3_BUCKET/$prefix" "gone: diagnose"
assert_ne "$RC" 0 "gone: diagnose exit status"
assert_exit 0 "$OPSDECK" -c gone.conf backup db
assert_contains "$OUT" "backed up $db" "gone: a new backup succeeds once S3 is back"
run "$OPSDECK" -c gone.conf diagnose
assert_not_contains "$OUT" "No complete database backup" "gone: diagnose after the new backup"

# ---- the dashboard: S3 drops every upload of the second part
prefix=dash-$$
conf dash.conf "$prefix"
bk_proxy_faults '{"rules": [{"op": "UploadPart", "part": [2], "action": "drop"}]}'
fault_dashboard 120 40 dash.conf
aborts_before=$(bk_proxy_ops AbortMultipartUpload | grep -c '"status": 204' || true)
# the upload of the "gone" run could not be aborted: S3 was away
uploads_before=$(uploads_left)
outcomes=$(grep -c '"phase":"outcome"' "$audit")
tui_keys b
tui_wait "back up the database" 5
tui_keys d
tui_wait "Start? (y / Esc)" 5
tui_keys y
wait_outcome
assert_audit_outcome "$audit" backup-db failed "dashboard"
assert_reported "FAILED (see Activity)" "dashboard"
assert_reported "backup failed: UploadPart 2" "dashboard: the reason"
tui_keys Escape
assert_reported "backup db: backup failed" "dashboard: Activity"
assert_eq "$(bk_s3_keys "$prefix/")" "" "dashboard: no object and no manifest"
assert_gt "$(bk_proxy_ops AbortMultipartUpload | grep -c '"status": 204' || true)" "$aborts_before" \
	"dashboard: the upload was aborted (204)"
assert_eq "$(uploads_left)" "$uploads_before" "dashboard: no new multipart upload left in the store"
assert_alive
bk_proxy_faults ''
outcomes=$(grep -c '"phase":"outcome"' "$audit")
tui_keys b
tui_wait "back up the database" 5
tui_keys d
tui_wait "Start? (y / Esc)" 5
tui_keys y
wait_outcome
assert_audit_outcome "$audit" backup-db ok "dashboard: S3 back"
assert_reported "backup db: backed up $db" "dashboard: S3 back"
assert_ne "$(bk_s3_keys "$prefix/" | grep '\.sql\.gz\.json$')" "" "dashboard: the new backup's manifest"
tui_keys Escape
assert_alive
fault_quit
assert_terminal_usable
finish
