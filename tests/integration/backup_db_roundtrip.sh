#!/usr/bin/env bash
# backup db to file:// and to S3 (through the signature-verifying proxy when
# botocore is there), then: list shows it complete, verify passes, and the
# dump restores into a fresh database with the same rows and checksum of
# "RequestLog". pg_dump never sees the password on its command line.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg,s3
require_cmd gunzip

# a pg_dump that records its argv, then runs the real one
real=$(command -v "${PG_BINDIR:+$PG_BINDIR/}pg_dump")
cat >spy_pg_dump <<EOF
#!/bin/sh
printf '%s\n' "\$@" >>"$TEST_DIR/pg_dump.argv"
exec "$real" "\$@"
EOF
chmod +x spy_pg_dump
export OPSDECK_PG_DUMP=$TEST_DIR/spy_pg_dump

want=$(bk_request_log_sum shop)
assert_match "$want" '^[1-9][0-9]* [0-9a-f]{32}$' "source checksum"

restore_and_compare() { # GZFILE NAME
	bk_restore_plain "$2" "bk_restore_$2_$$" gunzip -c "$1"
	assert_eq "$(bk_request_log_sum "bk_restore_$2_$$")" "$want" \
		"$2: RequestLog rows and checksum after restore"
}

# ---- file://
mkdir -p target
bk_config opsdeck.conf "file://$TEST_DIR/target"
assert_exit 0 "$OPSDECK" -c opsdeck.conf backup db
assert_match "$OUT" '^backed up shop to file://.*/shop_[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-[0-9]{2}-[0-9]{3}Z_[0-9a-f]{8}\.sql\.gz' "summary"
assert_no_secrets "$OUT$ERR"
obj=$(cd target && ls -- *.sql.gz)
assert_eq "$(cd target && ls)" "$obj
$obj.json" "the object and its manifest, nothing else"
assert_eq "$(stat -c %a "target/$obj")" 600 "the backup file mode"
man=$(cat "target/$obj.json")
assert_json "$man" "manifest"
assert_eq "$(json_get "$man" sha256)" "$(sha256sum "target/$obj" | cut -d' ' -f1)" "manifest sha256"
assert_eq "$(json_get "$man" bytes_out)" "$(stat -c %s "target/$obj")" "manifest bytes_out"
assert_eq "$(json_get "$man" bytes_in)" "$(gunzip -c "target/$obj" | wc -c)" "manifest bytes_in"
assert_contains "$(json_get "$man" pg_dump_version)" "pg_dump (PostgreSQL)"
assert_match "$(json_get "$man" server_version)" '^1[0-9]' "server version"
assert_eq "$(json_get "$man" database)" shop "database"
if gunzip -t "target/$obj"; then pass "gzip -t"; else fail "gzip -t"; fi
restore_and_compare "target/$obj" file

assert_exit 0 "$OPSDECK" -c opsdeck.conf backup list --json
assert_eq "$(json_get "$OUT" backups.0.key)" "$obj" "list: the key"
assert_eq "$(json_get "$OUT" backups.0.complete)" true "list: complete"
assert_exit 0 "$OPSDECK" -c opsdeck.conf backup verify "$obj"
assert_contains "$OUT" "OK"
audit=$(cat audit.jsonl)
assert_eq "$(grep -c '"action":"backup-db"' audit.jsonl)" 2 "audit: attempt + outcome"
assert_contains "$audit" '"result":"ok"'
assert_no_secrets "$audit" "audit log"

# ---- S3 (through the verifying proxy when botocore is there)
if "$_LIB_PY" -c 'import botocore' 2>/dev/null; then
	bk_proxy_start
fi
prefix=roundtrip-$$-$RANDOM
bk_config s3.conf "s3://$S3_BUCKET/$prefix"
assert_exit 0 "$OPSDECK" -c s3.conf backup db
assert_no_secrets "$OUT$ERR"
keys=$(bk_s3_keys "$prefix/")
key=$(printf '%s\n' "$keys" | grep '\.sql\.gz$')
assert_eq "$(printf '%s\n' "$keys" | wc -l)" 2 "S3: the object and its manifest"
assert_eq "$(printf '%s\n' "$keys" | grep -c '\.sql\.gz\.json$')" 1 "S3: the manifest"
s3 get "$key" s3.sql.gz
s3 get "$key.json" s3.json
assert_eq "$(json_get "$(cat s3.json)" sha256)" "$(sha256sum s3.sql.gz | cut -d' ' -f1)" "S3 manifest sha256"
restore_and_compare s3.sql.gz s3
assert_exit 0 "$OPSDECK" -c s3.conf backup verify "${key#"$prefix"/}"
assert_exit 0 "$OPSDECK" -c s3.conf backup list
assert_contains "$OUT" complete
[ -z "${BK_PROXY_LOG:-}" ] || bk_proxy_sig_ok

# ---- format = custom: pg_dump -Fc, stored as .dump.gz, read by pg_restore
mkdir -p custom
bk_config custom.conf "file://$TEST_DIR/custom" "" "format = custom"
assert_exit 0 "$OPSDECK" -c custom.conf backup db
cobj=$(cd custom && ls -- *.dump.gz 2>/dev/null)
assert_match "$cobj" '^shop_.*Z_[0-9a-f]{8}\.dump\.gz$' "custom format key"
assert_eq "$(json_get "$(cat "custom/$cobj.json")" format)" custom "manifest format"
if gunzip -c "custom/$cobj" | "${PG_BINDIR:+$PG_BINDIR/}pg_restore" --list >toc.txt 2>&1; then
	pass "pg_restore reads the custom dump"
else
	fail "pg_restore --list failed: $(head -3 toc.txt)"
fi
assert_contains "$(cat toc.txt)" "RequestLog" "the custom dump's table of contents"

# ---- pg_dump never got the password on its command line
assert_not_contains "$(cat pg_dump.argv)" "$PGPASSWORD" "pg_dump's argv"
assert_not_contains "$(cat pg_dump.argv)" "password=" "pg_dump's argv"
finish
