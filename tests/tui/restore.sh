#!/usr/bin/env bash
# The backup menu's Restore… restores a real backup into a new database:
# a database of 1234 rows is backed up to a file:// target by the CLI, then
# in the dashboard (70x20, the smallest full layout) b r lists it, Enter
# picks it, a bad name is refused under the prompt, the default name
# (DB_restore_YYYYMMDD) is taken, the dry run changes nothing, a wrong typed
# confirmation is refused, the right one restores; the result names the
# database, which exists with every row; the audit log has the attempt and
# the outcome. A second restore into the same name fails and says so, and
# the database restored first is left as it was.
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg

src=rdash_src_$$
bk_createdb "$src"
bk_psql "$src" "CREATE TABLE items (id int PRIMARY KEY, name text);
	INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 1234) g;" >/dev/null
mkdir -p target
bk_config opsdeck.conf "file://$TEST_DIR/target" \
	"postgresql://app:$PGPASSWORD@127.0.0.1:$PGPORT/$src"
run "$OPSDECK" -c opsdeck.conf backup db
assert_exit 0 "the backup"
key=$(cd target && ls -- *.sql.gz)
into=${src}_restore_$(date -u +%Y%m%d)
on_exit psql_super "DROP DATABASE IF EXISTS \"$into\" WITH (FORCE)"

tui_start 70 20 -c opsdeck.conf
assert_screen "Health"
tui_keys b
assert_screen "r  restore... a database backup into a new database"
tui_keys r
assert_screen "newest first:"
assert_screen "> 20"
assert_contains "$SCREEN" "$key" "the picker shows the backup"
tui_keys Enter
assert_screen "into a new database (it must not exist yet):"
assert_contains "$SCREEN" "> ${into}_" "the default name"
# a bad name: the error under the prompt, nothing changes step
tui_keys BSpace A Enter
assert_screen "'A' is not allowed: use a-z, 0-9 and _"
tui_keys BSpace
tui_keys -l "$(date -u +%Y%m%d | tail -c 2)"
assert_screen "> ${into}_"
tui_keys Enter
assert_screen "Dry run, nothing changed yet"
assert_eq "$(psql_super "SELECT count(*) FROM pg_database WHERE datname = '$into'")" 0 \
	"the dry run created nothing"
tui_keys Enter
assert_screen "Type its name to run it:"
tui_keys -l "wrong"
tui_keys Enter
assert_screen "'wrong' is not '$into'"
tui_keys -l "$into"
tui_keys Enter
assert_screen "Restored into database $into." 60
assert_eq "$(bk_psql "$into" "SELECT count(*) FROM items")" 1234 "every row restored"
assert_eq "$(bk_psql "$into" "SELECT name FROM items WHERE id = 1234")" "item 1234" "the data"
tui_keys Escape
assert_screen "r  restore... a database backup into a new database"
tui_keys Escape
assert_screen_gone "restore... a database backup"

# the same name again: refused, and the first restore is left alone
tui_keys b r
assert_screen "> 20"
tui_keys Enter
assert_screen "> ${into}_"
tui_keys Enter Enter
assert_screen "Type its name to run it:"
tui_keys -l "$into"
tui_keys Enter
assert_screen "The restore into $into failed:" 60
assert_eq "$(bk_psql "$into" "SELECT count(*) FROM items")" 1234 "the existing database untouched"
tui_keys Escape Escape q
assert_screen "EXIT=0"
finish
