#!/usr/bin/env bash
# Under valgrind (memcheck), against the real stack: `status`, `check`, a
# `backup db` to a file:// target and a `backup files` of a few files to the
# stack's S3 exit as they do without it, with no invalid read or write, no
# other memcheck error and no definitely lost block. Skipped in a build with
# AddressSanitizer, which valgrind cannot run.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
require_cmd valgrind nm gunzip

if built_with_asan; then
	skip "$OPSDECK is built with AddressSanitizer, which cannot run under valgrind"
fi

stack_use pg,redis,app,s3

# vg EXIT NAME ARGS...: run opsdeck ARGS under memcheck, expect exit EXIT,
# then read memcheck's log (its own file: the program's stderr stays apart).
# Children (pg_dump) are not traced. No suppressions: nothing in the
# libraries it uses reports a definite leak or an error today.
vg() {
	local want=$1 name=$2 log
	shift 2
	log=$TEST_DIR/valgrind-$name.log
	assert_exit "$want" valgrind --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite --track-fds=no \
		--log-file="$log" "$OPSDECK" "$@"
	if ! [ -s "$log" ]; then
		fail "$name: valgrind wrote no log"
		return
	fi
	local text
	text=$(cat "$log")
	assert_not_contains "$text" "Invalid read" "$name: memcheck's log"
	assert_not_contains "$text" "Invalid write" "$name: memcheck's log"
	assert_match "$text" 'ERROR SUMMARY: 0 errors' "$name: memcheck's log"
	# "definitely lost: N bytes in M blocks" is there only when something
	# was still allocated at exit; it must then say 0 bytes.
	local lost
	lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tr -d , | sort -n | tail -1)
	assert_eq "${lost:-0}" 0 "$name: bytes definitely lost"
	[ "$RC" != 99 ] || _lib_show "$(grep -A12 -E 'Invalid|lost in|uninitialised|Syscall' "$log")"
}

# A generous timeout: the probes run many times slower under memcheck.
write_stack_config opsdeck.conf "timeout = 10s" "[database]" "slow_query_ms = 600000"
vg 0 status -c opsdeck.conf status
assert_contains "$OUT" "overall   OK" "status"
assert_no_secrets "$OUT$ERR" "status"
vg 0 check -c opsdeck.conf check
assert_contains "$OUT" "OPSDECK OK - " "check"

# backup db: pg_dump -> parallel gzip -> file://
mkdir target
bk_config db.conf "file://$TEST_DIR/target"
vg 0 backup-db -c db.conf backup db
dump=$(find target -name '*.sql.gz' | head -1)
assert_ne "$dump" "" "the dump in the target"
if [ -n "$dump" ]; then
	assert_contains "$(gunzip -c "$dump" | head -c 100000)" 'CREATE TABLE public."RequestLog"' "the dump"
	assert_eq "$(find target -name '*.sql.gz.json' | grep -c .)" 1 "manifests written"
fi

# backup files: three small files to the stack's S3
mkdir -p uploads/sub
printf 'one\n' >uploads/one.txt
printf 'two\n' >uploads/sub/two.txt
head -c 20000 /dev/urandom >uploads/sub/three.bin
prefix=valgrind-$$
bk_config files.conf "s3://$S3_BUCKET/$prefix"
vg 0 backup-files -c files.conf backup files --source "$TEST_DIR/uploads"
uploaded=$(bk_s3_keys "$prefix/")
assert_eq "$(printf '%s\n' "$uploaded" | grep -c '\.gz$')" 3 "files in S3"
assert_eq "$(printf '%s\n' "$uploaded" | grep -c '\.files\.json$')" 1 "the files manifest in S3"
for key in $uploaded; do on_exit s3 rm "$key"; done
finish
