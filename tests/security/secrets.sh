#!/usr/bin/env bash
# No secret ever leaves opsdeck: with distinctive, long secrets (a database
# password that needs percent-encoding, Redis passwords, the S3 secret key
# and session token, a token in the health URL's query string, an unrelated
# secret in the app's .env), written in the config file or coming from the
# env file through ${VAR}, every verb and error path is run and its stdout
# and stderr, the audit log, the backup manifests and objects' metadata, the
# dashboard's screens and pg_dump's command line are searched for each
# secret, plain, percent-encoded and in base64 (assert_no_secrets).
if command -v tmux >/dev/null 2>&1; then
	. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
else
	. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
fi
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
require_cmd redis-cli git
stack_private pg,redis,app,s3,s3proxy

# ---------------------------------------------------------------- secrets
rand=$(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')
P_DB="pa ss/w:rd@%-SECRET1-$rand-database"
P_REDIS="SECRET2 re/dis:pw@%-$rand-redis"
P_S3="SECRET3/s3+secret=key-$rand"
P_SESSION="SECRET4+session/token-$rand-aws"
P_HEALTH="SECRET5health$rand"
P_JWT="SECRET6-jwt-$rand-unused-by-opsdeck"
P_WRONG_DB="wrong pa@ss/SECRET7-$rand"
P_WRONG_REDIS="wrong:redis@SECRET8-$rand"
P_WRONG_S3="SECRET9/wrong+s3-$rand"
P_BROKEN="SECRET10-in-a-broken-line-$rand"
secrets_add "$P_DB" "$P_REDIS" "$P_S3" "$P_SESSION" "$P_HEALTH" "$P_JWT" "$P_WRONG_DB" \
	"$P_WRONG_REDIS" "$P_WRONG_S3" "$P_BROKEN"

enc() { "$_LIB_PY" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }

# The stack's app role and Redis ACL user get the new passwords.
psql_super "ALTER ROLE app PASSWORD '$P_DB'" >/dev/null
REDISCLI_AUTH=$REDIS_PASSWORD redis-cli -h 127.0.0.1 -p "$REDIS_PORT" \
	ACL SETUSER app resetpass ">$P_REDIS" >/dev/null ||
	{
		fail "could not set the Redis password"
		finish
	}

DB_URL="postgresql://app:$(enc "$P_DB")@127.0.0.1:$PGPORT/shop?schema=public&connection_limit=5"
REDIS_URL_A="redis://app:$(enc "$P_REDIS")@127.0.0.1:$REDIS_PORT/0"
REDIS_URL_B="redis://:$REDIS_PASSWORD@127.0.0.1:$REDIS_PORT/0" # the plain form
HEALTH="$HEALTH_URL?token=$P_HEALTH"

src=$TEST_DIR/uploads
mkdir -p "$src/a" target app/public
echo "hello" >"$src/a/hello.txt"
cat >restart.sh <<'EOF'
#!/bin/sh
echo "restart: PGPASSWORD=${PGPASSWORD:-unset}"
echo "restart: AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-unset}"
echo "restart: AWS_SESSION_TOKEN=${AWS_SESSION_TOKEN:-unset}"
echo "restart: JWT_SECRET=${JWT_SECRET:-unset}"
EOF
chmod 755 restart.sh

# Config A: every secret written in the file, S3 credentials in the
# environment. Config B: the file holds none; they come from the app's .env
# through ${VAR}.
write_config a.conf <<EOF
[app]
name = shop
health_url = $HEALTH
version_url = $VERSION_URL
version_file = $APP_DIR/public/version.json
timeout = 3s
[database]
url = $DB_URL
[redis]
url = $REDIS_URL_A
[storage]
paths = /
[backup]
target = s3://$S3_BUCKET/secrets-a
s3_endpoint = $S3_ENDPOINT
files_source = $src
[recovery]
restart_command = $TEST_DIR/restart.sh
audit_log = $TEST_DIR/audit.jsonl
EOF
write_config app/.env <<EOF
NODE_ENV=production
DATABASE_URL="$DB_URL"
REDIS_URL=$REDIS_URL_B
HEALTH_URL=$HEALTH
AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID
AWS_SECRET_ACCESS_KEY=$P_S3
export AWS_SESSION_TOKEN='$P_SESSION'
JWT_SECRET=$P_JWT
EOF
cat >b.conf <<EOF
[app]
name = shop
env_file = $TEST_DIR/app/.env
health_url = \${HEALTH_URL}
version_url = $VERSION_URL
timeout = 3s
[database]
url = \${DATABASE_URL}
[redis]
url = \${REDIS_URL}
[backup]
target = s3://$S3_BUCKET/secrets-b
s3_endpoint = $S3_ENDPOINT
files_source = $src
[recovery]
restart_command = $TEST_DIR/restart.sh
audit_log = $TEST_DIR/audit.jsonl
EOF
chmod 644 b.conf # no secret in it: may stay readable

# The stack's own environment must not stand in for the configs, and its
# passwords stay out of the environment the programs opsdeck runs inherit.
unset DATABASE_URL REDIS_URL AWS_SESSION_TOKEN
export -n PGPASSWORD PG_SUPERUSER_PASSWORD REDIS_PASSWORD REDIS_APP_PASSWORD
export AWS_SECRET_ACCESS_KEY=$P_S3 AWS_SESSION_TOKEN=$P_SESSION
od_a() { "$OPSDECK" -c "$TEST_DIR/a.conf" "$@"; }
od_b() { env -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_ACCESS_KEY_ID \
	"$OPSDECK" -c "$TEST_DIR/b.conf" "$@"; }
mkdir -p outputs
stop_pid() { kill "$1" 2>/dev/null || true; }

# leak_check CODE LABEL CMD...: run CMD, expect exit CODE (- for any), and
# find no secret in its stdout and stderr (kept in outputs/ for the end).
leak_check() {
	local code=$1 label=$2
	shift 2
	run "$@"
	[ "$code" = - ] || assert_eq "$RC" "$code" "$label: exit status"
	printf '%s\n%s\n' "$OUT" "$ERR" >"outputs/${label//[^A-Za-z0-9_.-]/_}.txt"
	assert_no_secrets "$OUT$ERR" "$label"
}

# ---------------------------------------------------------------- every verb
for cfg in a b; do
	od=od_$cfg
	leak_check 0 "$cfg status" "$od" status
	leak_check 0 "$cfg status --json" "$od" status --json
	# the secrets really worked: every backend is healthy
	for check in database redis health; do
		assert_eq "$(json_get "$OUT" "checks.$check.state")" ok "$cfg: $check with its secret"
	done
	leak_check 0 "$cfg status --prometheus" "$od" status --prometheus
	leak_check - "$cfg check" "$od" check
	assert_match "$OUT" "^OPSDECK (OK|WARNING) " "$cfg check"
	leak_check - "$cfg diagnose" "$od" diagnose
	leak_check - "$cfg diagnose --json" "$od" diagnose --json
	leak_check 0 "$cfg backup db" "$od" backup db
	leak_check 0 "$cfg backup files" "$od" backup files
	leak_check 0 "$cfg backup list" "$od" backup list
	leak_check 0 "$cfg backup list --json" "$od" backup list --json
	key=$(json_get "$OUT" 'd["backups"][[b["kind"] for b in d["backups"]].index("db")]["key"]')
	leak_check 0 "$cfg backup verify" "$od" backup verify "$key"
	leak_check 0 "$cfg backup db file://" "$od" backup db --target "file://$TEST_DIR/target"
	leak_check 0 "$cfg recover --list" "$od" recover --list
	for action in clear-cache restart-app reconnect-db; do
		leak_check 0 "$cfg recover $action --dry-run" "$od" recover "$action" --dry-run
	done
	leak_check 0 "$cfg recover clear-cache" "$od" recover clear-cache --yes
	leak_check 0 "$cfg recover restart-app" "$od" recover restart-app --yes
	assert_contains "$OUT" "restart: JWT_SECRET=unset" "$cfg: the .env is not put in a child's environment"
	leak_check - "$cfg recover cancel-query" "$od" recover cancel-query --pid 1 --yes
	leak_check 0 "$cfg audit" "$od" audit
	leak_check 0 "$cfg audit --json" "$od" audit --json
done
assert_contains "$(cat outputs/b_recover_restart-app.txt)" "AWS_SESSION_TOKEN=unset" \
	"b: the .env's AWS credentials are not put in a child's environment"
# A's S3 credentials are in opsdeck's environment, so the child inherits them:
# its output shows them masked
assert_contains "$(cat outputs/a_recover_restart-app.txt)" "AWS_SECRET_ACCESS_KEY=***" \
	"a: an inherited secret in a child's output is masked"

printf '{"name":"shop","version":"1.0.0"}\n' >app/package.json
git -C app init -q . && git -C app -c user.name=t -c user.email=t@t commit -q --allow-empty -m init
leak_check 0 "version-file" od_a version-file --package app/package.json --out app/public/version.json
leak_check 0 "--help" od_a --help
leak_check 0 "--version" od_a --version
for verb in status check diagnose backup recover audit version-file; do
	leak_check - "$verb --help" od_a "$verb" --help
done

# ---------------------------------------------------------------- error paths
# conf NAME [SECTION KEY=VALUE]...: config A with some keys replaced.
conf() {
	local name=$1
	shift
	"$_LIB_PY" - "$TEST_DIR/a.conf" "$@" >"$name" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
for change in sys.argv[2:]:
    section, _, kv = change.partition(" ")
    key, _, value = kv.partition("=")
    current = None
    for i, line in enumerate(lines):
        if line.startswith("["):
            current = line.strip("[]")
        elif current == section and line.split("=")[0].strip() == key:
            lines[i] = "%s = %s" % (key, value)
print("\n".join(lines))
PY
	chmod 600 "$name"
}

# wrong passwords
conf wrong-db.conf "database url=postgresql://app:$(enc "$P_WRONG_DB")@127.0.0.1:$PGPORT/shop"
conf wrong-redis.conf "redis url=redis://app:$(enc "$P_WRONG_REDIS")@127.0.0.1:$REDIS_PORT/0"
conf wrong-s3.conf "backup s3_endpoint=$S3_PROXY_ENDPOINT"
for verb in status "status --json" check diagnose; do
	# shellcheck disable=SC2086
	leak_check - "wrong pg password: $verb" "$OPSDECK" -c wrong-db.conf $verb
	# shellcheck disable=SC2086
	leak_check - "wrong redis password: $verb" "$OPSDECK" -c wrong-redis.conf $verb
done
run "$OPSDECK" -c wrong-db.conf status
assert_contains "$OUT" "password authentication failed" "wrong pg password: the reason"
run "$OPSDECK" -c wrong-redis.conf status --json
assert_ne "$(json_get "$OUT" checks.redis.state)" ok "wrong redis password: redis state"
leak_check 1 "wrong pg password: backup db" "$OPSDECK" -c wrong-db.conf backup db
leak_check - "wrong pg password: reconnect-db" "$OPSDECK" -c wrong-db.conf recover reconnect-db --yes
leak_check - "wrong redis password: clear-cache" "$OPSDECK" -c wrong-redis.conf recover clear-cache --yes
AWS_SECRET_ACCESS_KEY=$P_WRONG_S3 leak_check 1 "wrong S3 secret: backup db" \
	"$OPSDECK" -c wrong-s3.conf backup db
AWS_SECRET_ACCESS_KEY=$P_WRONG_S3 leak_check 1 "wrong S3 secret: backup list" \
	"$OPSDECK" -c wrong-s3.conf backup list
assert_match "$OUT$ERR" "403|SignatureDoesNotMatch|signature" "wrong S3 secret: the reason"

# unreachable hosts, right secrets
conf down.conf "database url=postgresql://app:$(enc "$P_DB")@127.0.0.1:1/shop" \
	"redis url=redis://app:$(enc "$P_REDIS")@127.0.0.1:1/0" \
	"app health_url=http://127.0.0.1:1/api/health?token=$P_HEALTH" \
	"backup s3_endpoint=http://127.0.0.1:1"
for verb in status "status --json" "status --prometheus" check diagnose "diagnose --json" \
	"backup list" "backup db" "recover clear-cache --yes" "recover reconnect-db --yes"; do
	# shellcheck disable=SC2086
	leak_check - "unreachable: $verb" "$OPSDECK" -c down.conf $verb
done

# invalid URLs that hold the password
for url in "postgresql://app:$(enc "$P_BROKEN")@127.0.0.1:54x32/shop" \
	"postgresql://app:$(enc "$P_BROKEN")@127.0.0.1:$PGPORT/shop?frobnicate=1" \
	"postgresql://app:$P_BROKEN@[::1/shop" "mysql://app:$(enc "$P_BROKEN")@127.0.0.1/shop"; do
	conf bad-url.conf "database url=$url"
	leak_check 2 "invalid database URL" "$OPSDECK" -c bad-url.conf status
	assert_contains "$ERR" "bad-url.conf:" "invalid database URL: names the file"
	leak_check 3 "invalid database URL: check" "$OPSDECK" -c bad-url.conf check
done
for url in "redis://app:$(enc "$P_BROKEN")@127.0.0.1:99999/0" \
	"rediss://app:$(enc "$P_BROKEN")@127.0.0.1:0/0" "redis://app:$(enc "$P_BROKEN")@127.0.0.1/x"; do
	conf bad-url.conf "redis url=$url"
	leak_check 2 "invalid redis URL" "$OPSDECK" -c bad-url.conf status
done
# TLS to a server that speaks none: the failure holds no password
conf tls-plain.conf "redis url=rediss://app:$(enc "$P_REDIS")@127.0.0.1:$REDIS_PORT/0"
leak_check 0 "rediss:// to a plain Redis" "$OPSDECK" -c tls-plain.conf status --json
assert_eq "$(json_get "$OUT" checks.redis.state)" unhealthy "rediss:// to a plain Redis: unhealthy"
conf bad-url.conf "app health_url=htp://127.0.0.1:1/api/health?token=$P_BROKEN"
leak_check 2 "invalid health URL" "$OPSDECK" -c bad-url.conf status

# syntax errors on the line that holds the secret
line_url="postgresql://app:$(enc "$P_BROKEN")@127.0.0.1:$PGPORT/shop"
for broken in "url = \"$line_url" "uri = $line_url" "url $line_url" "url = $line_url"$'\x01'; do
	printf '[app]\nname = shop\n[database]\n%s\n' "$broken" | write_config syntax.conf
	leak_check 2 "syntax error on the secret's line" "$OPSDECK" -c syntax.conf status
	assert_contains "$ERR" "syntax.conf:4" "syntax error: names the line"
done
# a ${VAR:-default} holding the secret: used, or refused, it is never shown;
# another shell form is refused without quoting it
for default in "$line_url" "$P_BROKEN"; do
	printf '[database]\nurl = ${DATABASE_URL:-%s}\n' "$default" | write_config default.conf
	leak_check - "a \${VAR:-default} holding the secret" \
		env -u DATABASE_URL "$OPSDECK" -c default.conf status
	printf '[database]\nurl = ${DATABASE_URL:+%s}\n' "$default" | write_config default.conf
	leak_check 2 "a \${VAR:+word} holding the secret" "$OPSDECK" -c default.conf status
	assert_contains "$ERR" "only \${NAME} and \${NAME:-default}" "a \${VAR:+word}: the reason"
done
# the default is written in the file: others may not read it
printf '[database]\nurl = ${DATABASE_URL:-%s}\n' "$line_url" | write_config default.conf
chmod 644 default.conf
leak_check 2 "a readable file with the secret in a default" "$OPSDECK" -c default.conf status
assert_contains "$ERR" "holds a password (line 2)" "a default is written in the file"
printf '[database]\nurl = %s\nurl = %s\n' "$line_url" "$line_url" | write_config dup.conf
leak_check 2 "duplicate key holding the secret" "$OPSDECK" -c dup.conf status
printf 'url = %s\n' "$line_url" | write_config nosection.conf
leak_check 2 "the secret outside a section" "$OPSDECK" -c nosection.conf status
# and in the env file
printf 'DATABASE_URL="%s\nJWT_SECRET=%s\n' "$line_url" "$P_BROKEN" | write_config app/broken.env
printf '[app]\nenv_file = %s\n[database]\nurl = ${DATABASE_URL}\n' "$TEST_DIR/app/broken.env" >broken-env.conf
leak_check 2 "syntax error in the env file" "$OPSDECK" -c broken-env.conf status
printf 'SECRET_LINE %s\n' "$P_BROKEN" | write_config app/broken2.env
printf '[app]\nenv_file = %s\n' "$TEST_DIR/app/broken2.env" >broken-env2.conf
leak_check 2 "a line that is no assignment in the env file" "$OPSDECK" -c broken-env2.conf status
assert_contains "$ERR" "broken2.env:1" "env file error: names the line"

# a world-readable config, and env file, holding the secrets
cp a.conf readable.conf
chmod 644 readable.conf
leak_check 2 "world-readable config" "$OPSDECK" -c readable.conf status
leak_check 3 "world-readable config: check" "$OPSDECK" -c readable.conf check
chmod 644 app/.env
leak_check 2 "world-readable env file" od_b status
chmod 600 app/.env

# ---------------------------------------------------------------- pg_dump's command line
# A lock held on a table keeps the real pg_dump waiting until it is
# released, so its /proc entries can be read while the backup runs.
PGAPPNAME=opsdeck-test-lock PGPASSWORD=$PG_SUPERUSER_PASSWORD "${PG_BINDIR:+$PG_BINDIR/}psql" -X -q \
	-h 127.0.0.1 -p "$PGPORT" -U postgres -d shop \
	-c 'BEGIN; LOCK TABLE "RequestLog" IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(600); COMMIT;' \
	>/dev/null 2>&1 &
lock_pid=$!
on_exit stop_pid "$lock_pid"
# count_sessions WHERE: sessions of pg_stat_activity matching WHERE
count_sessions() { psql_super "SELECT count(*) FROM pg_stat_activity WHERE $1"; }
for _ in $(seq 1 200); do
	[ "$(count_sessions "application_name = 'opsdeck-test-lock' AND wait_event = 'PgSleep'")" -ge 1 ] && break
	sleep 0.1
done
# an environment of its own, so that what pg_dump inherits is only what
# opsdeck gives it
env -i PATH="$PATH" HOME="$HOME" LC_ALL=C TZ=UTC "$OPSDECK" -c "$TEST_DIR/b.conf" \
	backup db --target "file://$TEST_DIR/target" >outputs/locked.out 2>outputs/locked.err &
backup_pid=$!
on_exit stop_pid "$backup_pid"
waiting=no
for _ in $(seq 1 300); do
	if [ "$(count_sessions "application_name = 'opsdeck-backup' AND wait_event_type = 'Lock'")" -ge 1 ]; then
		waiting=yes
		break
	fi
	sleep 0.1
done
assert_eq "$waiting" yes "pg_dump waits on the lock"
dump_pid=$(pgrep -P "$backup_pid" -x pg_dump | head -n 1)
if [ -z "$dump_pid" ]; then
	fail "no pg_dump child seen while the backup ran"
else
	cmdline=$(tr '\0' ' ' <"/proc/$dump_pid/cmdline")
	environment=$(tr '\0' '\n' <"/proc/$dump_pid/environ")
	assert_contains "$cmdline" "--dbname" "pg_dump's command line"
	assert_contains "$cmdline" "port='$PGPORT'" "pg_dump's command line names the server"
	assert_no_secrets "$cmdline" "pg_dump's command line"
	assert_not_contains "$cmdline" "password=" "pg_dump's command line"
	# the password goes in the child's environment, and only that one
	assert_eq "$(printf '%s\n' "$environment" | grep -cxF "PGPASSWORD=$P_DB")" 1 \
		"pg_dump's environment holds the password as PGPASSWORD"
	assert_no_secrets "$(printf '%s\n' "$environment" | grep -v "^PGPASSWORD=")" \
		"pg_dump's environment besides PGPASSWORD"
fi
psql_super "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
	WHERE application_name = 'opsdeck-test-lock'" >/dev/null
rc=0
wait "$backup_pid" || rc=$?
assert_eq "$rc" 0 "the backup that waited on the lock"
assert_no_secrets "$(cat outputs/locked.out outputs/locked.err)" "the backup that waited"

# ---------------------------------------------------------------- the dashboard
if command -v tmux >/dev/null 2>&1; then
	app_mode health 500 # an issue to open the recovery dialog on
	screens=$TEST_DIR/screens.txt
	: >"$screens"
	shot() { # LABEL: wait for TEXT first when given
		[ -z "${2:-}" ] || assert_screen "$2" "${3:-10}"
		SCREEN=$(tui_screen)
		printf '=== %s\n%s\n' "$1" "$SCREEN" >>"$screens"
		assert_no_secrets "$SCREEN" "dashboard: $1"
	}
	TUI_ENV="AWS_SECRET_ACCESS_KEY=$P_S3 AWS_SESSION_TOKEN=$P_SESSION"
	tui_start 160 50 -c "$TEST_DIR/a.conf"
	shot "first frame" "> Health"
	shot "health failing" "The app's health check failed"
	for panel in Health Version Performance Issues "Slow queries" Activity; do
		for _ in 1 2 3 4 5 6; do
			tui_wait "> $panel" 1 && break
			tui_keys Tab
		done
		shot "$panel" "> $panel"
		tui_keys Enter
		sleep 0.3
		shot "$panel details"
		tui_keys Escape
	done
	tui_keys '?'
	shot "help" "this help"
	tui_keys Escape
	# the recovery dialog on the app_down issue, to its dry run
	for _ in 1 2 3 4 5 6; do
		tui_wait "> Issues" 1 && break
		tui_keys Tab
	done
	tui_keys r
	shot "recovery menu" "Recovery: choose an action"
	tui_keys Enter
	shot "recovery dry run" "would run"
	tui_keys Escape
	# the backup menu, a database backup to S3, the list
	tui_keys b
	shot "backup menu" "back up the database"
	tui_keys d
	shot "backup confirm" "Start? (y / Esc)"
	tui_keys y
	shot "backup done" "backup db: backed up shop" 30
	tui_keys Escape b l
	shot "backup list" "backup(s) at"
	tui_keys Escape
	tui_keys q
	shot "after quit" "EXIT=0"
	# and with every backend unreachable: the errors on the screen
	_tui_kill "$TUI_SOCKET"
	TUI_SOCKET="$TUI_SOCKET-down"
	tui_start 160 50 -c "$TEST_DIR/down.conf"
	shot "unreachable backends" "connection refused"
	tui_keys b l
	shot "unreachable S3: backup list" "after 5 attempts" 30
	tui_keys Escape q
	assert_gt "$(grep -c '^=== ' "$screens")" 15 "screens captured"
	# the screens searched are those of a working session
	assert_contains "$(cat "$screens")" "backed up shop to s3://$S3_BUCKET/secrets-a/" "the dashboard's backup"
	assert_contains "$(cat "$screens")" "would run (no shell" "the recovery dry run"
fi

# ---------------------------------------------------------------- what stays behind
assert_gt "$(grep -c . audit.jsonl)" 10 "audit records written"
assert_no_secrets "$(cat audit.jsonl)" "the audit log"
manifests=$(cat target/*.json)
assert_contains "$manifests" "sha256" "file:// manifests"
assert_no_secrets "$manifests" "the file:// manifests"
# s3rver keeps each object's metadata (and the manifests, as objects) under
# S3_DIR: every file but the backups' compressed data
meta=$(find "$S3_DIR" -type f ! -name '*.gz._S3rver_object' -print0 | xargs -0 cat)
assert_contains "$meta" "sha256" "S3 metadata and manifests"
assert_no_secrets "$meta" "S3 objects' metadata and manifests"
assert_no_secrets "$(cat outputs/*)" "every output, together"
finish
