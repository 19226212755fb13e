#!/usr/bin/env bash
# PostgreSQL restarted while `backup db` streams a dump of a database big
# enough to take a few seconds, to a file:// target and to S3 (through the
# signature-checking proxy): the backup ends with exit 1 and a clear reason,
# nothing that looks like a backup is left at the target (no final object,
# no manifest, no .partial), the audit log says failed, and the next backup,
# once PostgreSQL is back, succeeds and restores with the same rows. Then
# once from the dashboard's backup menu: Activity reports the failure, the
# database row recovers and keys are still answered.
. "$OPSDECK_SRCDIR/tests/faults/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
require_cmd gunzip
stack_private pg,s3
bk_proxy_start

# the app's database, with a scratch table of random bytes (the plain dump
# is about twice its size, hex)
DB=shop
MB=${DUMP_FAULT_MB:-32}
bk_psql "$DB" "CREATE TABLE scratch_blobs (id int PRIMARY KEY, data bytea);
	INSERT INTO scratch_blobs SELECT g / 4096, decode(string_agg(md5(random()::text), ''), 'hex')
	FROM generate_series(0, $MB * 65536 - 1) g GROUP BY g / 4096;" >/dev/null
DBURL=$DATABASE_URL
table_sum() { # DB: rows and a checksum of the scratch table
	bk_psql "$1" "SELECT count(*) || ' ' || md5(string_agg(md5(data), '' ORDER BY id)) FROM scratch_blobs"
}
want=$(table_sum "$DB")
assert_match "$want" '^[1-9][0-9]* [0-9a-f]{32}$' "the scratch table"

mkdir -p target
PREFIX=dump-fault-$$
# backup_config FILE TARGET: the fault scenario's timeout and interval, the
# big database, TARGET, the audit log in the test directory
# (s3_endpoint is written here: stack_config's keys have no digits)
backup_config() {
	local base
	base=$(stack_config "timeout = ${FAULT_TIMEOUT}s" "[database]" "url = $DBURL" \
		"slow_query_ms = 100000" "[recovery]" "audit_log = $TEST_DIR/audit.jsonl" \
		"[ui]" "interval = ${FAULT_INTERVAL}s") || exit 1
	printf '%s\n\n[backup]\ntarget = %s\ns3_endpoint = %s\n' "$base" "$2" "$BK_ENDPOINT" |
		write_config "$1"
}
backup_config file.conf "file://$TEST_DIR/target"
backup_config s3.conf "s3://$S3_BUCKET/$PREFIX"

# dump_running file|s3: true while pg_dump runs once its output has reached
# the target: bytes in a .partial file, or a part uploaded since
# restart_mid_dump began
dump_running() {
	pgrep -f "pg_dump.*dbname=.?$DB" >/dev/null || return 1
	if [ "$1" = file ]; then
		local f
		for f in target/*.partial; do
			[ -s "$f" ] && return 0
		done
		return 1
	fi
	[ "$(bk_proxy_ops UploadPart | wc -l)" -gt "$PARTS_BEFORE" ]
}
# restart_mid_dump file|s3: wait for the dump to be under way, restart
# PostgreSQL. pg_dump is held (SIGSTOP) across the restart, so a busy
# machine cannot let it finish first; once let go it finds its server gone.
restart_mid_dump() {
	local i pids
	for i in $(seq 1 300); do
		dump_running "$1" && break
		sleep 0.05
	done
	pids=$(pgrep -f "pg_dump.*dbname=.?$DB" || true)
	if [ -n "$pids" ] && dump_running "$1"; then
		# shellcheck disable=SC2086
		kill -STOP $pids
		pass "the dump is under way: restarting PostgreSQL"
	else
		fail "the dump never got under way (or ended before the restart)"
	fi
	stack_restart pg
	# shellcheck disable=SC2086
	[ -z "$pids" ] || kill -CONT $pids 2>/dev/null || true
}
# audit_last: the last line of the audit log for backup-db
audit_last() { grep '"action":"backup-db"' audit.jsonl | tail -n 1; }
# restore_check GZFILE WHAT: restore into a fresh database, compare rows
restore_check() {
	bk_restore_plain "$2" "restored_$2_$$" gunzip -c "$1"
	assert_eq "$(table_sum "restored_$2_$$")" "$want" "$2: rows and checksum after restore"
}

# ---- file://, from the CLI
"$OPSDECK" -c file.conf backup db >out.txt 2>err.txt &
pid=$!
restart_mid_dump file
rc=0
wait "$pid" || rc=$?
assert_eq "$rc" 1 "file://: exit status of the interrupted backup"
assert_contains "$(cat err.txt)" "backup failed" "file://: the error"
assert_match "$(cat err.txt)" "pg_dump (exited with status 1|was killed)" "file://: it names pg_dump"
assert_match "$(cat err.txt)" "terminat|server closed the connection|connection to server" "file://: the reason"
assert_no_secrets "$(cat out.txt err.txt audit.jsonl)" "file://: output and audit"
assert_eq "$(ls -A target)" "" "file://: nothing left at the target"
assert_contains "$(audit_last)" '"result":"failed"' "file://: audit outcome"

assert_exit 0 "$OPSDECK" -c file.conf backup db
assert_contains "$(audit_last)" '"result":"ok"' "file://: audit outcome of the next backup"
obj=$(cd target && ls -- *.sql.gz)
assert_eq "$(cd target && ls)" "$obj
$obj.json" "file://: the next backup and its manifest, nothing else"
restore_check "target/$obj" file

# ---- S3, from the CLI
PARTS_BEFORE=$(bk_proxy_ops UploadPart | wc -l)
"$OPSDECK" -c s3.conf backup db >out.txt 2>err.txt &
pid=$!
restart_mid_dump s3
rc=0
wait "$pid" || rc=$?
assert_eq "$rc" 1 "S3: exit status of the interrupted backup"
assert_contains "$(cat err.txt)" "backup failed" "S3: the error"
assert_match "$(cat err.txt)" "pg_dump (exited with status 1|was killed)" "S3: it names pg_dump"
assert_no_secrets "$(cat out.txt err.txt audit.jsonl)" "S3: output and audit"
assert_eq "$(bk_s3_keys "$PREFIX/")" "" "S3: no object under the prefix"
assert_ne "$(bk_proxy_ops AbortMultipartUpload)" "" "S3: the multipart upload was aborted"
assert_eq "$(bk_proxy_ops CompleteMultipartUpload)" "" "S3: no upload was completed"
assert_contains "$(audit_last)" '"result":"failed"' "S3: audit outcome"

assert_exit 0 "$OPSDECK" -c s3.conf backup db
assert_contains "$(audit_last)" '"result":"ok"' "S3: audit outcome of the next backup"
s3_keys=$(bk_s3_keys "$PREFIX/")
key=$(printf '%s\n' "$s3_keys" | grep '\.sql\.gz$' || true)
assert_eq "$s3_keys" "$key
$key.json" "S3: the next backup and its manifest, nothing else"
s3 get "$key" s3.sql.gz
restore_check s3.sql.gz s3
bk_proxy_sig_ok

# ---- file://, from the dashboard's backup menu; the complete backup made
# above must stay as it is
before=$(cd target && sha256sum -- *)
fault_dashboard 120 40 file.conf
assert_reported "+ OK   database" "dashboard: before"
tui_keys b
assert_screen "back up the database"
tui_keys d
assert_screen "Start? (y / Esc)"
tui_keys y
restart_mid_dump file
assert_screen "backup db: backup failed: pg_dump exited with status 1" 30
assert_match "$SCREEN" "terminat|server closed the connection|connection to server" "dashboard: the reason"
assert_no_secrets "$SCREEN" "dashboard: the screen"
tui_keys Escape
assert_reported "+ OK   database" "dashboard: database back"
assert_alive
assert_eq "$(cd target && sha256sum -- *)" "$before" "dashboard: the target holds the earlier backup, unchanged, and nothing else"
assert_contains "$(audit_last)" '"result":"failed"' "dashboard: audit outcome"
# a warning, and only the one a backup that was never drilled gets
assert_verbs file.conf checks.database.state ok 1
run "$OPSDECK" -c file.conf diagnose
assert_contains "$OUT" "1 issue"
assert_contains "$OUT" "No backup has been proven by a drill"
fault_quit
assert_terminal_usable
finish
