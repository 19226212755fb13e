#!/usr/bin/env bash
# `opsdeck record` against the real stack: it creates a missing [history]
# dir 0700 and a database 0600, writes one record per poll at --interval 1s,
# logs a write that fails (a file size limit standing in for a full disk)
# once and goes on polling, then writes again once it can,
# logs state changes (a SIGHUP that points Redis at a closed port: the check
# turns unhealthy, redis_down opens), exits 0 on SIGTERM and SIGINT, refuses
# a second recorder naming the first one's pid, keeps every earlier record
# after a SIGKILL, survives a damaged WAL and a damaged database tail (the
# file moved aside, earlier records kept, one warning), lists the backups
# and keeps that listing between its 5-minute probes, and names
# [history] dir when it cannot be created or written. No secret reaches the
# history. The history is read with sqlite3(1).
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
require_cmd sqlite3
stack_use pg,redis,app

hist=$TEST_DIR/state/history
write_stack_config opsdeck.conf "[database]" "slow_query_ms = 600000" \
	"[history]" "dir = $hist"

records() { sqlite3 "$hist/history.db" 'SELECT count(*) FROM poll' 2>/dev/null || echo 0; }
# the same, read from a copy: opening the database itself would checkpoint
# and remove the WAL that a killed recorder left for the next one to find
records_of_copy() {
	rm -rf "$TEST_DIR/copy" && mkdir "$TEST_DIR/copy" &&
		cp "$hist"/history.db* "$TEST_DIR/copy/" &&
		sqlite3 "$TEST_DIR/copy/history.db" 'SELECT count(*) FROM poll'
}
first_seq() { sqlite3 "$hist/history.db" 'SELECT min(seq) FROM poll'; }

# start_recorder LOG: in the background, its pid in REC_PID
start_recorder() {
	"$OPSDECK" -c opsdeck.conf record --interval 1s 2>"$1" &
	REC_PID=$!
	on_exit kill -9 "$REC_PID"
}

# has_records N / logged FILE TEXT: for wait_until
has_records() { [ "$(records)" -ge "$1" ]; }
logged() { grep -qF -- "$2" "$1"; }

# stop_recorder SIGNAL: sets RC to the recorder's exit status
stop_recorder() {
	kill "-$1" "$REC_PID"
	RC=0
	wait "$REC_PID" || RC=$?
}

# ------------------------------------------------------------ records
start_recorder rec1.log
wait_until 20 has_records 3 || fail "no 3 records within 20 s: $(cat rec1.log)"
assert_eq "$(stat -c '%a' "$hist")" 700 "the missing [history] dir created 0700"
assert_eq "$(stat -c '%a' "$hist/history.db")" 600 "the database 0600"
assert_eq "$(sqlite3 "$hist/history.db" 'PRAGMA user_version')" 1 "schema version 1"
assert_eq "$(sqlite3 "$hist/history.db" 'PRAGMA journal_mode')" wal "in WAL mode"
# one record a second: the spacing of the first three
span=$(sqlite3 "$hist/history.db" 'SELECT max(at_ms) - min(at_ms) FROM (SELECT at_ms FROM poll ORDER BY seq LIMIT 3)')
assert_ge "$span" 1500 "three records span about 2 s"
assert_le "$span" 3500 "... not more"
assert_contains "$(sqlite3 "$hist/history.db" 'SELECT group_concat(text, " ") FROM label')" \
	"requests.per_minute" "the request figures are recorded"
assert_contains "$(sqlite3 "$hist/history.db" 'SELECT group_concat(text, " ") FROM label')" \
	"database.connections_total" "the database figures too"
assert_contains "$(cat rec1.log)" "recording every 1000 ms into $hist/history.db"

# status names the recorder and what the history holds
run "$OPSDECK" -c opsdeck.conf status --json
assert_eq "$(json_get "$OUT" history.recording)" true "status --json: recording"
assert_eq "$(json_get "$OUT" history.recorder_pid)" "$REC_PID" "... by the recorder's pid"
assert_eq "$(json_get "$OUT" history.dir)" "$hist" "... into [history] dir"
assert_ge "$(json_get "$OUT" history.records)" 3 "... with the records so far"
assert_eq "$(json_get "$OUT" history.problem)" null "... and no problem"
assert_contains "$("$OPSDECK" -c opsdeck.conf status)" "history   RECORDING"

# a second recorder on the same directory is refused
assert_exit 1 "$OPSDECK" -c opsdeck.conf record --interval 1s
assert_eq "$ERR" "opsdeck: another opsdeck record (pid $REC_PID) is writing $hist" \
	"the second recorder names the first"

# SIGHUP reloads: Redis pointed at a closed port turns unhealthy
cp opsdeck.conf opsdeck.conf.good
sed -i "s|^url = redis://.*|url = redis://127.0.0.1:9/0|" opsdeck.conf
kill -HUP "$REC_PID"
wait_until 20 logged rec1.log "configuration reloaded" || fail "no reload logged: $(cat rec1.log)"
wait_until 20 logged rec1.log "check redis: ok -> unhealthy" || fail "no redis change logged: $(cat rec1.log)"
wait_until 20 logged rec1.log "issue opened: redis_down (high)" || fail "no issue logged: $(cat rec1.log)"
cp opsdeck.conf.good opsdeck.conf
kill -HUP "$REC_PID"
wait_until 20 logged rec1.log "issue cleared: redis_down" || fail "no clear logged: $(cat rec1.log)"
assert_contains "$(sqlite3 "$hist/history.db" 'SELECT message FROM issue_message')" \
	"Redis" "the issue's message is recorded"
stop_recorder TERM
assert_eq "$RC" 0 "SIGTERM: exit 0"
assert_contains "$(cat rec1.log)" "stopping (SIGTERM)"
assert_eq "$(grep -c . rec1.log | tr -d ' ')" "$(grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' rec1.log)" \
	"every log line starts with its time"
assert_no_secrets "$(cat rec1.log)$(sqlite3 "$hist/history.db" \
	'SELECT text FROM label; SELECT message FROM issue_message')$(strings "$hist/history.db")"

# ------------------------------------------------------------ SIGINT, SIGKILL
before=$(records)
start_recorder rec2.log
wait_until 20 has_records $((before + 2)) || fail "no records after a restart"
stop_recorder INT
assert_eq "$RC" 0 "SIGINT: exit 0"

start_recorder rec3.log
wait_until 20 has_records $((before + 5)) || fail "no records in the third run"
stop_recorder KILL
killed=$(records_of_copy)
start_recorder rec4.log
wait_until 20 has_records $((killed + 2)) || fail "no records after SIGKILL: $(cat rec4.log)"
assert_eq "$(first_seq)" 1 "after SIGKILL, the first record is still there"
assert_not_contains "$(cat rec4.log)" "damaged" "a killed writer is no damage"

# ------------------------------------------------------------ damage
# killed with its WAL in place, the WAL given a garbage tail
stop_recorder KILL
assert_ge "$(stat -c %s "$hist/history.db-wal")" 1 "a WAL left by the killed recorder"
kept=$(records_of_copy)
head -c 5000 /dev/urandom >>"$hist/history.db-wal"
start_recorder rec5.log
wait_until 20 has_records $((kept + 2)) || fail "no records after a garbage WAL tail: $(cat rec5.log)"
assert_eq "$(first_seq)" 1 "a garbage WAL tail loses nothing committed"
stop_recorder TERM
assert_eq "$RC" 0 "and the recorder ran on"

# the database's own tail overwritten with garbage
size=$(stat -c %s "$hist/history.db")
head -c 4096 /dev/urandom | dd of="$hist/history.db" bs=1 seek=$((size - 4096)) conv=notrunc status=none
start_recorder rec6.log
wait_until 20 logged rec6.log "was damaged" || fail "no warning on a damaged tail: $(cat rec6.log)"
wait_until 20 has_records 3 || fail "no records after a damaged tail: $(cat rec6.log)"
assert_eq "$(grep -c 'was damaged' rec6.log)" 1 "warned once"
aside=$(ls "$hist" | grep -c '^history\.db\.corrupt-')
assert_eq "$aside" 1 "the damaged file moved aside"
assert_eq "$(first_seq)" 1 "records before the damage kept"
stop_recorder TERM
assert_eq "$RC" 0 "SIGTERM after recovery: exit 0"

# ------------------------------------------------------------ a full disk
# RLIMIT_FSIZE stands in for a full disk: writes past it fail with EFBIG
# (SIGXFSZ ignored); prlimit(1) lifts it while the recorder runs.
if command -v prlimit >/dev/null; then
	write_stack_config full.conf "[database]" "slow_query_ms = 600000" \
		"[history]" "dir = $TEST_DIR/full"
	bash -c 'trap "" XFSZ; ulimit -S -f 64; exec "$0" -c full.conf record --interval 1s' \
		"$OPSDECK" 2>rec7.log &
	REC_PID=$!
	on_exit kill -9 "$REC_PID"
	wait_until 20 logged rec7.log "cannot write the history" || fail "no write failure: $(cat rec7.log)"
	sleep 3
	assert_eq "$(grep -c 'cannot write the history' rec7.log)" 1 "a failing write is logged once"
	assert_contains "$(cat rec7.log)" "(polling goes on)"
	assert_exit 0 kill -0 "$REC_PID"
	prlimit --pid "$REC_PID" --fsize=unlimited:
	wait_until 20 logged rec7.log "the history is written again" || fail "no recovery: $(cat rec7.log)"
	stop_recorder TERM
	assert_eq "$RC" 0 "the recorder that could not write exits 0 on SIGTERM"
fi

# ------------------------------------------------------------ backups
# the recorder lists the backups (at its first poll, then every 5 minutes)
# and keeps that listing between: an empty target is backup_stale, opened
# once and never cleared by a poll that did not list
mkdir -p "$TEST_DIR/empty-target"
write_stack_config backups.conf "[database]" "slow_query_ms = 600000" \
	"[history]" "dir = $TEST_DIR/history-backups" "[backup]" "target = file://$TEST_DIR/empty-target"
"$OPSDECK" -c backups.conf record --interval 500ms 2>backups.log &
backups_pid=$!
on_exit kill -9 "$backups_pid"
wait_until 10 logged backups.log "issue opened: backup_stale" || fail "no backup_stale: $(cat backups.log)"
sleep 3
kill -TERM "$backups_pid"
wait "$backups_pid" || true
assert_eq "$(grep -c "issue opened: backup_stale" backups.log)" 1 "backup_stale opened once"
assert_not_contains "$(cat backups.log)" "issue cleared: backup_stale" "... and kept between listings"

# ------------------------------------------------------------ bad dirs
printf 'x' >"$TEST_DIR/afile"
write_stack_config bad.conf "[history]" "dir = $TEST_DIR/afile/history"
assert_exit 2 "$OPSDECK" -c bad.conf record --interval 1s
assert_contains "$ERR" "opsdeck: [history] dir: cannot create $TEST_DIR/afile/history"
write_stack_config off.conf "[history]" "enabled = false"
assert_exit 2 "$OPSDECK" -c off.conf record
assert_contains "$ERR" "[history] enabled = false"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	nb=$(mktemp -d /tmp/opsdeck-nobody.XXXXXX)
	on_exit rm -rf "$nb"
	chmod 0755 "$nb"
	mkdir -m 0755 "$nb/history"
	install -m 0755 "$OPSDECK" "$nb/opsdeck"
	printf '[app]\nhealth_url =\nversion_url =\nversion_file =\n[database]\nurl =\n[redis]\nurl =\n[history]\ndir = %s\n' \
		"$nb/history" >"$nb/opsdeck.conf"
	chmod 0644 "$nb/opsdeck.conf"
	run setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME=/nonexistent \
		"$nb/opsdeck" -c "$nb/opsdeck.conf" record
	assert_eq "$RC" 2 "a directory nobody may write: exit 2"
	assert_eq "$ERR" "opsdeck: [history] dir: cannot write to $nb/history: Permission denied" \
		"one line naming [history] dir"
fi
finish
