#!/usr/bin/env bash
# The S3 backup listing against hostile names and what a crash leaves:
# - a files backup of names holding ESC, BEL, "]]>", '+' and '%' (keys that
#   XML 1.0 cannot carry raw): `backup list` still exits 0 and lists the
#   database backup as complete, `diagnose` still knows its freshness, and
#   no raw control character reaches the output;
# - a multipart upload begun 2 h ago and never finished is listed with its
#   upload id, and `diagnose` raises backup_unfinished;
# - an object cut short (stored size not the manifest's) is DAMAGED, not
#   complete, and no longer counts as a fresh backup.
# Through tests/stack/s3proxy.py, which answers encoding-type=url and
# ListMultipartUploads as S3 does (s3rver does neither).
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg,s3
[ -n "${S3_DIR:-}" ] || skip "the stack has no S3_DIR"
bk_proxy_start
PREFIX=listing-$$-$RANDOM
bk_config c.conf "s3://$S3_BUCKET/$PREFIX"

mkdir -p up
printf 'escape\n' >"up/"$'\x1b[2J\x1b]0;pwned\x07'"name.txt"
printf 'cdata\n' >"up/a]]>b<![CDATA[.txt"
printf 'plus\n' >"up/50%+off c.txt"
assert_exit 0 "$OPSDECK" -c c.conf backup db
assert_exit 0 "$OPSDECK" -c c.conf backup files --source "$TEST_DIR/up"
# botocore asks for encoding-type=url too: it lists through the proxy only
keys() { S3_ENDPOINT=$BK_ENDPOINT bk_s3_keys "$PREFIX/"; }
ESC_KEYS=$(keys | grep -c $'\x1b' || true)
assert_eq "$ESC_KEYS" 1 "the key holding ESC is stored"

run "$OPSDECK" -c c.conf backup list
assert_eq "$RC" 0 "backup list exit status with an ESC in a key"
assert_match "$OUT" 'db .* complete +shop_.*\.sql\.gz' "the database backup listed complete"
assert_match "$OUT" 'files .* complete ' "the files backup listed complete"
assert_not_contains "$OUT$ERR" $'\x1b' "raw ESC in the listing"
run "$OPSDECK" -c c.conf backup list --json
assert_eq "$RC" 0 "backup list --json exit status"
assert_json "$OUT"
run "$OPSDECK" -c c.conf diagnose --json
assert_json "$OUT"
assert_not_contains "$OUT" '"backup_stale"' "freshness known despite the ESC key"
assert_not_contains "$OUT" 'cannot be listed' "freshness known despite the ESC key"
grep '"op": *"ListObjects"' "$BK_PROXY_LOG" | grep -q 'encoding-type' ||
	fail "the listings asked for encoding-type=url"
bk_proxy_sig_ok

# a multipart upload left behind by a kill, begun two hours ago
LEFT_KEY="$PREFIX/shop_2020-01-01T00-00-00-000Z_deadbeef.sql.gz"
UPLOAD_ID=$("$_LIB_PY" - "$LEFT_KEY" <<'EOF'
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
)
assert_ne "$UPLOAD_ID" "" "an upload begun"
touch -d '-2 hours' "$S3_DIR/$S3_BUCKET/._S3rver_uploads/$UPLOAD_ID/key"
run "$OPSDECK" -c c.conf backup list
assert_eq "$RC" 0 "backup list exit status with an unfinished upload"
assert_contains "$OUT" "unfinished (begun, neither completed nor aborted)"
assert_match "$OUT" "2h0[0-9]m +shop_2020-01-01T00-00-00-000Z_deadbeef\.sql\.gz \(upload id $UPLOAD_ID\)" \
	"the unfinished upload with its age and id"
run "$OPSDECK" -c c.conf backup list --json
assert_contains "$OUT" "\"upload_id\": \"$UPLOAD_ID\""
run "$OPSDECK" -c c.conf diagnose --json
assert_contains "$OUT" '"backup_unfinished"' "diagnose reports the stale upload"
assert_contains "$OUT" 'AbortIncompleteMultipartUpload'

# the database backup cut short: 100 bytes where the manifest says more
DB_KEY=$(keys | grep -E '^[^/]*/shop_.*\.sql\.gz$' | grep -v deadbeef)
head -c 100 /dev/zero >short
S3_ENDPOINT=$S3_ENDPOINT s3 put "$DB_KEY" short
run "$OPSDECK" -c c.conf backup list
assert_eq "$RC" 0 "backup list exit status with a truncated object"
assert_match "$OUT" "db .* DAMAGED +${DB_KEY#*/} \(100 bytes stored, the manifest says [0-9]+\)" \
	"the truncated object is damaged, with why"
run "$OPSDECK" -c c.conf backup list --json
assert_contains "$OUT" '"complete": false'
assert_contains "$OUT" '100 bytes stored, the manifest says'
run "$OPSDECK" -c c.conf diagnose --json
assert_contains "$OUT" '"backup_stale"' "a truncated backup is not a fresh one"
finish
