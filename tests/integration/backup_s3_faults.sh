#!/usr/bin/env bash
# S3 faults during a multipart backup, injected by tests/stack/s3proxy.py:
# - 500s and a reset on parts are retried and the object is intact (it
#   restores, and every request's signature passes botocore's check);
# - a CompleteMultipartUpload answered 200 with an <Error> fails the backup,
#   the upload is aborted and no object is left;
# - a manifest that cannot be written: the object is deleted again;
# - S3 going away mid-upload fails cleanly (exit 1, reason, no object);
# - SIGTERM mid-backup: pg_dump stopped, upload aborted, exit non-zero.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_private pg,s3
require_cmd gunzip
bk_proxy_start

db=bk_big_$$
bk_big_db "$db" 10 # ~21 MB of dump, ~11 MB gzipped: two parts
sum_sql="SELECT count(*) || ' ' || md5(string_agg(md5(data), ',' ORDER BY id)) FROM blobs"
want=$(bk_psql "$db" "$sum_sql")
assert_match "$want" '^160 [0-9a-f]{32}$' "source checksum"

dburl="postgresql://app:$PGPASSWORD@127.0.0.1:$PGPORT/$db"

# ---- retried faults
prefix=faults-$$
bk_config c.conf "s3://$S3_BUCKET/$prefix" "$dburl"
bk_proxy_faults '{"rules": [
  {"op": "UploadPart", "part": [1], "from": 1, "to": 2, "action": "status", "status": 500},
  {"op": "UploadPart", "part": [2], "from": 1, "to": 1, "action": "reset"},
  {"op": "CreateMultipartUpload", "from": 1, "to": 1, "action": "status", "status": 503}]}'
assert_exit 0 "$OPSDECK" -c c.conf backup db
assert_match "$ERR" 'UploadPart.*HTTP 500.*retry' "retries are reported"
assert_no_secrets "$OUT$ERR"
key=$(bk_s3_keys "$prefix/" | grep '\.sql\.gz$')
assert_ne "$key" "" "the object exists"
assert_ge "$(bk_proxy_ops UploadPart | grep -c '"status": 500')" 2 "500s on part 1 were seen"
assert_ge "$(bk_proxy_ops UploadPart | grep -c '"status": 200')" 2 "parts went up"
assert_eq "$(bk_proxy_ops CompleteMultipartUpload | grep -c '"status": 200')" 1 "completed once"
bk_proxy_sig_ok
bk_proxy_faults ''
assert_exit 0 "$OPSDECK" -c c.conf backup verify "${key#"$prefix"/}"
s3 get "$key" big.sql.gz
restored=bk_big_restored_$$
bk_createdb "$restored"
gunzip -c big.sql.gz | PGPASSWORD=$PG_SUPERUSER_PASSWORD "${PG_BINDIR:+$PG_BINDIR/}psql" -X -q \
	-v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres -d "$restored" >/dev/null 2>restore.err ||
	fail "restore: $(head -3 restore.err)"
assert_eq "$(bk_psql "$restored" "$sum_sql")" "$want" "restored blobs match"

# ---- an <Error> inside a 200 to CompleteMultipartUpload
prefix=complete-error-$$
bk_config c.conf "s3://$S3_BUCKET/$prefix" "$dburl"
bk_proxy_faults '{"rules": [{"op": "CompleteMultipartUpload", "action": "complete_error", "code": "InternalError"}]}'
assert_exit 1 "$OPSDECK" -c c.conf backup db
assert_contains "$ERR" "backup failed"
assert_eq "$(bk_s3_keys "$prefix/")" "" "no object after a failed complete"
assert_ge "$(bk_proxy_ops AbortMultipartUpload | grep -c .)" 1 "the upload was aborted"
assert_contains "$(tail -1 audit.jsonl)" '"result":"failed"' "audit outcome"
bk_proxy_faults ''

# ---- the manifest cannot be written: the object is removed again
prefix=manifest-fails-$$
bk_config c.conf "s3://$S3_BUCKET/$prefix" "$dburl"
bk_proxy_faults '{"rules": [{"op": "PutObject", "key": ".sql.gz.json", "action": "status", "status": 500}]}'
assert_exit 1 "$OPSDECK" -c c.conf backup db
assert_contains "$ERR" "writing the manifest failed"
assert_eq "$(bk_s3_keys "$prefix/")" "" "no object without its manifest"
bk_proxy_faults ''

# ---- SIGTERM mid-backup
fake=$TEST_DIR/fake_pg_dump
bk_fake_pg_dump "$fake" 20 120
prefix=sigterm-$$
bk_config c.conf "s3://$S3_BUCKET/$prefix" "$dburl"
aborts_before=$(bk_proxy_ops AbortMultipartUpload | grep -c '"status": 204' || true)
OPSDECK_PG_DUMP=$fake "$OPSDECK" -c c.conf backup db >out.txt 2>err.txt &
pid=$!
for _ in $(seq 1 100); do
	bk_proxy_ops UploadPart | grep -q "$prefix" && break
	sleep 0.1
done
sleep 0.5
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
assert_ne "$rc" 0 "exit status after SIGTERM"
assert_contains "$(cat err.txt)" "cancelled"
fake_pid=$(cat "$TEST_DIR/fake_pg_dump.pid")
if kill -0 "$fake_pid" 2>/dev/null; then fail "pg_dump still runs"; else pass "pg_dump stopped"; fi
assert_eq "$(bk_s3_keys "$prefix/")" "" "no object after SIGTERM"
assert_gt "$(bk_proxy_ops AbortMultipartUpload | grep -c '"status": 204')" "$aborts_before" "the upload was aborted (204)"
assert_eq "$(find "$S3_DIR/$S3_BUCKET/._S3rver_uploads" -mindepth 1 -maxdepth 1 2>/dev/null | grep -c .)" 0 \
	"no multipart upload left in s3rver's store"
assert_contains "$(tail -1 audit.jsonl)" '"result":"cancelled"' "audit outcome"

# ---- S3 goes away mid-upload
prefix=gone-$$
bk_config c.conf "s3://$S3_BUCKET/$prefix" "$dburl"
bk_fake_pg_dump "$fake" 40 5
OPSDECK_PG_DUMP=$fake "$OPSDECK" -c c.conf backup db >out.txt 2>err.txt &
pid=$!
for _ in $(seq 1 100); do
	bk_proxy_ops UploadPart | grep -q "$prefix" && break
	sleep 0.1
done
bk_proxy_stop
t0=$(date +%s)
rc=0
wait "$pid" || rc=$?
assert_eq "$rc" 1 "exit status when S3 went away"
assert_le "$(($(date +%s) - t0))" 90 "seconds to give up"
assert_contains "$(cat err.txt)" "backup failed"
assert_no_secrets "$(cat out.txt err.txt)"
assert_eq "$(bk_s3_keys "$prefix/")" "" "no object when S3 went away"
finish
