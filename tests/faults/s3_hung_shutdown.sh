#!/usr/bin/env bash
# SIGTERM to `backup db` while S3 hangs: the S3 server and the proxy in
# front of it are stopped (SIGSTOP: connections are accepted by the kernel,
# nothing ever answers) in the middle of a multipart upload.
#   - one SIGTERM: the abort of the upload gets 10 s in all, its retries
#     included; opsdeck exits 1 within 15 s, and the result on stderr and the
#     audit log's outcome record name the upload left behind (bucket, key,
#     upload id), never a credential;
#   - SIGTERM, then SIGTERM again: the second one gives up the abort, and
#     opsdeck exits within 2 s of it, with the same note.
# The same from the dashboard, with a backup started from its menu: it ends
# with 128 + the signal, prints the note on the terminal after leaving the
# screen, and the audit log has it. Each time, the servers are then let go
# again (SIGCONT).
. "$OPSDECK_SRCDIR/tests/faults/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_private s3
bk_proxy_start

audit=$TEST_DIR/audit.jsonl
uploads=$S3_DIR/$S3_BUCKET/._S3rver_uploads
# ~24 MiB that do not compress, then pg_dump waits: three 8 MiB parts
bk_fake_pg_dump "$TEST_DIR/pg_dump" 24 600
export OPSDECK_PG_DUMP=$TEST_DIR/pg_dump

s3_stop() { kill -STOP "$S3_PID" "$BK_PROXY_PID"; }
s3_resume() { kill -CONT "$S3_PID" "$BK_PROXY_PID" 2>/dev/null || true; }
on_exit s3_resume

# upload_ids: the multipart uploads in the store, on one line.
upload_ids() { find "$uploads" -mindepth 1 -maxdepth 1 -printf '%f ' 2>/dev/null || true; }

# upload_started BEFORE: waits for a multipart upload not in BEFORE (a list
# of upload ids) to hold a first part; prints its id.
upload_started() {
	local d id
	for _ in $(seq 1 300); do
		for d in "$uploads"/*/; do
			id=$(basename "$d")
			[ -f "$d/1" ] && [[ " $1 " != *" $id "* ]] && echo "$id" && return 0
		done
		sleep 0.05
	done
	return 1
}

# wait_end PID LIMIT_MS: waits up to LIMIT_MS for PID to end (then kills
# it); ENDED_MS gets the time it took, FAULT_RC its exit status.
wait_end() {
	local pid=$1 start
	start=$(_tui_now_ms)
	while kill -0 "$pid" 2>/dev/null && [ $(($(_tui_now_ms) - start)) -lt "$2" ]; do
		sleep 0.05
	done
	ENDED_MS=$(($(_tui_now_ms) - start))
	kill -KILL "$pid" 2>/dev/null || true
	FAULT_RC=0
	wait "$pid" || FAULT_RC=$?
}

# outcome_detail: the detail of the newest outcome in the audit log.
outcome_detail() {
	"$_LIB_PY" - "$audit" <<'PY'
import json, sys
records = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
outcomes = [r for r in records if r.get("phase") == "outcome"]
print(outcomes[-1].get("detail", "") if outcomes else "")
PY
}

# interrupt PID SECOND_SIGNAL: stops S3, then SIGTERM to PID (twice, half a
# second apart, when SECOND_SIGNAL is yes).
interrupt() {
	s3_stop
	kill -TERM "$1"
	if [ "$2" = yes ]; then
		sleep 0.5
		kill -TERM "$1"
	fi
}

# assert_left_named WHAT ID TEXT: TEXT (what opsdeck printed) and the audit
# log's outcome name upload ID, the outcome is "cancelled", no secret shows.
assert_left_named() {
	assert_contains "$3" "upload id $2" "$1: the result names the upload left behind"
	assert_audit_outcome "$audit" backup-db cancelled "$1"
	assert_contains "$(outcome_detail)" "upload id $2" "$1: the audit outcome names it"
	assert_no_secrets "$3$(cat "$audit")" "$1"
}

# run_case WHAT PREFIX SECOND_SIGNAL LIMIT_MS
run_case() {
	local what=$1 prefix=$2 second=$3 limit=$4 before id pid
	bk_config "$prefix.conf" "s3://$S3_BUCKET/$prefix" "postgresql://app:x@127.0.0.1:1/shop"
	before=$(upload_ids)
	"$OPSDECK" -c "$prefix.conf" backup db >"$prefix.out" 2>"$prefix.err" &
	pid=$!
	id=$(upload_started "$before") || {
		fail "$what: no multipart upload started: $(cat "$prefix.err")"
		kill -KILL "$pid"
		return
	}
	interrupt "$pid" "$second"
	wait_end "$pid" $((limit + 5000))
	assert_le "$ENDED_MS" "$limit" "$what: opsdeck ended within $limit ms (took $ENDED_MS ms)"
	assert_eq "$FAULT_RC" 1 "$what: exit status"
	local err
	err=$(cat "$prefix.err")
	assert_contains "$err" "backup failed (cancelled)" "$what"
	assert_contains "$err" "s3://$S3_BUCKET/$prefix/" "$what: the result names the object"
	assert_left_named "$what" "$id" "$(cat "$prefix.out" "$prefix.err")"
	s3_resume
}

run_case "one SIGTERM, S3 hung" hung-$$ no 15000
run_case "SIGTERM twice, S3 hung" twice-$$ yes 2000

# dash_case WHAT PREFIX SECOND_SIGNAL LIMIT_MS: the same from the dashboard.
dash_case() {
	local what=$1 prefix=$2 second=$3 limit=$4 before id pid start screen
	fault_config "$prefix.conf" "[database]" "url = postgresql://app:x@127.0.0.1:1/shop" \
		"[backup]" "target = s3://$S3_BUCKET/$prefix" "s3_endpoint = $BK_ENDPOINT" \
		"[recovery]" "audit_log = $audit"
	before=$(upload_ids)
	TUI_SOCKET="opsdeck-tui-$TEST_NAME-$$-$prefix"
	TUI_ENV="OPSDECK_PG_DUMP=$OPSDECK_PG_DUMP" fault_dashboard 120 40 "$prefix.conf"
	pid=$(tui_pid)
	tui_keys b
	tui_wait "back up the database" 5
	tui_keys d
	tui_wait "Start? (y / Esc)" 5
	tui_keys y
	id=$(upload_started "$before") || {
		fail "$what: no multipart upload started"
		tui_show_screen
		_tui_kill "$TUI_SOCKET"
		return
	}
	interrupt "$pid" "$second"
	start=$(_tui_now_ms)
	if tui_wait "EXIT=" $(((limit + 5000) / 1000)); then
		ENDED_MS=$(($(_tui_now_ms) - start))
		assert_le "$ENDED_MS" "$limit" "$what: the dashboard ended within $limit ms (took $ENDED_MS ms)"
	else
		fail "$what: the dashboard still runs $((limit + 5000)) ms after the signal"
	fi
	screen=$(_tui capture-pane -p -J -t tui)
	assert_contains "$screen" "EXIT=143" "$what: exit status 128 + SIGTERM"
	assert_left_named "$what" "$id" "$screen"
	assert_terminal_usable
	_tui_kill "$TUI_SOCKET"
	s3_resume
}

dash_case "dashboard, one SIGTERM, S3 hung" dash-hung-$$ no 15000
dash_case "dashboard, SIGTERM twice, S3 hung" dash-twice-$$ yes 2000
finish
