#!/usr/bin/env bash
# A DATABASE_URL exactly as Prisma writes it connects: Prisma's own parameters
# (which libpq rejects) are stripped, `schema` becomes the search path.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
# Private: the password change below must not disturb other tests.
stack_private pg
: > empty.conf
chmod 600 empty.conf

base="postgresql://app:$PGPASSWORD@127.0.0.1:$PGPORT/shop"
for query in "schema=public&connection_limit=5&pool_timeout=10" \
	"schema=public&pgbouncer=true&statement_cache_size=0&socket_timeout=5" \
	"connection_limit=1&sslmode=disable&sslaccept=accept_invalid_certs"; do
	printf 'DATABASE_URL=%s?%s\n' "$base" "$query" > .env
	chmod 600 .env
	json=$(env -u DATABASE_URL "$OPSDECK" -c empty.conf status --json)
	assert_eq "$(json_get "$json" checks.database.state)" ok "connects with ?$query"
	assert_no_secrets "$json"
done

# A password with reserved characters, percent-encoded as Prisma requires.
psql_super "ALTER ROLE app PASSWORD 'p@ss:w/rd%1'"
printf 'DATABASE_URL=postgresql://app:p%%40ss%%3Aw%%2Frd%%251@127.0.0.1:%s/shop?schema=public\n' \
	"$PGPORT" > .env
json=$(env -u DATABASE_URL "$OPSDECK" -c empty.conf status --json)
psql_super "ALTER ROLE app PASSWORD '$PGPASSWORD'"
assert_eq "$(json_get "$json" checks.database.state)" ok "percent-encoded password"
assert_not_contains "$json" "p@ss:w/rd"
finish
