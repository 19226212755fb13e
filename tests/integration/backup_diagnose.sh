#!/usr/bin/env bash
# diagnose reports "no complete database backup" for an empty target, and
# nothing about backups once a backup was taken; an unreadable target is
# named. (The 24 h age rule itself is unit-tested: test_backup_stale.)
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg
mkdir -p target
bk_config c.conf "file://$TEST_DIR/target"
run "$OPSDECK" -c c.conf diagnose --json
assert_json "$OUT"
assert_contains "$OUT" '"backup_stale"' "diagnosis of an empty target"
assert_contains "$OUT" "No complete database backup at file://$TEST_DIR/target"
assert_exit 0 "$OPSDECK" -c c.conf backup db
run "$OPSDECK" -c c.conf diagnose --json
assert_not_contains "$OUT" '"backup_stale"' "diagnosis after a backup"
# a backup without its manifest does not count
rm -f target/*.json
run "$OPSDECK" -c c.conf diagnose --json
assert_contains "$OUT" '"backup_stale"' "diagnosis when the manifest is missing"
bk_config gone.conf "file://$TEST_DIR/no-such-dir"
run "$OPSDECK" -c gone.conf diagnose
assert_contains "$OUT$ERR" "cannot be listed"
finish
