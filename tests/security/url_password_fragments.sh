#!/usr/bin/env bash
# Passwords holding unencoded '@', '/', ':', '?' and '#' in DATABASE_URL and
# REDIS_URL. The user information ends at the last '@' before the query
# string, so each password really logs in (the role and the ACL user are
# given it), and no piece of it appears in `check`, `status` or
# `status --json` (the JSON target included), nor in a DNS question: strace
# sees no socket call carrying a piece of the password and none to port 53
# (every host of the test is a numeric address, so opsdeck has nothing to
# look up). A URL that is ambiguous (an '@' in its query string) or that
# cannot be read is refused with an error quoting none of it, and nothing
# is looked up either.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
require_cmd redis-cli strace
stack_use pg,redis

rand=$(od -An -tx1 -N6 /dev/urandom | tr -d ' \n')
ROLE=urlfrag_$rand
RUSER=urlfrag_$rand
# The fragments that a wrong split would show as a host, a port or a path.
F_HOST=SECRETPART$rand
F_PORT=TOPSECRET$rand
F_QUERY=SECRETQ$rand
F_REDIS=SECRETX$rand
secrets_add "$F_HOST" "$F_PORT" "$F_QUERY" "$F_REDIS"
PASSWORDS=("hunter2@$F_HOST/xyz" "ab@cd:$F_PORT/x" "q?$F_QUERY#h@z:w/" "$F_HOST#:@?/")
REDIS_PW="ab@cd:$F_REDIS/y"
secrets_add "${PASSWORDS[@]}" "$REDIS_PW"

psql_super "CREATE ROLE $ROLE LOGIN IN ROLE app" >/dev/null
on_exit psql_super "DROP ROLE IF EXISTS $ROLE"
redis_admin() { REDISCLI_AUTH=$REDIS_PASSWORD redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }
redis_admin ACL SETUSER "$RUSER" on ">$REDIS_PW" '~*' '&*' '+@all' >/dev/null ||
	{
		fail "could not add the Redis user"
		finish
	}
on_exit redis_admin ACL DELUSER "$RUSER"

write_stack_config opsdeck.conf "[database]" 'url = ${DATABASE_URL}' "[redis]" 'url = ${REDIS_URL}'
RURL="redis://$RUSER:$REDIS_PW@127.0.0.1:$REDIS_PORT/0"

# Runs opsdeck under strace with the URLs given; sets OUT, ERR, RC and TRACE.
traced() { # DATABASE_URL REDIS_URL ARGS...
	local db=$1 redis=$2
	shift 2
	# LeakSanitizer cannot run under ptrace (a sanitizer build's run would end
	# in its fatal error): leaks are checked by every other run.
	run env DATABASE_URL="$db" REDIS_URL="$redis" \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -qq -s 1024 -o trace.txt \
		-e trace=connect,sendto,sendmsg,sendmmsg "$OPSDECK" -c opsdeck.conf "$@"
	TRACE=$(cat trace.txt)
}

# Checks one run: no fragment in the output or on any socket, no DNS.
no_leak() { # WHAT
	assert_no_secrets "$OUT$ERR" "$1: output"
	assert_not_contains "$OUT$ERR" "could not translate host name" "$1: no host from the password"
	assert_not_contains "$OUT$ERR" "could not resolve" "$1: no host from the password"
	assert_no_secrets "$TRACE" "$1: socket calls (strace)"
	assert_not_contains "$TRACE" "htons(53)" "$1: no DNS question"
}

for pw in "${PASSWORDS[@]}"; do
	psql_super "ALTER ROLE $ROLE PASSWORD '$pw'" >/dev/null
	url="postgresql://$ROLE:$pw@127.0.0.1:$PGPORT/shop?schema=public&connection_limit=5"
	traced "$url" "$REDIS_URL" status --json
	no_leak "status --json"
	assert_json "$OUT" "status --json"
	assert_eq "$(json_get "$OUT" checks.database.state)" ok "the database password works"
	assert_eq "$(json_get "$OUT" checks.database.target)" \
		"postgresql://$ROLE:***@127.0.0.1:$PGPORT/shop?schema=public&connection_limit=5" \
		"the database target"
	traced "$url" "$REDIS_URL" status
	no_leak "status"
	assert_contains "$OUT" "postgresql://$ROLE:***@127.0.0.1:$PGPORT/shop" "status: the target"
	traced "$url" "$REDIS_URL" check
	no_leak "check"
	assert_match "$OUT" "^OPSDECK (OK|WARNING) " "check"
done
traced "$DATABASE_URL" "$RURL" status --json
no_leak "Redis: status --json"
assert_eq "$(json_get "$OUT" checks.redis.state)" ok "the Redis password works"
assert_eq "$(json_get "$OUT" checks.redis.target)" "redis://$RUSER:***@127.0.0.1:$REDIS_PORT/0" \
	"the Redis target"
traced "$DATABASE_URL" "$RURL" status
no_leak "Redis: status"
traced "$DATABASE_URL" "$RURL" check
no_leak "Redis: check"
assert_match "$OUT" "^OPSDECK (OK|WARNING) " "Redis: check"

# Refused: an '@' in the query string, a password in the port's place, a
# password with '@' and no host after it. Exit 3 from check (its
# configuration is broken), 2 from status.
for url in "postgresql://$ROLE:pw@$F_HOST/shop?application_name=x@127.0.0.1" \
	"postgresql://$ROLE:$F_PORT" "postgresql://$ROLE:ab@cd:$F_PORT/x" \
	"postgresql://$ROLE:q?sslmode=$F_QUERY@127.0.0.1/shop"; do
	for verb in check status "status --json"; do
		# shellcheck disable=SC2086
		traced "$url" "$REDIS_URL" $verb
		no_leak "refused database URL: $verb"
		assert_eq "$RC" "$([ "$verb" = check ] && echo 3 || echo 2)" "refused: $verb exit status"
	done
done
for url in "redis://:ab@cd:$F_REDIS" "redis://:pw@$F_HOST?db=0@127.0.0.1" \
	"redis://$F_REDIS:$F_PORT/0"; do
	traced "$DATABASE_URL" "$url" check
	no_leak "refused Redis URL"
	assert_eq "$RC" 3 "refused Redis URL: check exit status"
done

finish
