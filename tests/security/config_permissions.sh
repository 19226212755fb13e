#!/usr/bin/env bash
# The config-permission rule (opsdeck.conf(5), SECRETS): a configuration
# file or env file that holds a secret and that group or others can read is
# refused with one line naming the file, the line and `chmod 600 FILE`, with
# each verb's documented exit status (check: UNKNOWN, 3; the dashboard too); the same file at
# 0600 is accepted, and so is a file without secrets at 0644. Covers what
# tests/integration/config_errors.sh does not: each verb, group-only and
# other-only bits, Redis and token secrets, ${VAR} references, symlinks, the
# env file (named or ./.env) and the per-user config file.
if command -v tmux >/dev/null 2>&1; then
	. "$OPSDECK_SRCDIR/tests/tui/lib.sh" # the dashboard needs a terminal
else
	. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
fi

# No backend is needed: nothing listens on port 1, and probes fail fast.
base() {
	printf '[app]\nhealth_url =\nversion_url =\ntimeout = 1s\n'
	printf '[storage]\npaths = /\n'
	printf '[recovery]\naudit_log = %s/audit.jsonl\n' "$TEST_DIR"
	printf '[backup]\ntarget = file://%s/target\n' "$TEST_DIR"
}
mkdir -p target

# refused FILE MODE [WHAT]: FILE at MODE is refused by status with exit 2
# and one line naming FILE and telling to chmod 600 it; no secret shown.
refused() {
	local file=$1 mode=$2 what=${3:-$1 at $2}
	chmod "$mode" "$file"
	assert_exit 2 "$OPSDECK" -c "$file" status
	assert_eq "$OUT" "" "$what: nothing on stdout"
	assert_eq "$(printf '%s\n' "$ERR" | wc -l)" 1 "$what: one line"
	assert_contains "$ERR" "readable by group or others" "$what"
	assert_contains "$ERR" "chmod 600 ${4:-$file}" "$what"
	assert_not_contains "$ERR" "Sekr1t" "$what"
}

# accepted FILE MODE [WHAT]
accepted() {
	chmod "$2" "$1"
	assert_exit 0 "$OPSDECK" -c "$1" status
	assert_not_contains "$ERR" "readable by group or others" "${3:-$1 at $2}"
}

# ---- a literal database password: every verb refuses, with its exit status
{
	base
	printf '[database]\nurl = postgresql://app:Sekr1t-db-7@127.0.0.1:1/shop\n'
} >db.conf
chmod 640 db.conf
line=$(grep -n 'Sekr1t' db.conf | cut -d: -f1)
for verb in status "status --json" "status --prometheus" diagnose "diagnose --json" \
	"backup db" "backup files" "backup list" "backup verify KEY" "recover --list" \
	"recover clear-cache --dry-run" "recover restart-app --yes" audit "audit --json" \
	"exporter --listen 127.0.0.1:0"; do
	# check and diagnose say a configuration error as UNKNOWN (3), the
	# monitoring-plugins way; every other verb as a usage error (2)
	expect=2
	case $verb in diagnose*) expect=3 ;; esac
	# shellcheck disable=SC2086
	assert_exit "$expect" "$OPSDECK" -c db.conf $verb
	assert_contains "$ERR" "db.conf: holds a password (line $line)" "$verb"
	assert_contains "$ERR" "chmod 600 db.conf" "$verb"
	assert_not_contains "$OUT$ERR" "Sekr1t" "$verb"
done
# check: UNKNOWN (3), one line on stdout in the plugin format
assert_exit 3 "$OPSDECK" -c db.conf check
assert_match "$OUT" "^OPSDECK UNKNOWN - .*db\.conf.*chmod 600 db\.conf" "check's line"
assert_eq "$(printf '%s\n' "$OUT" | wc -l)" 1 "check prints one line"
assert_not_contains "$OUT$ERR" "Sekr1t" "check"
# the dashboard, on a terminal, refuses it the same way
if command -v tmux >/dev/null 2>&1; then
	tui_start 120 20 -c db.conf
	assert_screen "EXIT=2"
	assert_contains "$SCREEN" "db.conf: holds a password (line $line)" "the dashboard"
	assert_contains "$SCREEN" "chmod 600 db.conf" "the dashboard"
	assert_not_contains "$SCREEN" "Sekr1t" "the dashboard"
	_tui_kill "$TUI_SOCKET"
fi
# nothing ran: no audit record of the refused actions
assert_eq "$(cat audit.jsonl 2>/dev/null)" "" "no audit record from a refused config"

# group-only and others-only bits each count; owner-only modes do not
refused db.conf 640
refused db.conf 604
refused db.conf 444
accepted db.conf 600
accepted db.conf 400
run "$OPSDECK" -c db.conf check
assert_ne "$RC" 3 "check at 0600: not UNKNOWN"
assert_match "$OUT" "^OPSDECK (OK|WARNING|CRITICAL) - " "check at 0600"
assert_not_contains "$OUT$ERR" "Sekr1t" "check at 0600"

# ---- Redis passwords, both URL forms
{
	base
	printf '[redis]\nurl = redis://app:Sekr1t-redis-1@127.0.0.1:1/0\n'
} >redis.conf
refused redis.conf 644
accepted redis.conf 600
{
	base
	printf '[redis]\nurl = redis://Sekr1t-redis-2@127.0.0.1:1/0\n'
} >redis2.conf
refused redis2.conf 644 "redis://PASSWORD@host"
{
	base
	printf '[redis]\nurl = redis://127.0.0.1:1/0?password=Sekr1t-redis-3\n'
} >redis3.conf
refused redis3.conf 644 "redis ?password="

# ---- a token in the health URL's query string is a secret too
{
	printf '[app]\nhealth_url = http://127.0.0.1:1/api/health?token=Sekr1t-token-4\n'
	printf 'version_url =\ntimeout = 1s\n[recovery]\naudit_log = %s/audit.jsonl\n' "$TEST_DIR"
} >token.conf
refused token.conf 644 "health_url ?token="
accepted token.conf 600 "health_url ?token= at 0600"
assert_not_contains "$OUT$ERR" "Sekr1t" "status with a health token"

# ---- a password from a variable is not in the file: 0644 is fine
{
	base
	printf '[database]\nurl = postgresql://app:${DB_PASSWORD}@127.0.0.1:1/shop\n'
} >var.conf
DB_PASSWORD=Sekr1t-var-5 accepted var.conf 644 '${DB_PASSWORD} reference at 0644'
assert_not_contains "$OUT$ERR" "Sekr1t" '${DB_PASSWORD} expanded'
# ... but $${ is a literal "${": that password is written in the file
{
	base
	printf '[database]\nurl = postgresql://app:$${Sekr1t}@127.0.0.1:1/shop\n'
} >literal.conf
refused literal.conf 644 '$${...} literal password'

# ---- a file without secrets is fine at 0644
base >plain.conf
accepted plain.conf 644 "no secret at 0644"
run "$OPSDECK" -c plain.conf check
assert_ne "$RC" 3 "check of a config without secrets: not UNKNOWN"
assert_not_contains "$OUT" "readable" "check of a config without secrets"

# ---- symlinks: the mode of the file read counts, not the link's
{
	base
	printf '[database]\nurl = postgresql://app:Sekr1t-link-6@127.0.0.1:1/shop\n'
} >real.conf
ln -s real.conf link.conf
ln -s "$PWD/link.conf" link2.conf
assert_match "$(stat -c %A link.conf)" "^lrwx" "the link itself is world-readable"
chmod 644 real.conf
refused link.conf 644 "a symlink to a 0644 secret file" "link.conf"
refused link2.conf 644 "a symlink to a symlink" "link2.conf"
chmod 600 real.conf
assert_exit 0 "$OPSDECK" -c link.conf status
assert_exit 0 "$OPSDECK" -c link2.conf status

# ---- the per-user file follows the same rule
mkdir -p "$XDG_CONFIG_HOME/opsdeck"
cp real.conf "$XDG_CONFIG_HOME/opsdeck/opsdeck.conf"
chmod 644 "$XDG_CONFIG_HOME/opsdeck/opsdeck.conf"
assert_exit 2 "$OPSDECK" status
assert_contains "$ERR" "chmod 600 $XDG_CONFIG_HOME/opsdeck/opsdeck.conf" "the per-user file"
assert_not_contains "$ERR" "Sekr1t" "the per-user file"
assert_exit 3 "$OPSDECK" check
chmod 600 "$XDG_CONFIG_HOME/opsdeck/opsdeck.conf"
assert_exit 0 "$OPSDECK" status
rm "$XDG_CONFIG_HOME/opsdeck/opsdeck.conf"

# ---- the env file: secrets by name or URL, readable by others refused
mkdir app
env_case() { # NAME CONTENT MODE EXPECT(refused|accepted)
	printf '%b' "$2" >"app/$1.env"
	chmod "$3" "app/$1.env"
	{
		printf '[app]\nenv_file = %s\nhealth_url =\nversion_url =\ntimeout = 1s\n' "$PWD/app/$1.env"
		printf '[database]\nurl = ${DATABASE_URL:-}\n[recovery]\naudit_log = %s/audit.jsonl\n' "$TEST_DIR"
	} >"env-$1.conf"
	chmod 644 "env-$1.conf"
	run "$OPSDECK" -c "env-$1.conf" status
	if [ "$4" = refused ]; then
		assert_eq "$RC" 2 "env file $1 at $3: refused"
		assert_contains "$ERR" "$PWD/app/$1.env: holds a secret (line" "env file $1"
		assert_contains "$ERR" "chmod 600 $PWD/app/$1.env" "env file $1"
	else
		assert_eq "$RC" 0 "env file $1 at $3: accepted"
	fi
	assert_not_contains "$OUT$ERR" "Sekr1t" "env file $1"
}
env_case dburl 'NODE_ENV=production\nDATABASE_URL=postgresql://app:Sekr1t-env-7@127.0.0.1:1/shop\n' 644 refused
env_case dburl600 'DATABASE_URL=postgresql://app:Sekr1t-env-7@127.0.0.1:1/shop\n' 600 accepted
env_case aws 'AWS_ACCESS_KEY_ID=AKIAEXAMPLE\nAWS_SECRET_ACCESS_KEY=Sekr1t-aws-8\n' 640 refused
env_case session 'export AWS_SESSION_TOKEN="Sekr1t-session-9"\n' 604 refused
env_case redis 'REDIS_URL=redis://:Sekr1t-env-10@127.0.0.1:1/0\n' 644 refused
env_case password 'SMTP_PASSWORD=Sekr1t-smtp-11\n' 644 refused
env_case apikey "STRIPE_API_KEY='Sekr1t-stripe-12'\n" 644 refused
env_case multiline 'NOTE="first\nline"\nJWT_SECRET="Sekr1t\nmulti-13"\n' 644 refused
env_case webhook 'WEBHOOK_URL=https://127.0.0.1:1/hook?token=Sekr1t-hook-15\n' 644 refused
env_case plain 'NODE_ENV=production\nPORT=3000\nDATABASE_URL=postgresql://app@127.0.0.1:1/shop\n' 644 accepted
env_case empty 'AWS_SECRET_ACCESS_KEY=\nAPI_TOKEN=\n' 644 accepted

# a symlinked env file: the target's mode counts
ln -s "$PWD/app/aws.env" app/link.env
chmod 644 app/aws.env
printf '[app]\nenv_file = %s/app/link.env\nhealth_url =\nversion_url =\n' "$PWD" >envlink.conf
chmod 644 envlink.conf
assert_exit 2 "$OPSDECK" -c envlink.conf status
assert_contains "$ERR" "app/link.env: holds a secret" "a symlinked env file"
chmod 600 app/aws.env
assert_exit 0 "$OPSDECK" -c envlink.conf status

# ./.env, read without an env_file key, and not read with `env_file =`
printf 'DATABASE_URL=postgresql://app:Sekr1t-dotenv-14@127.0.0.1:1/shop\n' >.env
chmod 644 .env
assert_exit 2 "$OPSDECK" status
assert_contains "$ERR" ".env: holds a secret (line 1)" "./.env without a config"
assert_contains "$ERR" "chmod 600 ./.env" "./.env without a config"
assert_not_contains "$OUT$ERR" "Sekr1t" "./.env without a config"
assert_exit 3 "$OPSDECK" check
assert_contains "$OUT" "OPSDECK UNKNOWN" "check with a readable ./.env"
base >noenv.conf
sed -i 's/^\[app\]$/[app]\nenv_file =/' noenv.conf
chmod 644 noenv.conf
assert_exit 0 "$OPSDECK" -c noenv.conf status
chmod 600 .env
assert_exit 0 "$OPSDECK" status
assert_not_contains "$OUT$ERR" "Sekr1t" "./.env at 0600"
finish
