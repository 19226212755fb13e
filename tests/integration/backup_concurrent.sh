#!/usr/bin/env bash
# Two backups at once with a frozen clock (libfaketime: both runs read the
# same millisecond) never share a key: to file:// and to S3 (through the
# signature-verifying proxy when botocore is there), two `backup db` and two
# `backup files` both exit 0, get different names with the same timestamp,
# are both listed complete, both pass `backup verify` and gunzip -t. A
# backup named the old way (no run id) is still listed and verified.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg,s3
require_cmd faketime gunzip

# Now, frozen (S3 checks that a request's date is within 15 minutes).
FROZEN=$(date '+%Y-%m-%d %H:%M:%S')
STAMP='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-[0-9]{2}-000Z'

# twice CONF VERB...: two opsdeck CONF VERB... started together under the
# frozen clock; sets RC1, RC2, OUT1, OUT2, ERR1, ERR2.
twice() {
	local conf=$1 p1 p2
	shift
	faketime -m --exclude-monotonic -f "$FROZEN" "$OPSDECK" -c "$conf" "$@" >out1 2>err1 &
	p1=$!
	faketime -m --exclude-monotonic -f "$FROZEN" "$OPSDECK" -c "$conf" "$@" >out2 2>err2 &
	p2=$!
	RC1=0 RC2=0
	wait "$p1" || RC1=$?
	wait "$p2" || RC2=$?
	OUT1=$(cat out1) OUT2=$(cat out2) ERR1=$(cat err1) ERR2=$(cat err2)
}

# key_of SUMMARY: the key a successful backup names, relative to the target.
key_of() {
	sed -E 's|^backed up .* to [a-z0-9]+://[^ ]*/([^/ ]+)/?: .*|\1|' <<<"$1"
}

# both_ok LABEL CONF KIND: two concurrent `backup KIND` runs end complete.
# Sets KEY1 and KEY2.
both_ok() {
	local label=$1 conf=$2 kind=$3 stem key list
	stem=$([ "$kind" = db ] && echo "shop_")
	twice "$conf" backup "$kind"
	assert_eq "$RC1" 0 "$label: first run exits 0 ($ERR1)"
	assert_eq "$RC2" 0 "$label: second run exits 0 ($ERR2)"
	KEY1=$(key_of "$OUT1")
	KEY2=$(key_of "$OUT2")
	assert_ne "$KEY1" "$KEY2" "$label: two different keys"
	for key in "$KEY1" "$KEY2"; do
		# the clock was frozen: the names differ only by the run id
		assert_match "$key" "^$stem${STAMP}_[0-9a-f]{8}($([ "$kind" = db ] && echo '\.sql\.gz'))\$" \
			"$label: key form"
	done
	assert_eq "${KEY1%_*}" "${KEY2%_*}" "$label: the same frozen timestamp"
	assert_exit 0 "$OPSDECK" -c "$conf" backup list --json
	list=$OUT
	for key in "$KEY1" "$KEY2"; do
		assert_eq "$(json_get "$list" "d['backups'] and [b['complete'] for b in d['backups'] if b['key'] == '$key']")" \
			"[true]" "$label: $key listed once, complete"
		assert_exit 0 "$OPSDECK" -c "$conf" backup verify "$key"
		assert_contains "$OUT" "OK" "$label: $key verifies"
	done
}

gz_ok() { # LABEL FILE...
	local label=$1 f
	shift
	for f in "$@"; do
		if gunzip -t "$f"; then pass "$label: gunzip -t ${f##*/}"; else fail "$label: gunzip -t ${f##*/}"; fi
	done
}

src=$TEST_DIR/uploads
mkdir -p "$src/a"
head -c 200000 /dev/urandom >"$src/a/random.bin"
echo top >"$src/top.txt"

# ---- file://
mkdir target
bk_config file.conf "file://$TEST_DIR/target" "" "files_source = $src"
both_ok "file db" file.conf db
assert_eq "$(find target -name '*.partial')" "" "file: no .partial left"
gz_ok "file db" "target/$KEY1" "target/$KEY2"
both_ok "file files" file.conf files
gz_ok "file files" target/"$KEY1"/a/random.bin.gz target/"$KEY2"/a/random.bin.gz
assert_eq "$(cd "target/$KEY1" && find . -type f | sort)" "$(cd "target/$KEY2" && find . -type f | sort)" \
	"file files: each run's directory holds its own copy of every file"

# A backup named as before run ids (PREFIX/DB_TIMESTAMP.sql.gz) still lists
# and verifies.
old=$(cd target && find . -name '*.sql.gz' | head -n 1)
old=${old#./}
legacy=${old%_*}.sql.gz
mv "target/$old" "target/$legacy"
sed "s|\"$old\"|\"$legacy\"|" "target/$old.json" >"target/$legacy.json"
rm "target/$old.json"
assert_exit 0 "$OPSDECK" -c file.conf backup list --json
assert_eq "$(json_get "$OUT" "d['backups'] and [b['complete'] for b in d['backups'] if b['key'] == '$legacy']")" \
	"[true]" "old key form: listed complete"
assert_exit 0 "$OPSDECK" -c file.conf backup verify "$legacy"
assert_contains "$OUT" "OK" "old key form: verifies"

# ---- S3
if "$_LIB_PY" -c 'import botocore' 2>/dev/null; then
	bk_proxy_start
fi
prefix=concurrent-$$-$RANDOM
bk_config s3.conf "s3://$S3_BUCKET/$prefix" "" "files_source = $src"
both_ok "S3 db" s3.conf db
for key in "$KEY1" "$KEY2"; do
	s3 get "$prefix/$key" "$key"
done
gz_ok "S3 db" "$KEY1" "$KEY2"
both_ok "S3 files" s3.conf files
assert_eq "$(bk_s3_keys "$prefix/$KEY1/" | grep -c .)" 2 "S3 files: first run's objects"
assert_eq "$(bk_s3_keys "$prefix/$KEY2/" | grep -c .)" 2 "S3 files: second run's objects"
[ -z "${BK_PROXY_LOG:-}" ] || bk_proxy_sig_ok
finish
