#!/usr/bin/env bash
# opsdeck restore KEY --replace on the stack: the backup is restored into a
# new database first, then the live database's sessions are ended and the
# two swap names, so the live name holds the backup's rows and the old data
# stays as DB_before_STAMP; the dry run, read-only mode, a missing terminal
# and a restore_url on the live database itself change nothing.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg,s3

live=rp_$$
super_url="postgresql://postgres:$PG_SUPERUSER_PASSWORD@127.0.0.1:$PGPORT/postgres"
dbs_like() { psql_super "SELECT string_agg(datname, ' ' ORDER BY datname) FROM pg_database
	WHERE datname LIKE '$1%'"; }
on_exit bash -c "for d in \$(PGPASSWORD=$PG_SUPERUSER_PASSWORD ${PG_BINDIR:+$PG_BINDIR/}psql -X -A -t \
	-h 127.0.0.1 -p $PGPORT -U postgres -d postgres -c \"SELECT datname FROM pg_database WHERE datname LIKE '$live%'\"); do
	PGPASSWORD=$PG_SUPERUSER_PASSWORD ${PG_BINDIR:+$PG_BINDIR/}psql -X -q -h 127.0.0.1 -p $PGPORT -U postgres \
	-d postgres -c \"DROP DATABASE IF EXISTS \\\"\$d\\\" WITH (FORCE)\"; done"
psql_super "CREATE DATABASE $live OWNER app" >/dev/null
bk_psql "$live" "CREATE TABLE items (id int PRIMARY KEY); INSERT INTO items SELECT generate_series(1, 100)"

mkdir -p target
url="postgresql://app:$PGPASSWORD@127.0.0.1:$PGPORT/$live"
bk_config opsdeck.conf "file://$TEST_DIR/target" "$url" "restore_url = $super_url"
assert_exit 0 "$OPSDECK" -c opsdeck.conf backup db
key=$(cd target && ls -- *.sql.gz)
bk_psql "$live" "INSERT INTO items SELECT generate_series(101, 150)"

# an app session on the live database, ended by the swap
(
	echo "SELECT 1;"
	sleep 60
) | PGAPPNAME=held PGPASSWORD=$PGPASSWORD "${PG_BINDIR:+$PG_BINDIR/}psql" -X -q -h 127.0.0.1 \
	-p "$PGPORT" -U app -d "$live" >/dev/null 2>&1 &
on_exit kill "$!"
for _ in $(seq 50); do
	[ "$(psql_super "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'held'")" = 1 ] && break
	sleep 0.1
done

# nothing changes: dry run, read-only, no terminal, restore_url on the live database
assert_exit 0 "$OPSDECK" -c opsdeck.conf restore "$key" --replace --dry-run
assert_contains "$OUT" "would restore $key"
assert_contains "$OUT" "rename it to ${live}_before_"
assert_exit 1 "$OPSDECK" -c opsdeck.conf --read-only restore "$key" --replace --yes
assert_contains "$ERR" "read-only mode"
assert_exit 1 "$OPSDECK" -c opsdeck.conf restore "$key" --replace </dev/null
assert_contains "$ERR" "restore replaces database $live and there is no terminal"
bk_config self.conf "file://$TEST_DIR/target" "$url" \
	"restore_url = postgresql://postgres:$PG_SUPERUSER_PASSWORD@127.0.0.1:$PGPORT/$live"
assert_exit 1 "$OPSDECK" -c self.conf restore "$key" --replace --yes
assert_contains "$ERR" "restore_url connects to $live itself"
assert_exit 2 "$OPSDECK" -c opsdeck.conf restore "$key" --replace --into other
assert_eq "$(dbs_like "$live")" "$live" "nothing was created or renamed"
assert_eq "$(bk_psql "$live" "SELECT count(*) FROM items")" 150 "the live data is untouched"

# the swap
assert_exit 0 "$OPSDECK" -c opsdeck.conf restore "$key" --replace --yes
assert_contains "$OUT" "replaced database $live with the restore of $key"
assert_contains "$OUT" "(1 session ended)"
assert_contains "$OUT" "To roll back: ALTER DATABASE $live RENAME TO"
before=$(psql_super "SELECT datname FROM pg_database WHERE datname LIKE '${live}_before_%'")
assert_match "$before" "^${live}_before_[0-9]{14}$" "the previous database is kept"
assert_eq "$(dbs_like "$live")" "$live $before" "the live name and the previous one, nothing else"
assert_eq "$(bk_psql "$live" "SELECT count(*) FROM items")" 100 "the live name has the backup's rows"
assert_eq "$(bk_psql "$before" "SELECT count(*) FROM items")" 150 "the previous data is kept"
assert_eq "$(psql_super "SELECT datallowconn FROM pg_database WHERE datname = '$before'")" t \
	"the previous database takes connections (for a rollback)"
assert_eq "$(grep -c '"action":"restore-db".*"arguments":"[^"]*replacing '"$live"'.*"result":"ok"' audit.jsonl)" \
	2 "dry run and swap audited"
finish
