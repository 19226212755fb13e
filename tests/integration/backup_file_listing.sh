#!/usr/bin/env bash
# The file:// backup listing: an object cut short (stored size not the
# manifest's) is DAMAGED and does not count as a fresh backup; a .partial
# file older than an hour is listed as unfinished and raises
# backup_unfinished; a modification time in the future gives an age of 0
# with "clock_skew": true, never a negative age.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg
mkdir -p target
bk_config c.conf "file://$TEST_DIR/target"
assert_exit 0 "$OPSDECK" -c c.conf backup db
OBJ=$(cd target && ls -- *.sql.gz)

# a modification time a day ahead of our clock
touch -d '+1 day' "target/$OBJ"
run "$OPSDECK" -c c.conf backup list --json
assert_eq "$RC" 0 "backup list --json exit status"
assert_json "$OUT"
assert_not_contains "$OUT" '"age_seconds": -' "a negative age"
assert_contains "$OUT" '"age_seconds": 0,' "the age of a future object"
assert_contains "$OUT" '"clock_skew": true' "a future object flagged"
run "$OPSDECK" -c c.conf backup list
assert_match "$OUT" "future +db .* complete +$OBJ" "the age column of a future object"
touch "target/$OBJ"
run "$OPSDECK" -c c.conf backup list --json
assert_contains "$OUT" '"clock_skew": false' "a present object not flagged"

# a .partial file left two hours ago by a killed run
printf 'half' >"target/shop_2020-01-01T00-00-00-000Z_deadbeef.sql.gz.partial"
touch -d '-2 hours' "target/shop_2020-01-01T00-00-00-000Z_deadbeef.sql.gz.partial"
run "$OPSDECK" -c c.conf backup list
assert_eq "$RC" 0 "backup list exit status with a .partial file"
assert_match "$OUT" "2h0[0-9]m +shop_2020-01-01T00-00-00-000Z_deadbeef\.sql\.gz\.partial" \
	"the .partial file listed as unfinished"
run "$OPSDECK" -c c.conf diagnose --json
assert_contains "$OUT" '"backup_unfinished"' "diagnose reports the old .partial file"
assert_not_contains "$OUT" '"backup_stale"' "the backup itself is fresh"
rm "target/shop_2020-01-01T00-00-00-000Z_deadbeef.sql.gz.partial"

# the object cut short, its manifest intact
SIZE=$(stat -c %s "target/$OBJ")
truncate -s 100 "target/$OBJ"
run "$OPSDECK" -c c.conf backup list
assert_eq "$RC" 0 "backup list exit status with a truncated object"
assert_match "$OUT" "db .* DAMAGED +$OBJ \(100 bytes stored, the manifest says $SIZE\)" \
	"the truncated object is damaged, with why"
run "$OPSDECK" -c c.conf backup list --json
assert_contains "$OUT" '"complete": false'
run "$OPSDECK" -c c.conf diagnose --json
assert_contains "$OUT" '"backup_stale"' "a truncated backup is not a fresh one"
assert_not_contains "$OUT" '"backup_unfinished"'
finish
