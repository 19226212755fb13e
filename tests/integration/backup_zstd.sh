#!/usr/bin/env bash
# backup db with [backup] compression = zstd, to file:// and to S3: the
# object is .sql.zst (custom: .dump.zst), `zstd -t` accepts it, the manifest
# says "zstd", list shows it complete, verify passes, the dump restores with
# psql into a fresh database with the same rows as the source, and a
# one-byte tamper or a truncation fails verify. A bad compression or level
# is refused at load with the file and line.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg,s3
require_cmd zstd

want=$(bk_request_log_sum shop)
assert_match "$want" '^[1-9][0-9]* [0-9a-f]{32}$' "source checksum"

restore_and_compare() { # ZSTFILE NAME
	bk_restore_plain "$2" "bk_zstd_$2_$$" zstd -dc "$1"
	assert_eq "$(bk_request_log_sum "bk_zstd_$2_$$")" "$want" \
		"$2: RequestLog rows and checksum after restore"
}

# ---- configuration errors name the file and line
bk_config bad.conf "file://$TEST_DIR/nowhere" "" "compression = xz"
assert_exit 2 "$OPSDECK" -c bad.conf backup db
assert_match "$ERR" "bad\.conf:[0-9]+: compression: 'xz' is not a backup compression \(use gzip or zstd\)" "unknown compression"
bk_config bad.conf "file://$TEST_DIR/nowhere" "" "compression = gzip
compression_level = 15"
assert_exit 2 "$OPSDECK" -c bad.conf backup db
assert_match "$ERR" "bad\.conf:[0-9]+: compression_level: 15 is out of range for gzip \(1 to 9\)" "gzip level"
if [ -e nowhere ]; then fail "a refused configuration wrote a target"; else pass "nothing was written"; fi

# ---- file://
mkdir -p target
bk_config opsdeck.conf "file://$TEST_DIR/target" "" "compression = zstd
compression_level = 15"
assert_exit 0 "$OPSDECK" -c opsdeck.conf backup db
assert_match "$OUT" '^backed up shop to file://.*/shop_[0-9T-]+Z_[0-9a-f]{8}\.sql\.zst:' "summary"
assert_no_secrets "$OUT$ERR"
obj=$(cd target && ls -- *.sql.zst)
assert_eq "$(cd target && ls)" "$obj
$obj.json" "the object and its manifest, nothing else"
man=$(cat "target/$obj.json")
assert_json "$man" "manifest"
assert_eq "$(json_get "$man" compression.algorithm)" zstd "manifest: algorithm"
assert_eq "$(json_get "$man" compression.level)" 15 "manifest: level"
assert_eq "$(json_get "$man" sha256)" "$(sha256sum "target/$obj" | cut -d' ' -f1)" "manifest sha256"
assert_eq "$(json_get "$man" bytes_out)" "$(stat -c %s "target/$obj")" "manifest bytes_out"
assert_eq "$(json_get "$man" bytes_in)" "$(zstd -dc "target/$obj" | wc -c)" "manifest bytes_in"
if zstd -tq "target/$obj"; then pass "zstd -t"; else fail "zstd -t"; fi
restore_and_compare "target/$obj" file

assert_exit 0 "$OPSDECK" -c opsdeck.conf backup list --json
assert_eq "$(json_get "$OUT" backups.0.key)" "$obj" "list: the key"
assert_eq "$(json_get "$OUT" backups.0.complete)" true "list: complete"
assert_exit 0 "$OPSDECK" -c opsdeck.conf backup verify "$obj"
assert_contains "$OUT" "OK"

# one byte changed in the middle: verify fails (the manifest's SHA-256 first)
cp "target/$obj" pristine.zst
size=$(stat -c %s "target/$obj")
flip_byte "target/$obj" $((size / 2))
cmp -s pristine.zst "target/$obj" && fail "the tamper changed nothing"
assert_exit 1 "$OPSDECK" -c opsdeck.conf backup verify "$obj"
assert_contains "$OUT$ERR" "does not match the manifest"
# the same tamper with the manifest made to agree: the zstd checksum catches it
cp "target/$obj.json" manifest.orig
"$_LIB_PY" - "target/$obj.json" "$(sha256sum "target/$obj" | cut -d' ' -f1)" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
m["sha256"] = sys.argv[2]
json.dump(m, open(sys.argv[1], "w"))
EOF
assert_exit 1 "$OPSDECK" -c opsdeck.conf backup verify "$obj"
assert_contains "$OUT$ERR" "the zstd stream is corrupt"
# cut short, with a manifest that agrees: truncated
head -c $((size - 3)) pristine.zst >"target/$obj"
"$_LIB_PY" - "target/$obj.json" "$(sha256sum "target/$obj" | cut -d' ' -f1)" $((size - 3)) <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
m["sha256"] = sys.argv[2]
m["bytes_out"] = int(sys.argv[3])
json.dump(m, open(sys.argv[1], "w"))
EOF
assert_exit 1 "$OPSDECK" -c opsdeck.conf backup verify "$obj"
assert_contains "$OUT$ERR" "the zstd stream is truncated"
cp pristine.zst "target/$obj"
cp manifest.orig "target/$obj.json"
assert_exit 0 "$OPSDECK" -c opsdeck.conf backup verify "$obj"

# ---- S3 (through the verifying proxy when botocore is there)
if "$_LIB_PY" -c 'import botocore' 2>/dev/null; then
	bk_proxy_start
fi
prefix=zstd-$$-$RANDOM
bk_config s3.conf "s3://$S3_BUCKET/$prefix" "" "compression = zstd
compression_level = 3"
assert_exit 0 "$OPSDECK" -c s3.conf backup db
assert_no_secrets "$OUT$ERR"
s3keys=$(bk_s3_keys "$prefix/")
key=$(printf '%s\n' "$s3keys" | grep '\.sql\.zst$')
assert_eq "$(printf '%s\n' "$s3keys" | wc -l)" 2 "S3: the object and its manifest"
assert_eq "$(printf '%s\n' "$s3keys" | grep -c '\.sql\.zst\.json$')" 1 "S3: the manifest"
s3 get "$key" s3.sql.zst
s3 get "$key.json" s3.json
assert_eq "$(json_get "$(cat s3.json)" sha256)" "$(sha256sum s3.sql.zst | cut -d' ' -f1)" "S3 manifest sha256"
assert_eq "$(json_get "$(cat s3.json)" compression.algorithm)" zstd "S3 manifest: algorithm"
restore_and_compare s3.sql.zst s3
assert_exit 0 "$OPSDECK" -c s3.conf backup verify "${key#"$prefix"/}"
assert_contains "$OUT" "OK"
assert_exit 0 "$OPSDECK" -c s3.conf backup list --json
assert_eq "$(json_get "$OUT" backups.0.key)" "${key#"$prefix"/}" "S3 list: the .sql.zst key"
assert_eq "$(json_get "$OUT" backups.0.complete)" true "S3 list: complete"
# a tampered object at S3 fails verify too
flip_byte s3.sql.zst 100
s3 put "$key" s3.sql.zst
assert_exit 1 "$OPSDECK" -c s3.conf backup verify "${key#"$prefix"/}"
assert_contains "$OUT$ERR" "does not match the manifest"
[ -z "${BK_PROXY_LOG:-}" ] || bk_proxy_sig_ok

# ---- format = custom: stored as .dump.zst, read by pg_restore
mkdir -p custom
bk_config custom.conf "file://$TEST_DIR/custom" "" "format = custom
compression = zstd"
assert_exit 0 "$OPSDECK" -c custom.conf backup db
cobj=$(cd custom && ls -- *.dump.zst 2>/dev/null)
assert_match "$cobj" '^shop_.*Z_[0-9a-f]{8}\.dump\.zst$' "custom format key"
if zstd -dc "custom/$cobj" | "${PG_BINDIR:+$PG_BINDIR/}pg_restore" --list >toc.txt 2>&1; then
	pass "pg_restore reads the custom dump"
else
	fail "pg_restore --list failed: $(head -3 toc.txt)"
fi
assert_contains "$(cat toc.txt)" "RequestLog" "the custom dump's table of contents"
assert_exit 0 "$OPSDECK" -c custom.conf backup verify "$cobj"
finish
