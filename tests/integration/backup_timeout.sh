#!/usr/bin/env bash
# [backup] timeout, and what a failed upload leaves at a reachable target:
# - a database backup past its timeout (a pg_dump that stalls) fails with
#   "timed out after 1 s", pg_dump is stopped and nothing is left at a
#   file:// target; the audit outcome is "failed" and says why;
# - on S3, a part upload that hangs is ended by the timeout, the multipart
#   upload is aborted and none is left (ListMultipartUploads, through
#   tests/stack/s3proxy.py);
# - a files backup whose PutObject hangs times out with no manifest;
# - a backup whose part upload is refused (403) fails and leaves no
#   unfinished upload behind.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg,s3
bk_proxy_start
fake=$TEST_DIR/fake_pg_dump

unfinished() {
	run "$OPSDECK" -c "$1" backup list --json
	json_get "$OUT" 'd["unfinished"]'
}

# ---- file://: pg_dump stalls after 2 MB
bk_fake_pg_dump "$fake" 2 60
bk_config f.conf "file://$TEST_DIR/target" "$DATABASE_URL" "timeout = 1s"
run env OPSDECK_PG_DUMP="$fake" "$OPSDECK" -c f.conf backup db
assert_eq "$RC" 1 "exit status of a backup past its timeout"
assert_contains "$ERR" "timed out after 1 s ([backup] timeout)" "the message says it timed out"
assert_not_contains "$ERR" "cancelled" "a timeout is not a cancel"
fake_pid=$(cat "$TEST_DIR/fake_pg_dump.pid")
if kill -0 "$fake_pid" 2>/dev/null; then fail "pg_dump still runs"; else pass "pg_dump stopped"; fi
assert_eq "$(ls -A target)" "" "nothing left at the file:// target"
OUTCOME=$(grep '"action":"backup-db"' audit.jsonl | tail -1)
assert_contains "$OUTCOME" '"result":"failed"' "audit outcome failed"
assert_contains "$OUTCOME" "timed out after 1 s" "audit outcome says why"

# ---- S3: a part upload hangs
bk_fake_pg_dump "$fake" 20 60
prefix=timeout-$$-$RANDOM
bk_config s.conf "s3://$S3_BUCKET/$prefix" "$DATABASE_URL" "timeout = 2s"
bk_proxy_faults '{"rules": [{"op": "UploadPart", "action": "hang", "seconds": 60}]}'
run env OPSDECK_PG_DUMP="$fake" "$OPSDECK" -c s.conf backup db
assert_eq "$RC" 1 "S3: exit status past the timeout"
assert_contains "$ERR" "timed out after 2 s" "S3: the message says it timed out"
bk_proxy_faults ''
assert_eq "$(bk_s3_keys "$prefix/")" "" "S3: no object left"
assert_ge "$(bk_proxy_ops AbortMultipartUpload | grep "$prefix/" | grep -c '"status": 204')" 1 \
	"S3: the upload was aborted"
assert_eq "$(unfinished s.conf)" "[]" "S3: no unfinished upload left"

# ---- S3: a files backup whose PutObject hangs
mkdir -p up && echo a >up/a.txt && echo b >up/b.txt
fprefix=timeout-files-$$-$RANDOM
bk_config sf.conf "s3://$S3_BUCKET/$fprefix" "$DATABASE_URL" "timeout = 1s"
bk_proxy_faults '{"rules": [{"op": "PutObject", "action": "hang", "seconds": 60}]}'
run "$OPSDECK" -c sf.conf backup files --source "$TEST_DIR/up"
bk_proxy_faults ''
assert_eq "$RC" 1 "files: exit status past the timeout"
assert_contains "$ERR" "timed out after 1 s" "files: the message says it timed out"
assert_not_contains "$(bk_s3_keys "$fprefix/")" ".files.json" "files: no manifest written"

# ---- S3: a part refused for good: the upload is aborted, none left over
bk_fake_pg_dump "$fake" 20 0
rprefix=refused-$$-$RANDOM
bk_config r.conf "s3://$S3_BUCKET/$rprefix" "$DATABASE_URL"
bk_proxy_faults '{"rules": [{"op": "UploadPart", "action": "status", "status": 403, "code": "AccessDenied"}]}'
run env OPSDECK_PG_DUMP="$fake" "$OPSDECK" -c r.conf backup db
bk_proxy_faults ''
assert_eq "$RC" 1 "refused part: exit status"
assert_contains "$ERR" "backup failed" "refused part: the backup failed"
assert_eq "$(bk_s3_keys "$rprefix/")" "" "refused part: no object left"
assert_eq "$(unfinished r.conf)" "[]" "refused part: no unfinished upload left"
assert_no_secrets "$OUT$ERR"
bk_proxy_sig_ok
finish
