#!/usr/bin/env bash
# The backup menu's Restore… up to the run, at 70x20 (the smallest full
# layout), against a real backup on a file:// target: b r lists it (newest
# first, its key), Esc goes back to the menu; Enter picks it; a bad name and
# the app's own database are refused under the prompt; the default name
# (DB_restore_YYYYMMDD) is offered; the engine's dry run refuses a database
# that exists (Enter goes back to the name) and describes a new one; the dry
# runs and a wrong typed confirmation create nothing; Esc backs out step by
# step, leaving the confirmation audited as declined. The run itself is tests/tui/restore.sh.
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg

src=rdash_src_$$
# the app's role cannot create databases: the dry run asks as the superuser
bk_backed_up_items "$src" 12 "restore_url = $PG_SUPERUSER_URL"
key=$(cd target && ls -- *.sql.gz)
into=${src}_restore_$(date -u +%Y%m%d)
created() { psql_super "SELECT count(*) FROM pg_database WHERE datname LIKE 'rdash_src_$$%'"; }

tui_start 70 20 -c opsdeck.conf
assert_screen "Health"
tui_keys b
assert_screen "r  restore... a database backup into a new database"
tui_keys r
assert_screen "newest first:"
assert_screen "> 20"
assert_contains "$SCREEN" "$key" "the picker shows the backup"
assert_contains "$SCREEN" "1 of 1" "one complete database backup"
tui_keys Escape
assert_screen "r  restore... a database backup into a new database"
tui_keys r
assert_screen "> 20"
tui_keys Enter
assert_screen "into a new database (it must not exist yet):"
assert_contains "$SCREEN" "> ${into}_" "the default name"
# a bad name, then the app's own database: the error under the prompt
tui_keys BSpace - Enter
assert_screen "is not a database name"
for _ in $(seq 1 40); do tui_keys BSpace; done
tui_keys -l "$src"
tui_keys Enter
assert_screen "$src is the app's live database: choose a new name"
# a database that exists: the dry run on the server refuses it
for _ in $(seq 1 40); do tui_keys BSpace; done
tui_keys -l "postgres"
tui_keys Enter
assert_screen "The dry run refuses this restore"
assert_contains "$SCREEN" "database postgres exists" "the dry run says why"
tui_keys Enter
assert_screen "into a new database (it must not exist yet):"
for _ in $(seq 1 40); do tui_keys BSpace; done
tui_keys -l "$into"
assert_screen_gone "live database"
tui_keys Enter
assert_screen "Dry run, nothing changed yet"
assert_contains "$SCREEN" "would create database $into" "the dry run names the new database"
tui_keys Enter
assert_screen "Type its name to run it:"
tui_keys -l "wrong"
tui_keys Enter
assert_screen "'wrong' is not '$into'"
assert_eq "$(created)" 1 "only the source database: nothing created"
# Esc backs out: the name (the confirmation declined, on record), the
# picker, the menu, the dashboard
tui_keys Escape
assert_screen "into a new database"
assert_contains "$(grep '"action":"restore-db"' audit.jsonl | grep '"result":"declined"')" "$into" \
	"the declined confirmation is audited"
tui_keys Escape
assert_screen "Up/Down pick"
tui_keys Escape
assert_screen "r  restore... a database backup into a new database"
tui_keys Escape q
assert_screen "EXIT=0"
assert_eq "$(created)" 1 "nothing created"
finish
