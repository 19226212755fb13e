#!/usr/bin/env bash
# SIGTERM, SIGHUP and SIGINT to a running database backup, with the real
# pg_dump: from `opsdeck backup db` to a file:// target (pg_dump held up by
# a lock on the table it dumps) and to S3 through s3proxy (the first part's
# upload hangs, so pg_dump is stopped mid-stream), then to the dashboard
# while its backup menu runs one. Each time: opsdeck ends within two refresh
# intervals (the CLI with its documented status 1, the dashboard with
# 128 + the signal), pg_dump's process group is gone, nothing partial is left
# at the target (no .partial file; on S3 no object, no manifest, the
# multipart upload aborted), the audit log has the attempt and the outcome
# "cancelled", and after the dashboard the terminal is usable.
. "$OPSDECK_SRCDIR/tests/faults/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_private pg,s3
bk_proxy_start

db=bk_signals_$$
bk_big_db "$db" 48 # ~100 MB of plain dump, ~55 MB gzipped: far more than
# the two parts in flight and the one being filled that block the pipeline
dburl="postgresql://app:$PGPASSWORD@127.0.0.1:$PGPORT/$db"
audit=$TEST_DIR/audit.jsonl

# conf FILE TARGET: a configuration for backups of $db to TARGET.
conf() {
	fault_config "$1" "[database]" "url = $dburl" "[backup]" "target = $2" \
		"s3_endpoint = $BK_ENDPOINT" "[recovery]" "audit_log = $audit"
}

# An open transaction holding an exclusive lock on the dumped table: pg_dump
# connects, then waits for its ACCESS SHARE lock for as long as it is held.
lock_pid=
lock_hold() {
	local i
	printf 'BEGIN;\nLOCK TABLE blobs IN ACCESS EXCLUSIVE MODE;\nSELECT pg_sleep(3600);\n' |
		PGPASSWORD=$PGPASSWORD "${PG_BINDIR:+$PG_BINDIR/}psql" -X -q -h 127.0.0.1 \
			-p "$PGPORT" -U app -d "$db" >/dev/null 2>&1 &
	lock_pid=$!
	for i in $(seq 1 100); do
		[ "$(bk_psql "$db" "SELECT count(*) FROM pg_locks WHERE relation = 'blobs'::regclass
			AND mode = 'AccessExclusiveLock' AND granted")" = 1 ] && return 0
		sleep 0.1
	done
	fail "could not take the lock on blobs"
}

# The server would keep the lock after psql went away (pg_sleep does not
# notice a lost client): end the session itself.
lock_release() {
	bk_psql "$db" "SELECT pg_terminate_backend(pid) FROM pg_locks
		WHERE relation = 'blobs'::regclass AND mode = 'AccessExclusiveLock'" >/dev/null
	wait "$lock_pid" 2>/dev/null
}
on_exit lock_release

# dump_of PID: waits for the pg_dump that PID started to dump (not the
# short `pg_dump --version` before it); prints its pid.
dump_of() {
	local i p
	for i in $(seq 1 200); do
		p=$(pgrep -P "$1" -f -- '--dbname' | head -n 1)
		[ -n "$p" ] && echo "$p" && return 0
		sleep 0.05
	done
	return 1
}

# wait_lock_wait: until a pg_dump session waits for the lock.
wait_lock_wait() {
	local i
	for i in $(seq 1 200); do
		[ "$(bk_psql "$db" "SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'")" -ge 1 ] &&
			return 0
		sleep 0.05
	done
	fail "pg_dump never waited for the lock"
}

# wait_part_hang PREFIX: until an UploadPart of PREFIX hangs at the proxy.
wait_part_hang() {
	local i
	for i in $(seq 1 400); do
		bk_proxy_ops UploadPart | grep "$1" | grep -q '"fault": "hang"' && return 0
		sleep 0.05
	done
	fail "no part upload under $1 reached the proxy"
}

aborts() { bk_proxy_ops AbortMultipartUpload | grep "$1" | grep -c '"status": 204' || true; }
uploads_left() {
	find "$S3_DIR/$S3_BUCKET/._S3rver_uploads" -mindepth 1 -maxdepth 1 2>/dev/null | grep -c . || true
}

# After an interrupted backup: pg_dump gone, nothing at the target, audited.
check_file_target() { # DIR WHAT
	assert_eq "$(find "$1" -type f | grep -c . || true)" 0 "$2: no file (and no .partial) at the target"
	assert_audit_outcome "$audit" backup-db cancelled "$2"
}
check_s3_target() { # PREFIX WHAT
	assert_eq "$(bk_s3_keys "$1/")" "" "$2: no object and no manifest under the prefix"
	assert_ge "$(aborts "$1")" 1 "$2: the multipart upload was aborted (204)"
	assert_eq "$(uploads_left)" 0 "$2: no multipart upload left in the store"
	assert_audit_outcome "$audit" backup-db cancelled "$2"
}
check_dump_gone() { # PID WHAT
	assert_group_gone "$1" "$2: pg_dump's process group"
	if fault_running "$1"; then fail "$2: pg_dump still runs"; else pass "$2: pg_dump stopped"; fi
}

# cli_run SIG CONF: backup db in the background; sets pid and dump.
cli_run() {
	"$OPSDECK" -c "$2" backup db >out.txt 2>err.txt &
	pid=$!
	dump=$(dump_of "$pid") || fail "SIG$1: pg_dump did not start: $(cat err.txt)"
}
cli_check_exit() { # SIG WHAT
	fault_wait_exit "$pid" "$2"
	assert_eq "$FAULT_RC" 1 "$2: exit status (documented: 1)"
	assert_contains "$(cat err.txt)" "interrupted by signal $(kill -l "$1")" "$2"
	assert_contains "$(cat err.txt)" "backup failed (cancelled)" "$2"
	assert_no_secrets "$(cat out.txt err.txt)" "$2"
}

# ---- the command line, file:// target, pg_dump waiting for a lock
lock_hold
for sig in TERM HUP INT; do
	what="backup db to file:// SIG$sig"
	mkdir -p "target-$sig"
	conf "c-$sig.conf" "file://$TEST_DIR/target-$sig"
	cli_run "$sig" "c-$sig.conf"
	wait_lock_wait
	assert_ne "$(find "target-$sig" -name '*.partial')" "" "$what: the .partial file was open"
	kill -s "$sig" "$pid"
	cli_check_exit "$sig" "$what"
	check_dump_gone "$dump" "$what"
	check_file_target "target-$sig" "$what"
	run "$OPSDECK" -c "c-$sig.conf" backup list
	assert_contains "$OUT" "no backups found" "$what: backup list"
done
lock_release

# ---- the command line, S3 target, part uploads hanging
bk_proxy_faults '{"rules": [{"op": "UploadPart", "action": "hang", "seconds": 600}]}'
for sig in TERM HUP INT; do
	what="backup db to S3 SIG$sig"
	prefix=signals-$sig-$$
	conf "s3-$sig.conf" "s3://$S3_BUCKET/$prefix"
	cli_run "$sig" "s3-$sig.conf"
	wait_part_hang "$prefix"
	if fault_running "$dump"; then
		pass "$what: pg_dump was still dumping"
	else
		fail "$what: pg_dump had already ended (make the database bigger)"
	fi
	kill -s "$sig" "$pid"
	cli_check_exit "$sig" "$what"
	check_dump_gone "$dump" "$what"
	check_s3_target "$prefix" "$what"
done

# ---- the dashboard, a backup started from its menu
# dash_backup SIG CONF WAIT...: start it, wait with WAIT..., send SIG.
dash_backup() {
	local sig=$1 file=$2 dashboard
	shift 2
	TUI_SOCKET="opsdeck-tui-$TEST_NAME-$$-$sig"
	fault_dashboard 120 40 "$file"
	dashboard=$(tui_pid)
	tui_keys b
	tui_wait "back up the database" 5
	tui_keys d
	tui_wait "Start? (y / Esc)" 5
	tui_keys y
	assert_reported "c cancel the backup" "dashboard SIG$sig"
	dump=$(dump_of "$dashboard") || fail "dashboard SIG$sig: pg_dump did not start"
	"$@"
	fault_signal_dashboard "$sig"
	assert_terminal_usable
	check_dump_gone "$dump" "dashboard SIG$sig"
	_tui_kill "$TUI_SOCKET"
}

lock_hold
for sig in TERM HUP; do
	mkdir -p "dash-$sig"
	conf "dash-$sig.conf" "file://$TEST_DIR/dash-$sig"
	dash_backup "$sig" "dash-$sig.conf" wait_lock_wait
	check_file_target "dash-$sig" "dashboard SIG$sig"
done
lock_release

prefix=dash-INT-$$
conf dash-INT.conf "s3://$S3_BUCKET/$prefix"
dash_backup INT dash-INT.conf wait_part_hang "$prefix"
check_s3_target "$prefix" "dashboard SIGINT"
bk_proxy_faults ''
finish
