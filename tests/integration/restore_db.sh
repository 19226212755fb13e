#!/usr/bin/env bash
# opsdeck restore KEY --into DB on the stack: a backup restored into a new
# database has the same rows and checksums as its source, from file:// and
# from S3; a failed restore (tampered, truncated, SIGTERM) leaves no
# database; refusals (existing database, missing key, no checksum, another
# database's backup, a role without CREATEDB, read-only, a bad name) create
# nothing; every run is audited, a declined confirmation too.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg,s3
require_cmd python3

super_url="postgresql://postgres:$PG_SUPERUSER_PASSWORD@127.0.0.1:$PGPORT/postgres"
checksum() { # DB: rows and an md5 of every table the app has
	psql_super_db "$1" "SELECT string_agg(t || '=' || n || ':' || h, ' ' ORDER BY t) FROM (
		SELECT 'RequestLog' AS t, count(*) AS n, md5(string_agg(r::text, ',' ORDER BY r.id)) AS h
		FROM \"RequestLog\" r
		UNION ALL SELECT '_prisma_migrations', count(*), md5(string_agg(m::text, ',' ORDER BY m.id))
		FROM _prisma_migrations m) x"
}
psql_super_db() {
	PGPASSWORD=$PG_SUPERUSER_PASSWORD "${PG_BINDIR:+$PG_BINDIR/}psql" -X -q -A -t -v ON_ERROR_STOP=1 \
		-h 127.0.0.1 -p "$PGPORT" -U postgres -d "$1" -c "$2"
}
db_exists() { psql_super "SELECT count(*) FROM pg_database WHERE datname = '$1'"; }
drop_later() { on_exit psql_super "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)"; }

want=$(checksum shop)
assert_match "$want" 'RequestLog=[1-9]' "source checksum"

mkdir -p target
bk_config opsdeck.conf "file://$TEST_DIR/target" "" "restore_url = $super_url"
assert_exit 0 "$OPSDECK" -c opsdeck.conf backup db
key=$(cd target && ls -- *.sql.gz)

# ---- a restore: dry run, then the real one
db=rst_ok_$$
drop_later "$db"
assert_exit 0 "$OPSDECK" -c opsdeck.conf restore "$key" --into "$db" --dry-run
assert_contains "$OUT" "would create database $db"
assert_eq "$(db_exists "$db")" 0 "the dry run creates nothing"
assert_exit 0 "$OPSDECK" -c opsdeck.conf restore "$key" --into "$db" --yes
assert_contains "$OUT" "restored $key into database $db"
assert_no_secrets "$OUT$ERR"
assert_eq "$(checksum "$db")" "$want" "the restored database has the source's rows"
assert_contains "$(cat audit.jsonl)" '"action":"restore-db"'
assert_eq "$(grep -c '"action":"restore-db".*"result":"ok"' audit.jsonl)" 2 "dry run and run audited ok"
# its manifest's name is accepted for the key
db2=rst_json_$$
drop_later "$db2"
assert_exit 0 "$OPSDECK" -c opsdeck.conf restore "$key.json" --into "$db2" --yes

# ---- refusals: nothing created
assert_exit 1 "$OPSDECK" -c opsdeck.conf restore "$key" --into "$db" --yes
assert_contains "$ERR" "database $db exists"
assert_exit 1 "$OPSDECK" -c opsdeck.conf restore nosuch.sql.gz --into rst_none_$$ --yes
assert_contains "$ERR" "no manifest nosuch.sql.gz.json"
assert_eq "$(db_exists rst_none_$$)" 0 "a missing key creates nothing"
assert_exit 1 "$OPSDECK" -c opsdeck.conf restore "$key" --into 'x;drop' --yes
assert_contains "$ERR" "is not a database name"
assert_exit 1 "$OPSDECK" -c opsdeck.conf --read-only restore "$key" --into rst_ro_$$ --yes
assert_contains "$ERR" "read-only mode"
assert_eq "$(db_exists rst_ro_$$)" 0 "read-only creates nothing"
assert_contains "$(grep '"result":"refused"' audit.jsonl)" "read-only"
assert_exit 1 "$OPSDECK" -c opsdeck.conf restore "$key" --into rst_tty_$$ </dev/null
assert_contains "$ERR" "no terminal to confirm on"
# on a terminal (script(1)), another name than the database's declines:
# nothing created, the refusal audited
run bash -c "printf 'shop\n' | script -qec '$OPSDECK -c opsdeck.conf restore $key --into rst_no_$$' /dev/null"
assert_contains "$OUT" "would create database rst_no_$$" "the dry run is shown first"
assert_contains "$OUT" "not confirmed: nothing restored" "another name declines"
assert_eq "$(db_exists rst_no_$$)" 0 "declined: nothing created"
assert_contains "$(grep '"action":"restore-db"' audit.jsonl | grep '"result":"declined"')" "rst_no_$$" \
	"the declined restore is audited"

# a manifest without its checksum
cp "target/$key" "target/nosum_$key"
python3 - "target/$key.json" "target/nosum_$key.json" "nosum_$key" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); m["key"] = sys.argv[3]; m["sha256"] = ""
json.dump(m, open(sys.argv[2], "w"))
PY
assert_exit 1 "$OPSDECK" -c opsdeck.conf restore "nosum_$key" --into rst_nosum_$$ --yes
assert_contains "$ERR" "sha256 missing or malformed"
assert_eq "$(db_exists rst_nosum_$$)" 0 "no checksum: nothing created"

# a role without CREATEDB
bk_config app.conf "file://$TEST_DIR/target"
assert_exit 1 "$OPSDECK" -c app.conf restore "$key" --into rst_app_$$ --yes
assert_contains "$ERR" "role app cannot create databases: ALTER ROLE app CREATEDB"

# a backup of another database
other=rst_other_$$
bk_createdb "$other"
bk_config other.conf "file://$TEST_DIR/target" \
	"postgresql://app:$PGPASSWORD@127.0.0.1:$PGPORT/$other" "restore_url = $super_url"
assert_exit 1 "$OPSDECK" -c other.conf restore "$key" --into rst_x_$$ --yes
assert_contains "$ERR" "is a backup of database shop, not of $other"
drop_later rst_x_$$
assert_exit 0 "$OPSDECK" -c other.conf restore "$key" --into rst_x_$$ --any-database --yes

# ---- failures after the database was created: it is dropped
tamper() { # SRC DST: one byte changed in the middle, manifest copied
	cp "target/$1" "target/$2"
	python3 - "target/$2" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[len(b) // 2] ^= 0xff
open(p, "wb").write(bytes(b))
PY
	python3 - "target/$1.json" "target/$2.json" "$2" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); m["key"] = sys.argv[3]
json.dump(m, open(sys.argv[2], "w"))
PY
}
tamper "$key" "tampered_$key"
assert_exit 1 "$OPSDECK" -c opsdeck.conf restore "tampered_$key" --into rst_tamper_$$ --yes
assert_match "$ERR" "SHA-256|corrupt" "a tampered object fails"
assert_contains "$ERR" "database rst_tamper_$$ was dropped"
assert_eq "$(db_exists rst_tamper_$$)" 0 "a tampered object leaves no database"

# truncated, with a manifest that matches the truncated object: the codec says so
head -c "$(($(stat -c %s "target/$key") / 2))" "target/$key" >"target/trunc_$key"
python3 - "target/$key.json" "target/trunc_$key.json" "trunc_$key" "target/trunc_$key" <<'PY'
import hashlib, json, os, sys
m = json.load(open(sys.argv[1])); m["key"] = sys.argv[3]
data = open(sys.argv[4], "rb").read()
m["sha256"] = hashlib.sha256(data).hexdigest(); m["bytes_out"] = len(data)
json.dump(m, open(sys.argv[2], "w"))
PY
assert_exit 1 "$OPSDECK" -c opsdeck.conf restore "trunc_$key" --into rst_trunc_$$ --yes
assert_contains "$ERR" "truncated"
assert_eq "$(db_exists rst_trunc_$$)" 0 "a truncated object leaves no database"

# SIGTERM while psql holds the transaction open
real=$(command -v "${PG_BINDIR:+$PG_BINDIR/}psql")
printf '#!/bin/sh\n"%s" "$@" && exec sleep 60\n' "$real" >slow_psql
chmod +x slow_psql
OPSDECK_PSQL=$TEST_DIR/slow_psql "$OPSDECK" -c opsdeck.conf restore "$key" --into rst_term_$$ \
	--yes >term.out 2>term.err &
pid=$!
for _ in $(seq 100); do
	[ "$(db_exists rst_term_$$)" = 1 ] && break
	sleep 0.1
done
sleep 1
kill -TERM "$pid"
wait "$pid" && rc=0 || rc=$?
assert_eq "$rc" 1 "SIGTERM: exit 1"
assert_contains "$(cat term.err)" "cancelled"
assert_eq "$(db_exists rst_term_$$)" 0 "SIGTERM leaves no database"
assert_eq "$(grep -c '"action":"restore-db".*"result":"cancelled"' audit.jsonl)" 1 "audited cancelled"

# ---- from S3
bk_config s3.conf "s3://$S3_BUCKET/restore-$$" "" "restore_url = $super_url"
assert_exit 0 "$OPSDECK" -c s3.conf backup db
s3key=$(sed -n 's|.*/restore-'"$$"'/\(shop_[^ :]*\.sql\.gz\).*|\1|p' <<<"$OUT" | head -1)
assert_match "$s3key" '^shop_.*\.sql\.gz$' "the S3 key"
drop_later rst_s3_$$
assert_exit 0 "$OPSDECK" -c s3.conf restore "$s3key" --into rst_s3_$$ --yes
assert_eq "$(checksum rst_s3_$$)" "$want" "restored from S3: the source's rows"
finish
