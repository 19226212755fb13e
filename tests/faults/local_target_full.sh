#!/usr/bin/env bash
# A file:// backup target on a 2 MiB tmpfs that the backup fills up:
# `backup db` and `backup files` fail naming "No space left on device", exit
# 1, and leave nothing that looks complete (no .partial, no database object,
# no manifest; files that went up before the disk filled stay listed as an
# INCOMPLETE run, as documented); the audit log has the attempt and the
# failed outcome; the dashboard's backup menu reports the failure within two
# intervals of its outcome being recorded, and stays usable.
. "$OPSDECK_SRCDIR/tests/faults/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
require_cmd mount umount

target=$TEST_DIR/full
mkdir -p "$target"
if ! mount -t tmpfs -o size=2m,mode=0700 tmpfs "$target" 2>mount.err; then
	skip "cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN): $(cat mount.err)"
fi
on_exit umount -l "$target"

stack_private pg
db=bk_full_$$
bk_big_db "$db" 4 # ~8 MB of plain dump, ~4.5 MB gzipped: more than the disk
dburl="postgresql://app:$PGPASSWORD@127.0.0.1:$PGPORT/$db"
audit=$TEST_DIR/audit.jsonl
src=$TEST_DIR/uploads
mkdir -p "$src/img"
echo "a small file" >"$src/notes.txt"
head -c 3M /dev/urandom >"$src/img/big.bin" # incompressible, larger than the disk
fault_config opsdeck.conf "[database]" "url = $dburl" "[backup]" "target = file://$target" \
	"files_source = $src" "[recovery]" "audit_log = $audit"

# Nothing at the target but files of an incomplete files run.
assert_no_partial() { # WHAT
	assert_eq "$(find "$target" -name '*.partial' | grep -c . || true)" 0 "$1: no .partial left"
	assert_eq "$(find "$target" -name '*.sql.gz*' -o -name '*.json' | grep -c . || true)" 0 \
		"$1: no database object and no manifest"
}

# ---- backup db
assert_exit 1 "$OPSDECK" -c opsdeck.conf backup db
assert_contains "$ERR" "backup failed" "backup db"
assert_contains "$ERR" "No space left on device" "backup db names the cause"
assert_no_secrets "$OUT$ERR" "backup db"
assert_no_partial "backup db"
assert_eq "$(find "$target" -type f | grep -c . || true)" 0 "backup db: the target is empty again"
assert_audit_outcome "$audit" backup-db failed "backup db"

# ---- backup files
assert_exit 1 "$OPSDECK" -c opsdeck.conf backup files
assert_contains "$ERR" "file backup failed" "backup files"
assert_contains "$ERR" "No space left on device" "backup files names the cause"
assert_contains "$ERR" "img/big.bin" "backup files names the file"
assert_no_partial "backup files"
assert_audit_outcome "$audit" backup-files failed "backup files"
run "$OPSDECK" -c opsdeck.conf backup list
assert_match "$OUT" "files +[0-9.]+ kB +INCOMPLETE" "backup list: the files run is incomplete"
assert_not_contains "$OUT" "complete   " "backup list: nothing complete"
find "$target" -mindepth 1 -delete

# ---- the dashboard
fault_dashboard 120 40 opsdeck.conf
tui_keys b
tui_wait "back up the database" 5
tui_keys d
tui_wait "Start? (y / Esc)" 5
before=$(grep -c '"phase":"outcome"' "$audit")
tui_keys y
for _ in $(seq 1 600); do
	[ "$(grep -c '"phase":"outcome"' "$audit")" -gt "$before" ] && break
	sleep 0.1
done
assert_audit_outcome "$audit" backup-db failed "dashboard"
assert_reported "No space left on device" "dashboard"
assert_reported "FAILED (see Activity)" "dashboard"
assert_no_partial "dashboard"
tui_keys Escape
assert_reported "backup db: backup failed" "dashboard: Activity"
assert_alive
fault_quit
assert_terminal_usable
finish
