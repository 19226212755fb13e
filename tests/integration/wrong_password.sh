#!/usr/bin/env bash
# A wrong password makes the database unhealthy with a reason that names the
# problem and never shows the password.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
stack_use pg

wrong="WrongPassword$RANDOM$RANDOM"
write_config opsdeck.conf <<EOF
[app]
health_url =
version_url =
version_file =
[database]
url = postgresql://app:$wrong@127.0.0.1:$PGPORT/shop?schema=public
[redis]
url =
EOF
json=$("$OPSDECK" -c opsdeck.conf status --json)
assert_eq "$(json_get "$json" checks.database.state)" unhealthy "database unhealthy"
assert_contains "$(json_get "$json" checks.database.error)" "password authentication failed"
assert_contains "$(json_get "$json" checks.database.target)" "app:***@"
out=$("$OPSDECK" -c opsdeck.conf status 2>&1; "$OPSDECK" -c opsdeck.conf check 2>&1;
	"$OPSDECK" -c opsdeck.conf status --prometheus 2>&1)
assert_not_contains "$json$out" "$wrong"
assert_exit 2 "$OPSDECK" -c opsdeck.conf check
finish
