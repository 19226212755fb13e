#!/usr/bin/env bash
# The backup menu's Restore… restores a real backup into a new database: a
# database of 1234 rows is backed up to a file:// target by the CLI, then in
# the dashboard (70x20) b r, Enter, the default name, the dry run, the typed
# name: the result names the database, which exists with every row. A second
# restore into the same name is refused by its dry run, and the database
# restored first is left as it was. The audit log has the attempt and the
# outcome of the dry run and of the restore. (The dialog's steps: tests/tui/restore_dialog.sh.)
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg

src=rdash_src_$$
# the app's role cannot create databases: restore as the superuser
bk_backed_up_items "$src" 1234 "restore_url = $PG_SUPERUSER_URL"
in_restored() {
	PGPASSWORD=$PG_SUPERUSER_PASSWORD "${PG_BINDIR:+$PG_BINDIR/}psql" -X -q -A -t \
		-h 127.0.0.1 -p "$PGPORT" -U postgres -d "$into" -c "$1"
}
into=${src}_restore_$(date -u +%Y%m%d)
on_exit psql_super "DROP DATABASE IF EXISTS \"$into\" WITH (FORCE)"

restore_default() {
	tui_keys b r
	assert_screen "> 20"
	tui_keys Enter
	assert_screen "> ${into}_"
	tui_keys Enter
}
run_default() {
	restore_default
	assert_screen "Dry run, nothing changed yet"
	tui_keys Enter
	assert_screen "Type its name to run it:"
	tui_keys -l "$into"
	tui_keys Enter
}

tui_start 70 20 -c opsdeck.conf
assert_screen "Health"
run_default
assert_screen "Restored into database $into." 30
assert_eq "$(in_restored "SELECT count(*) FROM items")" 1234 "every row restored"
assert_eq "$(in_restored "SELECT name FROM items WHERE id = 1234")" "item 1234" "the data"
assert_eq "$(grep '"action":"restore-db"' audit.jsonl | grep -c '"dry_run":true')" 2 \
	"audit: the dry run's attempt + outcome"
assert_eq "$(grep '"action":"restore-db"' audit.jsonl | grep -c '"dry_run":false')" 2 \
	"audit: the restore's attempt + outcome"
tui_keys Escape Escape

# the same name again: refused by the dry run, the first restore left alone
restore_default
assert_screen "The dry run refuses this restore" 30
assert_contains "$SCREEN" "exists" "the dry run says why"
assert_eq "$(in_restored "SELECT count(*) FROM items")" 1234 "the existing database untouched"
tui_keys Escape Escape Escape Escape q
assert_screen "EXIT=0"
finish
