#!/usr/bin/env bash
# With no configuration file, no .env and no DATABASE_URL/REDIS_URL, opsdeck
# still runs: the database and Redis show "not configured", not a failure.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"

export HOME=$PWD XDG_CONFIG_HOME=$PWD/xdg
unset DATABASE_URL REDIS_URL
json=$("$OPSDECK" status --json)
assert_eq "$(json_get "$json" checks.database.state)" "not configured" "database"
assert_contains "$(json_get "$json" checks.database.error)" "DATABASE_URL"
assert_eq "$(json_get "$json" checks.redis.state)" "not configured" "redis"
assert_eq "$(json_get "$json" checks.storage.state)" ok "storage of / checked"
assert_exit 0 "$OPSDECK" status

# ./.env is read when present, and its secrets are masked.
printf 'REDIS_URL=redis://:EnvSecret123@127.0.0.1:1/0\n' > .env
chmod 600 .env
json=$("$OPSDECK" status --json)
assert_eq "$(json_get "$json" checks.redis.state)" unhealthy "redis from ./.env probed"
assert_not_contains "$json" "EnvSecret123"

# The per-user file is found through XDG_CONFIG_HOME.
mkdir -p xdg/opsdeck
printf '[app]\nname = from-xdg\n' > xdg/opsdeck/opsdeck.conf
assert_eq "$(json_get "$("$OPSDECK" status --json)" app)" from-xdg "XDG config used"
finish
