#!/usr/bin/env bash
# Straight to s3rver, which ignores encoding-type=url and sends a key's
# control bytes raw (invalid XML 1.0), as other S3-compatible servers may:
# a files backup of names holding ESC, SOH, "]]>", '+' and '%' still lists.
# `backup list` exits 0 with the database and files backups complete and no
# raw ESC, both verify, `diagnose` still knows the database backup is fresh;
# s3rver's 501 to ListMultipartUploads is said once, not retried.
# (backup_s3_listing.sh covers the same names through the proxy, which
# encodes keys as AWS does.)
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg,s3
[ -n "${S3_DIR:-}" ] || skip "the stack has no S3_DIR"

prefix=raw-keys-$$-$RANDOM
bk_config c.conf "s3://$S3_BUCKET/$prefix"
mkdir -p up
printf 'esc\n' >"up/$(printf 'up\033[31mred\033[0m\001.txt')"
printf 'cdata\n' >"up/a]]>b<![CDATA[.txt"
printf 'plus\n' >"up/1+1 = 2%20.txt"
assert_exit 0 "$OPSDECK" -c c.conf backup db
assert_exit 0 "$OPSDECK" -c c.conf backup files --source "$TEST_DIR/up"
stored=$(cd "$S3_DIR/$S3_BUCKET/$prefix" && find . -name '*._S3rver_object')
assert_contains "$stored" "$(printf 'up\033[31mred')" "the stored key holds ESC"

assert_exit 0 "$OPSDECK" -c c.conf backup list
assert_match "$OUT" "db .* complete +shop_[0-9T-]+Z_[0-9a-f]{8}\.sql\.gz" \
	"the database backup listed complete"
assert_match "$OUT" "files .* complete " "the files backup listed complete"
assert_not_contains "$OUT$ERR" $'\x1b' "raw ESC in backup list"
assert_contains "$ERR" "HTTP 501 NotImplemented" "no upload listing on s3rver, said"
assert_not_contains "$ERR" "attempts" "a 501 is not retried"
assert_exit 0 "$OPSDECK" -c c.conf backup list --json
assert_json "$OUT" "backup list --json"
list=$OUT
for i in 0 1; do
	assert_exit 0 "$OPSDECK" -c c.conf backup verify "$(json_get "$list" backups.$i.key)"
done
run "$OPSDECK" -c c.conf diagnose --json
assert_json "$OUT" "diagnose --json"
assert_not_contains "$OUT" '"backup_stale"' "freshness known despite the ESC key"
assert_not_contains "$OUT" 'cannot be listed' "the listing read"
finish
