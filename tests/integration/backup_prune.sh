#!/usr/bin/env bash
# `opsdeck backup prune` on a real target, file:// and S3 (through
# tests/stack/s3proxy.py, which does ListMultipartUploads and
# AbortMultipartUpload as S3 does):
# - the dry run lists every backup with keep/delete and why, and deletes
#   nothing;
# - a policy with every key zero is refused (exit 2, naming the file), a bad
#   value names file:line, read-only mode and a missing terminal are refused,
#   and nothing is deleted; on a terminal, anything but "prune" typed
#   declines (audited);
# - --yes leaves exactly the kept set, `backup list` agrees, the audit log
#   has the attempt and the outcome with the counts;
# - each backup's manifest is deleted before its object (the proxy's log);
# - an unfinished write older than 24 h goes (S3 upload aborted, .partial
#   removed), a fresh one stays.
# Older backups are copies of a real one under names of 2020 (prune reads a
# backup's time from its name).
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg,s3
[ -n "${S3_DIR:-}" ] || skip "the stack has no S3_DIR"

POLICY="keep_last = 1
keep_daily = 3"
OLD_DAYS="2020-01-05T10 2020-01-05T08 2020-01-04T10 2020-01-03T10"
# today's real backup, 2020-01-05T10 and 2020-01-04T10 stay (daily 3)
KEEP_OLD="2020-01-05T10 2020-01-04T10"
GONE_OLD="2020-01-05T08 2020-01-03T10"

old_name() { printf 'shop_%s-00-00-000Z_0000aaaa.sql.gz' "$1"; }

audit_lines() { grep '"action":"backup-prune"' "$TEST_DIR/audit.jsonl" || true; }

# ------------------------------------------------------------------ file://
DIR=$TEST_DIR/target
bk_config f.conf "file://$DIR" "$DATABASE_URL" "$POLICY"
assert_exit 0 "$OPSDECK" -c f.conf backup db
REAL=$(cd "$DIR" && ls shop_*.sql.gz)
for d in $OLD_DAYS; do
	cp "$DIR/$REAL" "$DIR/$(old_name "$d")"
	cp "$DIR/$REAL.json" "$DIR/$(old_name "$d").json"
done
# a files backup of 2020, copied from a real one: its manifest and its files
mkdir -p up/sub && echo a >up/a.txt && echo b >up/sub/b.txt
bk_config files.conf "file://$TEST_DIR/files-src" "$DATABASE_URL"
assert_exit 0 "$OPSDECK" -c files.conf backup files --source "$TEST_DIR/up"
FILES_REAL=$(cd "$TEST_DIR/files-src" && ls -d 20*Z_* | grep -v json)
for name in 2020-01-02T00-00-00-000Z_0000bbbb 2020-01-02T01-00-00-000Z_0000cccc; do
	cp -r "$TEST_DIR/files-src/$FILES_REAL" "$DIR/$name"
	sed "s/$FILES_REAL/$name/g" "$TEST_DIR/files-src/$FILES_REAL.files.json" >"$DIR/$name.files.json"
done
# incomplete: one written to 3 days ago (goes), one just now (stays)
head -c 100 /dev/urandom >"$DIR/shop_2020-01-02T00-00-00-000Z_0000dddd.sql.gz"
touch -d '-3 days' "$DIR/shop_2020-01-02T00-00-00-000Z_0000dddd.sql.gz"
head -c 100 /dev/urandom >"$DIR/shop_2020-01-02T01-00-00-000Z_0000eeee.sql.gz"
# unfinished: a .partial last written 25 h ago (goes), one just now (stays)
echo x >"$DIR/shop_2020-01-06T00-00-00-000Z_0000ffff.sql.gz.partial"
touch -d '-25 hours' "$DIR/shop_2020-01-06T00-00-00-000Z_0000ffff.sql.gz.partial"
echo x >"$DIR/shop_2020-01-07T00-00-00-000Z_00001111.sql.gz.partial"
BEFORE=$(cd "$DIR" && find . | sort)

run "$OPSDECK" -c f.conf backup prune --dry-run
assert_eq "$RC" 0 "dry run exit status"
assert_match "$OUT" "keep +db +$REAL \(last 1, daily " "the newest kept, with why"
for d in $KEEP_OLD; do
	assert_match "$OUT" "keep +db +$(old_name "$d") \(daily ${d%T*}\)" "$d kept as daily"
done
for d in $GONE_OLD; do
	assert_match "$OUT" "delete +db +$(old_name "$d") \(not kept by the policy\)" "$d listed to go"
done
assert_match "$OUT" "keep +files +2020-01-02T01-00-00-000Z_0000cccc \(last 1, daily 2020-01-02\)" \
	"the newest files backup kept (its own series)"
assert_match "$OUT" "delete +files +2020-01-02T00-00-00-000Z_0000bbbb " "an older files backup listed to go"
assert_match "$OUT" "delete +db +shop_2020-01-02T00-00-00-000Z_0000dddd.sql.gz \(incomplete\)" \
	"an old incomplete backup listed to go"
assert_match "$OUT" "keep +db +shop_2020-01-02T01-00-00-000Z_0000eeee.sql.gz \(incomplete, changed within the last hour\)" \
	"a young incomplete backup kept"
assert_match "$OUT" "remove +file +shop_2020-01-06T00-00-00-000Z_0000ffff.sql.gz.partial" "the stale .partial listed"
assert_match "$OUT" "keep +file +shop_2020-01-07T00-00-00-000Z_00001111.sql.gz.partial" "the fresh .partial kept"
assert_contains "$OUT" "4 of 9 backups to delete" "the counts"
assert_contains "$OUT" "dry run: nothing was deleted"
assert_eq "$(cd "$DIR" && find . | sort)" "$BEFORE" "the dry run deleted nothing"

# refusals: nothing deleted by any of them
bk_config zero.conf "file://$DIR" "$DATABASE_URL" "keep_last = 0"
run "$OPSDECK" -c zero.conf backup prune --yes
assert_eq "$RC" 2 "an all-zero policy: exit status"
assert_contains "$ERR" "no retention policy" "an all-zero policy refused"
assert_contains "$ERR" "zero.conf" "the refusal names the file"
bk_config unset.conf "file://$DIR" "$DATABASE_URL"
run "$OPSDECK" -c unset.conf backup prune --dry-run
assert_eq "$RC" 2 "an unset policy: exit status (the dry run too)"
bk_config bad.conf "file://$DIR" "$DATABASE_URL" "keep_daily = -1"
run "$OPSDECK" -c bad.conf backup prune --dry-run
assert_eq "$RC" 2 "a bad keep_daily: exit status"
assert_match "$ERR" "bad\.conf:[0-9]+: .*keep_daily" "a bad keep_daily names file:line"
run "$OPSDECK" -c f.conf --read-only backup prune --yes
assert_eq "$RC" 2 "read-only: exit status"
assert_contains "$ERR" "read-only" "read-only refused"
assert_contains "$(audit_lines)" '"result":"refused"' "the read-only refusal audited"
run "$OPSDECK" -c f.conf backup prune </dev/null
assert_eq "$RC" 2 "no terminal and no --yes: exit status"
assert_contains "$ERR" "no terminal to confirm on"
assert_exit 2 "$OPSDECK" -c f.conf backup prune --dry-run --yes
# on a terminal (script(1)), anything but "prune" typed declines; audited
if command -v script >/dev/null; then
	run bash -c "printf 'yes\n' | script -qec '$OPSDECK -c f.conf backup prune' /dev/null"
	assert_contains "$OUT" "Type prune to delete 4 backups" "the confirmation asks for the word"
	assert_contains "$OUT" "not confirmed: nothing was deleted" "anything else declines"
	assert_contains "$(audit_lines | tail -1)" '"result":"declined"' "the decline audited"
else
	pass "script(1) missing: no terminal to type on"
fi
assert_eq "$(cd "$DIR" && find . | sort)" "$BEFORE" "the refusals deleted nothing"

run "$OPSDECK" -c f.conf backup prune --yes
assert_eq "$RC" 0 "prune --yes exit status"
assert_contains "$OUT" "deleted 4 of 4 backups" "the summary"
assert_contains "$OUT" "removed 1 unfinished write" "the summary counts the .partial"
EXPECTED=$(printf '%s\n' "$REAL" "$REAL.json" \
	"$(old_name 2020-01-05T10)" "$(old_name 2020-01-05T10).json" \
	"$(old_name 2020-01-04T10)" "$(old_name 2020-01-04T10).json" \
	"2020-01-02T01-00-00-000Z_0000cccc.files.json" \
	"shop_2020-01-02T01-00-00-000Z_0000eeee.sql.gz" \
	"shop_2020-01-07T00-00-00-000Z_00001111.sql.gz.partial" | sort)
assert_eq "$(cd "$DIR" && ls | sort | grep -v '^2020-01-02T01-00-00-000Z_0000cccc$')" "$EXPECTED" \
	"exactly the kept set is left"
assert_eq "$(find "$DIR/2020-01-02T01-00-00-000Z_0000cccc" -type f | wc -l)" 2 "the kept files backup whole"
[ ! -e "$DIR/2020-01-02T00-00-00-000Z_0000bbbb" ] && pass "the deleted files backup's directory is gone" ||
	fail "the deleted files backup's directory is left"
run "$OPSDECK" -c f.conf backup list --json
LISTED=$(json_get "$OUT" 'd["backups"]' | "$_LIB_PY" -c 'import json, sys; print("\n".join(sorted(b["key"] for b in json.load(sys.stdin))))')
assert_eq "$LISTED" "$(printf '%s\n' "$REAL" "$(old_name 2020-01-05T10)" "$(old_name 2020-01-04T10)" \
	2020-01-02T01-00-00-000Z_0000cccc shop_2020-01-02T01-00-00-000Z_0000eeee.sql.gz | sort)" \
	"backup list agrees"
OUTCOME=$(audit_lines | grep '"phase":"outcome"' | tail -1)
assert_contains "$OUTCOME" '"result":"ok"' "the outcome audited"
assert_contains "$OUTCOME" "deleted 4 of 4 backups" "the outcome has the counts"
assert_eq "$(audit_lines | grep -c '"phase":"attempt"')" 3 "one attempt per run (read-only, declined, --yes)"

# nothing left to do: says so, exit 0
run "$OPSDECK" -c f.conf backup prune --yes
assert_eq "$RC" 0 "a second prune: exit status"
assert_contains "$OUT" "nothing to prune"

# ---------------------------------------------------------------------- S3
bk_proxy_start
PREFIX=prune-$$-$RANDOM
bk_config s.conf "s3://$S3_BUCKET/$PREFIX" "$DATABASE_URL" "$POLICY"
assert_exit 0 "$OPSDECK" -c s.conf backup db
REAL=$(bk_s3_keys "$PREFIX/" | grep '\.sql\.gz$' | sed "s|^$PREFIX/||")
s3 get "$PREFIX/$REAL" real.gz
s3 get "$PREFIX/$REAL.json" real.json
for d in $OLD_DAYS; do
	s3 put "$PREFIX/$(old_name "$d")" real.gz
	s3 put "$PREFIX/$(old_name "$d").json" real.json
done
begin_upload() {
	"$_LIB_PY" - "$1" <<'EOF'
import os, sys
import botocore.session
from botocore.config import Config
client = botocore.session.get_session().create_client(
    "s3", endpoint_url=os.environ["S3_ENDPOINT"], region_name=os.environ.get("AWS_REGION", "us-east-1"),
    aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
    aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
    config=Config(s3={"addressing_style": "path"}))
print(client.create_multipart_upload(Bucket=os.environ["S3_BUCKET"], Key=sys.argv[1])["UploadId"])
EOF
}
OLD_UPLOAD=$(begin_upload "$PREFIX/shop_2020-01-06T00-00-00-000Z_0000ffff.sql.gz")
touch -d '-25 hours' "$S3_DIR/$S3_BUCKET/._S3rver_uploads/$OLD_UPLOAD/key"
NEW_UPLOAD=$(begin_upload "$PREFIX/shop_2020-01-07T00-00-00-000Z_00001111.sql.gz")
assert_ne "$OLD_UPLOAD" "" "an old upload begun"
# the fresh one stays: remove it from s3rver's store at the end
on_exit rm -rf "$S3_DIR/$S3_BUCKET/._S3rver_uploads/$NEW_UPLOAD"

run "$OPSDECK" -c s.conf backup prune --dry-run
assert_eq "$RC" 0 "S3 dry run exit status"
assert_match "$OUT" "abort +upload shop_2020-01-06T00-00-00-000Z_0000ffff.sql.gz \(upload id $OLD_UPLOAD\)" \
	"the old upload listed to abort"
assert_match "$OUT" "keep +upload shop_2020-01-07T00-00-00-000Z_00001111.sql.gz" "the fresh upload kept"
assert_eq "$(bk_proxy_ops DeleteObject)$(bk_proxy_ops AbortMultipartUpload)" "" \
	"the S3 dry run deleted nothing"

run "$OPSDECK" -c s.conf backup prune --yes
assert_eq "$RC" 0 "S3 prune --yes exit status"
assert_contains "$OUT" "deleted 2 of 2 backups" "S3 summary"
assert_contains "$OUT" "aborted the unfinished upload" "the old upload aborted"
assert_eq "$(bk_s3_keys "$PREFIX/" | sed "s|^$PREFIX/||" | sort)" \
	"$(printf '%s\n' "$REAL" "$REAL.json" "$(old_name 2020-01-05T10)" "$(old_name 2020-01-05T10).json" \
		"$(old_name 2020-01-04T10)" "$(old_name 2020-01-04T10).json" | sort)" \
	"exactly the kept set is left on S3"
# the manifest before the object, for each deleted backup
DELETES=$(bk_proxy_ops DeleteObject | "$_LIB_PY" -c 'import json, sys; print("\n".join(json.loads(l)["key"] for l in sys.stdin))')
for d in $GONE_OLD; do
	first=$(printf '%s\n' "$DELETES" | grep -n "$(old_name "$d")" | head -1)
	assert_contains "$first" "$(old_name "$d").json" "$d: its manifest deleted first"
done
assert_contains "$(bk_proxy_ops AbortMultipartUpload)" "shop_2020-01-06T00-00-00-000Z_0000ffff.sql.gz" \
	"AbortMultipartUpload of the old upload"
run "$OPSDECK" -c s.conf backup list
assert_not_contains "$OUT" "$OLD_UPLOAD" "the old upload no longer listed"
assert_contains "$OUT" "$NEW_UPLOAD" "the fresh upload still listed"
assert_match "$OUT" "complete +$(old_name 2020-01-04T10)" "backup list agrees on S3"
assert_not_contains "$OUT" "$(old_name 2020-01-03T10)" "a deleted backup is not listed"
assert_no_secrets "$OUT$ERR"
bk_proxy_sig_ok
finish
