#!/usr/bin/env bash
# Cancelling a database backup to S3 from the dashboard (b d y, then c y)
# while the S3 server refuses AbortMultipartUpload (HTTP 405, injected by
# tests/stack/s3proxy.py): nothing but the screen reaches the terminal (the
# dashboard's stderr stays empty, no "opsdeck:" line on the pane), the
# cancel prompt does not promise a clean target, the result dialog and the
# audit log's outcome name the upload left behind, and the next diagnose
# lists it.
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg,s3
bk_proxy_start

prefix=tui-cancel-$$
bk_config opsdeck.conf "s3://$S3_BUCKET/$prefix"
# ~20 MiB that do not compress, then pg_dump waits: a multipart upload
bk_fake_pg_dump "$TEST_DIR/fake_pg_dump" 20 120
bk_proxy_faults '{"rules": [{"op": "AbortMultipartUpload", "action": "status", "status": 405}]}'

# the dashboard's stderr goes to a file; it must stay empty
cat >"$TEST_DIR/opsdeck-stderr" <<EOS
#!/bin/sh
exec $(printf %q "$OPSDECK") "\$@" 2>$(printf %q "$TEST_DIR/stderr.txt")
EOS
chmod +x "$TEST_DIR/opsdeck-stderr"

TUI_ENV="OPSDECK_PG_DUMP=$TEST_DIR/fake_pg_dump"
OPSDECK=$TEST_DIR/opsdeck-stderr tui_start 120 40 -c opsdeck.conf
assert_screen "> Health"
tui_keys b d y
assert_screen "c cancel the backup"
for _ in $(seq 1 100); do
	bk_proxy_ops UploadPart | grep -q "$prefix" && break
	sleep 0.1
done
tui_keys c
assert_screen "Cancel the running backup db?"
assert_not_contains "$SCREEN" "nothing is left at the target" "no unconditional promise"
tui_keys y
assert_screen "could not be removed" 20
assert_contains "$SCREEN" "cancelled" "the result says cancelled"
assert_contains "$SCREEN" "unfinished upload" "the result names the unfinished upload"
assert_contains "$SCREEN" "HTTP 405" "the result says why it stayed"
assert_contains "$SCREEN" "opsdeck backup list" "the result says where to see it"
assert_not_contains "$SCREEN" "opsdeck:" "no stderr text on the screen"
assert_eq "$(cat "$TEST_DIR/stderr.txt")" "" "nothing written to stderr"
assert_ge "$(bk_proxy_ops AbortMultipartUpload | grep -c '"status": 405')" 1 "the abort was refused"
outcome=$(grep '"phase":"outcome"' audit.jsonl | tail -1)
assert_contains "$outcome" '"action":"backup-db"' "audit outcome of the backup"
assert_contains "$outcome" '"result":"cancelled"' "audit: cancelled"
assert_contains "$outcome" "could not be removed" "audit: the failed cleanup in the detail"
assert_match "$outcome" '"left_behind":"shop_[^"]*\.sql\.gz"' "audit: the upload left behind"
tui_keys Escape
assert_screen "unfinished upload at s3://$S3_BUCKET/$prefix" 20
tui_keys q
tui_wait "EXIT=" 10
assert_eq "$(cat "$TEST_DIR/stderr.txt")" "" "nothing written to stderr at the end"

# the next diagnose lists the unfinished upload
run "$OPSDECK" -c opsdeck.conf diagnose
assert_contains "$OUT" "1 unfinished upload at s3://$S3_BUCKET/$prefix; shop_" "diagnose: the upload"
assert_contains "$OUT" "left behind by a backup whose cleanup failed" "diagnose: why it stays"
run "$OPSDECK" -c opsdeck.conf diagnose --json
assert_contains "$OUT" '"backup_unfinished"' "diagnose --json: the issue"
finish
