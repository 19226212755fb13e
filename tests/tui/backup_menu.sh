#!/usr/bin/env bash
# The b menu: database backup to a file:// target with confirmation, its
# result in Activity and the audit log; list; a files backup cancelled with
# confirmation (a slow pg_dump stand-in would be needed for a db cancel, so
# the cancel is exercised on the database with a fake pg_dump that stalls).
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg
mkdir -p target
bk_config opsdeck.conf "file://$TEST_DIR/target"

tui_start 120 40 -c opsdeck.conf
assert_screen "> Health"
tui_keys b
assert_screen "back up the database"
assert_screen "file://$TEST_DIR/target"
tui_keys d
assert_screen "Start? (y / Esc)"
tui_keys y
assert_screen "backup db: backed up shop" 30
assert_screen "backup db to file://" 5
obj=$(cd target && ls -- *.sql.gz)
assert_match "$obj" '^shop_.*\.sql\.gz$' "the backup file"
assert_eq "$(grep -c '"action":"backup-db"' audit.jsonl)" 2 "audit: attempt + outcome"
tui_keys Escape
tui_keys b l
assert_screen "1 backup(s) at"
assert_screen "complete"
tui_keys Escape
assert_screen_gone "1 backup(s) at"
_tui_kill "$TUI_SOCKET"

# cancel, with a pg_dump that writes a little and stalls
bk_fake_pg_dump "$TEST_DIR/fake_pg_dump" 1 60
TUI_SOCKET="$TUI_SOCKET-2"
TUI_ENV="OPSDECK_PG_DUMP=$TEST_DIR/fake_pg_dump"
rm -f target/*
tui_start 120 40 -c opsdeck.conf
assert_screen "> Health"
tui_keys b d y
assert_screen "c cancel the backup"
tui_keys c
assert_screen "Cancel the running backup db?"
tui_keys y
assert_screen "cancel asked by the operator"
assert_screen "backup failed (cancelled)" 10
assert_eq "$(ls -A target)" "" "nothing left at the target"
assert_contains "$(tail -1 audit.jsonl)" '"result":"cancelled"' "audit outcome"
finish
