#!/usr/bin/env bash
# backup files while the tree changes under it, end to end: after the walk
# listed them and before they are read, a directory is swapped for a link to
# a directory outside the source (as to /etc) and a file for a link to a file
# there. Both files fail, by name, the run is incomplete, and nothing from
# outside the source is stored. The swap is deterministic: the verifying S3
# proxy holds the first four uploads (one per upload thread) until the test
# has swapped.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use s3
require_cmd gunzip

SECRET="root:TOPSECRETHASH-$$:19000:0:99999:7:::"
src=$TEST_DIR/uploads
mkdir -p "$src/z" "$TEST_DIR/etc"
printf '%s\n' "$SECRET" >"$TEST_DIR/etc/shadow"
printf 'walked\n' >"$src/z/shadow"
printf 'walked\n' >"$src/zfile"
# sorted a1..a4 go first, one to each upload thread, and are held; z/shadow
# and zfile wait for a thread
for i in 1 2 3 4; do printf 'held %s\n' "$i" >"$src/a$i"; done

bk_proxy_start
prefix=swap-$$
bk_config s3.conf "s3://$S3_BUCKET/$prefix" "" "files_source = $src"
bk_proxy_faults '{"rules": [{"op": "PutObject", "key": "/a", "from": 1, "to": 4, "action": "hang", "seconds": 4}]}'
"$OPSDECK" -c s3.conf backup files >"$TEST_DIR/run.out" 2>"$TEST_DIR/run.err" &
pid=$!
held=0
for _ in $(seq 1 200); do
	held=$(bk_proxy_ops PutObject | grep -c '"fault": *"hang"' || true)
	[ "$held" -ge 4 ] && break
	sleep 0.05
done
assert_eq "$held" 4 "uploads held before the swap"
mv "$src/z" "$src/z.walked"
ln -s "$TEST_DIR/etc" "$src/z"
rm "$src/zfile"
ln -s "$TEST_DIR/etc/shadow" "$src/zfile"
rc=0
wait "$pid" || rc=$?
out=$(cat "$TEST_DIR/run.out") err=$(cat "$TEST_DIR/run.err")
assert_eq "$rc" 1 "files swapped during the backup fail it"
assert_contains "$err" "2 of 6 files failed"
assert_contains "$err" "z/shadow: directory 'z' is now a symbolic link: not followed"
assert_contains "$err" "zfile: file 'zfile' is now a symbolic link: not followed"
stored=$(bk_s3_keys "$prefix/")
assert_eq "$(printf '%s\n' "$stored" | grep -c '\.files\.json$')" 0 "no manifest for that run"
assert_eq "$(printf '%s\n' "$stored" | grep -c '\.gz$')" 4 "the held files went up"
n=0
while read -r key; do
	s3 get "$key" "object$n.gz"
	assert_not_contains "$(gunzip -c "object$n.gz")" "TOPSECRETHASH" "$key: nothing from outside"
	n=$((n + 1))
done < <(printf '%s\n' "$stored" | grep '\.gz$')
assert_not_contains "$out$err" "TOPSECRETHASH"
bk_proxy_sig_ok
finish
