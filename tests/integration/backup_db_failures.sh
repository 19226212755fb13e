#!/usr/bin/env bash
# backup db failures end with exit 1, a clear reason, no secret shown and
# nothing at the target that looks like a backup: a database that does not
# exist, a wrong password (file:// and S3), pg_dump killed, a full local
# disk (tmpfs), no target configured (exit 2).
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg,s3

mkdir -p target
# ---- a database that does not exist
bk_config c.conf "file://$TEST_DIR/target" "postgresql://app:$PGPASSWORD@127.0.0.1:$PGPORT/no_such_db_$$"
assert_exit 1 "$OPSDECK" -c c.conf backup db
assert_contains "$ERR" "pg_dump exited with status 1"
assert_contains "$ERR" "no_such_db_$$"
assert_no_secrets "$OUT$ERR"
assert_eq "$(ls -A target)" "" "nothing left at the target"
assert_contains "$(tail -1 audit.jsonl)" '"result":"failed"' "audit outcome"

# ---- a wrong password, file:// then S3
wrong=Wrong$RANDOM$RANDOM$RANDOM
bk_config c.conf "file://$TEST_DIR/target" "postgresql://app:$wrong@127.0.0.1:$PGPORT/shop?schema=public&connection_limit=3"
assert_exit 1 "$OPSDECK" -c c.conf backup db
assert_contains "$ERR" "password authentication failed"
assert_not_contains "$OUT$ERR$(cat audit.jsonl)" "$wrong"
assert_eq "$(ls -A target)" "" "nothing left at the target"
prefix=failures-$$
bk_config s3.conf "s3://$S3_BUCKET/$prefix" "postgresql://app:$wrong@127.0.0.1:$PGPORT/shop"
assert_exit 1 "$OPSDECK" -c s3.conf backup db
assert_contains "$ERR" "password authentication failed"
assert_not_contains "$OUT$ERR" "$wrong"
assert_eq "$(bk_s3_keys "$prefix/")" "" "no object in the bucket"

# ---- pg_dump killed mid-dump
bk_fake_pg_dump "$TEST_DIR/fake_pg_dump" 2 60
bk_config c.conf "file://$TEST_DIR/target"
OPSDECK_PG_DUMP=$TEST_DIR/fake_pg_dump "$OPSDECK" -c c.conf backup db >out.txt 2>err.txt &
pid=$!
for _ in $(seq 1 100); do
	[ -s "$TEST_DIR/fake_pg_dump.pid" ] && ls target/*.partial >/dev/null 2>&1 && break
	sleep 0.1
done
sleep 0.3
kill -KILL "$(cat "$TEST_DIR/fake_pg_dump.pid")"
rc=0
wait "$pid" || rc=$?
assert_eq "$rc" 1 "exit status when pg_dump is killed"
assert_contains "$(cat err.txt)" "pg_dump was killed by signal 9"
assert_eq "$(ls -A target)" "" "no partial file left"

# ---- no target
bk_config none.conf ""
assert_exit 2 "$OPSDECK" -c none.conf backup db
assert_contains "$ERR" "no target"
assert_exit 2 "$OPSDECK" -c c.conf backup db --target ftp://x/y
assert_exit 2 "$OPSDECK" -c c.conf backup frobnicate
# options may follow the operands
assert_exit 0 "$OPSDECK" -c c.conf backup verify KEY --help
echo file >"$TEST_DIR/not-a-dir"
assert_exit 2 "$OPSDECK" -c c.conf backup db --target "file://$TEST_DIR/not-a-dir"
assert_contains "$ERR" "exists and is not a directory"

# ---- a full local disk: a 1 MiB tmpfs, a dump of several MiB
mkdir -p small
if mount -t tmpfs -o size=1m tmpfs small 2>/dev/null; then
	on_exit umount "$TEST_DIR/small"
	db=bk_full_$$
	bk_big_db "$db" 3
	bk_config c.conf "file://$TEST_DIR/small" "postgresql://app:$PGPASSWORD@127.0.0.1:$PGPORT/$db"
	assert_exit 1 "$OPSDECK" -c c.conf backup db
	assert_contains "$ERR" "No space left on device"
	assert_eq "$(ls -A small)" "" "no partial file left on the full disk"
	pgrep -f "dbname='$db'" >/dev/null && fail "pg_dump still runs" || pass "pg_dump stopped"
else
	echo "# cannot mount a tmpfs here: full-disk case not run" >&2
fi
finish
