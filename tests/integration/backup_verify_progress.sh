#!/usr/bin/env bash
# backup verify on the command line: its progress follows the download (N
# of the stored size, the ETA from it), and a verify shorter than the log
# interval (5 s) prints its result alone, without a lone progress line.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg

# a dump that takes a second or two to verify: long runs of one byte
cat >fake_pg_dump <<'DUMP'
#!/bin/sh
if [ "$1" = --version ]; then echo "pg_dump (PostgreSQL) 15 (fake)"; exit 0; fi
head -c 150M /dev/zero | tr '\0' 'a'
head -c 8M /dev/urandom | base64
DUMP
chmod +x fake_pg_dump
export OPSDECK_PG_DUMP=$TEST_DIR/fake_pg_dump

mkdir -p target
bk_config opsdeck.conf "file://$TEST_DIR/target"
assert_exit 0 "$OPSDECK" -c opsdeck.conf backup db
obj=$(cd target && ls -- *.sql.gz)
assert_exit 0 "$OPSDECK" -c opsdeck.conf backup verify "$obj"
assert_contains "$OUT" "$obj: OK"
# what is on stderr is progress of the download, never "read ... stored"
bad=$(printf '%s\n' "$ERR" | grep -v '^$' | grep -v 'verifying: .* of .* downloaded' || true)
assert_eq "$bad" "" "verify: no progress line but the download's"
finish
