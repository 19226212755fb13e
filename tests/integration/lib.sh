# shellcheck shell=bash
# tests/integration/lib.sh - helpers for the integration tests; source it.
#
# `make check` runs each tests/integration/*.sh with OPSDECK (the built
# program), OPSDECK_SRCDIR (the source tree) and PYTHON3 in the environment;
# scripts/test also exports OPSDECK_STACK, the directory of a stack shared by
# all tests of the run. Automake reads the exit status: 0 pass, 1 fail, 77 skip.
#
# Sourcing this file moves the test into a fresh, empty temp directory (so no
# ./.env or ./public of the caller leaks in) with an empty XDG_CONFIG_HOME,
# both removed when the test exits (OPSDECK_KEEP_TMP=1 keeps them).
#
# A test looks like:
#
#   #!/usr/bin/env bash
#   . "$OPSDECK_SRCDIR/tests/integration/lib.sh"
#   stack_use pg,redis,app          # the shared stack, or a private one
#   write_stack_config opsdeck.conf "timeout = 2s"
#   assert_exit 0 "$OPSDECK" -c opsdeck.conf status --json
#   assert_eq "$(json_get "$OUT" checks.database.state)" ok "database ok"
#   finish
#
# Stacks (tests/stack/stack; the variables are those of its stack.env:
# DATABASE_URL, PGPORT, PGPASSWORD, REDIS_URL, REDIS_PID, HEALTH_URL, APP_DIR,
# S3_ENDPOINT, S3_BUCKET, AWS_*, ...)
#   stack_use [SERVICES]      use the shared stack ($OPSDECK_STACK) when it has
#                             those services, else start a private one; source
#                             its stack.env
#   stack_private [SERVICES]  always start a private stack: for tests that stop,
#                             restart, freeze or flip a backend, so that they
#                             never disturb the shared one under make -j2 check
#   stack_stop SERVICE...     stop services of the private stack
#   stack_restart SERVICE...  start them again, same ports and passwords
#   app_mode health|version|slow_seconds VALUE   flip the sample app (private)
#   psql_super SQL            run SQL as the PostgreSQL superuser (database shop)
#   psql_app SQL              run SQL as the app's role; prints rows unaligned
#   pg_session NAME USER PASSWORD SQL
#                             a psql of USER named NAME (application_name) in
#                             the background: runs SQL (printf %b, so \n
#                             splits lines) and stays connected until the test
#                             ends (a lock holder, an idle transaction)
#   pg_session_pid NAME STATE the pid of session NAME once it is in STATE
#                             ("active", "idle in transaction", or "Lock":
#                             waiting on a lock); fails after 10 s
#   s3 ls|get|put|rm|head ... the stack's bucket through botocore
#   http_fixture MODE [DIR]   a small HTTP endpoint on loopback (DIR default
#                             .), stopped at exit; sets FIXTURE_PORT and
#                             FIXTURE_PID. MODE:
#                             hold (never answers), record (logs each request
#                             to DIR/requests.log: /down answers 500, /gone
#                             404, /fail-N/ 500 N times), app (DIR/version.json at
#                             /api/version, health 200 or DIR/health_status);
#                             see tests/integration/http_fixture.py
#   Private stacks are stopped when the test exits. Register more clean-up
#   with on_exit CMD...; do not set an EXIT trap of your own.
#   SERVICES: comma list of pg,redis,app,s3 (default: all four), plus s3proxy
#   and pgreplica (a streaming replica of pg: PG_REPLICA_URL, PGREPLICA_PORT)
#   and pgbouncer (PgBouncer in front of pg: PGBOUNCER_URL, PGBOUNCER_ADMIN_URL,
#   PGBOUNCER_PORT, PGBOUNCER_ADMIN_PASSWORD)
#
# Configuration files
#   write_config FILE <<EOF   write stdin to FILE with mode 0600
#   write_stack_config FILE [LINE]...
#                             an opsdeck.conf (0600) for the stack in use:
#                             [app] health/version URLs and version_file,
#                             [database] and [redis] url, [storage] paths = /;
#                             a backend the stack lacks is set empty ("not
#                             configured"). Each LINE is `key = value` for
#                             [app], or `[section]` to switch section; it adds
#                             or replaces a key, e.g.
#                             write_stack_config c.conf "timeout = 1s" \
#                                 "[storage]" "max_used_percent = 0.001"
#   stack_config [LINE]...    the same, on stdout
#   write_recovery_config FILE [LINE]...
#                             an opsdeck.conf (0600) with no backend configured,
#                             ending in a [recovery] section holding the LINEs
#                             (restart_command = ..., audit_log = ...)
#
# Running and asserting (an assertion never exits the test: it prints and
# counts; finish decides)
#   run CMD...                run CMD; sets RC, OUT (stdout), ERR (stderr)
#   assert_exit CODE CMD...   run CMD (as run does) and check its exit status
#   assert_eq ACTUAL EXPECTED [WHAT]
#   assert_ne ACTUAL UNEXPECTED [WHAT]
#   assert_contains TEXT NEEDLE [WHAT]
#   assert_not_contains TEXT NEEDLE [WHAT]
#   assert_match TEXT REGEX [WHAT]            (bash =~, extended regex)
#   assert_lt / assert_le / assert_ge / assert_gt NUMBER LIMIT [WHAT]  (integers)
#   assert_json TEXT [WHAT]                   TEXT parses as JSON
#   assert_prometheus TEXT [WHAT]             TEXT passes prometheus_check.py and promtool check metrics
#   assert_no_secrets TEXT [WHAT]             none of the stack's passwords or
#                                             keys, nor a secret added with
#                                             secrets_add, appears in TEXT,
#                                             plain, percent-encoded or in
#                                             base64
#   secrets_add SECRET...     more secrets for assert_no_secrets to look for
#   json_get TEXT PATH        print the value at a dotted PATH of the JSON TEXT
#                             (checks.database.state, paths.0.path): strings
#                             bare, others as JSON; nothing and status 1 when
#                             absent. A PATH starting with d[ is evaluated as
#                             Python with d the parsed document.
#   flip_byte FILE OFFSET     invert every bit of the byte at OFFSET: a change
#                             for certain (writing a fixed byte is no change
#                             once in 256 runs)
#   elapsed_ms CMD...         run CMD as run does; set ELAPSED_MS and print it
#                             (ms=$(elapsed_ms ...) works, but loses OUT/RC)
#   pass MSG / fail MSG       count a check by hand
#   skip REASON               exit 77 (automake: skipped)
#   require_cmd NAME...       skip the test if a program is missing
#   built_with_asan           0 when $OPSDECK has AddressSanitizer in it (its
#                             memory figures then mean nothing: freed memory
#                             sits in ASan's quarantine)
#   finish                    print the tally; exit 0 if nothing failed, else 1

# ---------------------------------------------------------------- set-up

LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OPSDECK_SRCDIR=${OPSDECK_SRCDIR:-$(cd "$LIB_DIR/../.." && pwd)}
OPSDECK=${OPSDECK:-$PWD/opsdeck}
PYTHON3=${PYTHON3:-python3}
# The helpers below need only the standard library: Debian's python3 starts
# ten times faster than a pyenv shim.
_LIB_PY=$PYTHON3
[ ! -x /usr/bin/python3 ] || _LIB_PY=/usr/bin/python3
STACK=$OPSDECK_SRCDIR/tests/stack/stack
PROMETHEUS_CHECK=$OPSDECK_SRCDIR/tests/stack/prometheus_check.py
TEST_NAME=$(basename "${BASH_SOURCE[1]:-$0}" .sh)
export OPSDECK OPSDECK_SRCDIR PYTHON3

# Requests to the stack never go through a proxy.
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"
export no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"
# Predictable output, and no configuration of the person running the tests.
export LC_ALL=C TZ=UTC
unset OPSDECK_CONFIG

_LIB_CLEANUP=()
_LIB_TMPDIRS=()
_LIB_PRIVATE_STACK=""
_LIB_PASSED=0
_LIB_FAILED=0
RC=0
OUT=""
ERR=""
ELAPSED_MS=0

_lib_on_exit() {
	local rc=$? i
	for ((i = ${#_LIB_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${_LIB_CLEANUP[$i]}" || true
	done
	if [ -n "$_LIB_PRIVATE_STACK" ]; then
		"$STACK" stop "$_LIB_PRIVATE_STACK" >&2 || true
	fi
	if [ "${OPSDECK_KEEP_TMP:-0}" = 1 ]; then
		echo "# kept: ${_LIB_TMPDIRS[*]}" >&2
	else
		cd / && for i in "${_LIB_TMPDIRS[@]}"; do rm -rf -- "$i"; done
	fi
	exit "$rc"
}
trap _lib_on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# on_exit CMD...: run CMD (quoted as given) when the test exits, before the
# private stack stops; the last registered runs first.
on_exit() {
	local quoted
	printf -v quoted '%q ' "$@"
	_LIB_CLEANUP+=("$quoted")
}

# Makes a temp dir, registered for removal at exit, in _LIB_MKTEMP (not
# printed: a command substitution would lose the registration).
_lib_mktemp() {
	_LIB_MKTEMP=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-$TEST_NAME-$1.XXXXXX")
	_LIB_TMPDIRS+=("$_LIB_MKTEMP")
}

# A fresh, empty working directory per test, so no ./.env or ./public of the
# caller leaks in, and an empty XDG config home so ~/.config/opsdeck neither.
# The default audit log and state go to the test's own directories, as under
# a unit's LogsDirectory= and StateDirectory=, never to the machine's
# /var/log/opsdeck (root) or ~/.local/state/opsdeck.
_lib_mktemp test
TEST_DIR=$_LIB_MKTEMP/work
mkdir -p "$TEST_DIR" "$_LIB_MKTEMP/xdg"
mkdir -m 0700 "$_LIB_MKTEMP/logs" "$_LIB_MKTEMP/state"
export XDG_CONFIG_HOME=$_LIB_MKTEMP/xdg
export LOGS_DIRECTORY=$_LIB_MKTEMP/logs STATE_DIRECTORY=$_LIB_MKTEMP/state
cd "$TEST_DIR" || exit 1

_lib_source_env() {
	[ -f "$1/stack.env" ] || {
		echo "lib.sh: $1/stack.env is missing" >&2
		exit 1
	}
	# shellcheck disable=SC1091
	. "$1/stack.env"
}

# stack_private [SERVICES]
stack_private() {
	local services=${1:-pg,redis,app,s3} dir
	if [ -n "$_LIB_PRIVATE_STACK" ]; then
		echo "lib.sh: a private stack is already running in $_LIB_PRIVATE_STACK" >&2
		exit 1
	fi
	_lib_mktemp stack
	dir=$_LIB_MKTEMP
	_LIB_PRIVATE_STACK=$dir
	if ! "$STACK" start "$dir" "$services" >&2; then
		echo "lib.sh: could not start a private stack ($services); see above" >&2
		exit 1
	fi
	_lib_source_env "$dir"
}

# stack_use [SERVICES]
stack_use() {
	local services=${1:-pg,redis,app,s3} shared=${OPSDECK_STACK:-} s have
	if [ -n "$shared" ] && [ -f "$shared/stack.env" ]; then
		have=$(sed -n "s/^export STACK_SERVICES='\(.*\)'$/\1/p" "$shared/stack.env")
		for s in ${services//,/ }; do
			case ",$have," in
			*",$s,"*) ;;
			*)
				echo "lib.sh: the shared stack has no $s; starting a private one" >&2
				stack_private "$services"
				return
				;;
			esac
		done
		_lib_source_env "$shared"
		return
	fi
	stack_private "$services"
}

_lib_require_private() {
	if [ -z "$_LIB_PRIVATE_STACK" ]; then
		echo "lib.sh: $1 needs a private stack (call stack_private, not stack_use)" >&2
		exit 1
	fi
}

stack_stop() {
	_lib_require_private stack_stop
	local IFS=,
	"$STACK" stop "$_LIB_PRIVATE_STACK" "$*" >&2
}

stack_restart() {
	_lib_require_private stack_restart
	local IFS=,
	"$STACK" restart "$_LIB_PRIVATE_STACK" "$*" >&2
	_lib_source_env "$_LIB_PRIVATE_STACK"
}

# app_mode health|version MODE: see tests/stack/app.py for the modes.
app_mode() {
	_lib_require_private app_mode
	case $1 in
	health | version) echo "$2" >"$APP_DIR/$1_mode" ;;
	slow_seconds) echo "$2" >"$APP_DIR/slow_seconds" ;;
	*)
		echo "lib.sh: app_mode health|version|slow_seconds VALUE" >&2
		exit 1
		;;
	esac
}

# stack_config [LINE]...: see the header. Sections and keys keep their
# order; a LINE replaces a key of the same name in its section.
stack_config() {
	local -a sections=() keys=()
	local -A values=()
	local section=app line key
	_cfg_set() { # SECTION KEY VALUE
		case " ${sections[*]} " in *" $1 "*) ;; *) sections+=("$1") ;; esac
		[ -n "${values[$1.$2]+set}" ] || keys+=("$1.$2")
		values[$1.$2]=$3
	}
	_cfg_set app name shop
	_cfg_set app timeout 3s
	if [ -n "${APP_DIR:-}" ]; then
		_cfg_set app health_url "$HEALTH_URL"
		_cfg_set app version_url "$VERSION_URL"
		_cfg_set app version_file "$APP_DIR/public/version.json"
	else
		_cfg_set app health_url ""
		_cfg_set app version_url ""
		_cfg_set app version_file ""
	fi
	_cfg_set database url "${DATABASE_URL:-}"
	_cfg_set redis url "${REDIS_URL:-}"
	_cfg_set storage paths /
	for line in "$@"; do
		if [[ $line =~ ^[[:space:]]*\[([a-z_]+)\][[:space:]]*$ ]]; then
			section=${BASH_REMATCH[1]}
			case " ${sections[*]} " in *" $section "*) ;; *) sections+=("$section") ;; esac
		elif [[ $line =~ ^[[:space:]]*([a-z0-9_]+)[[:space:]]*=[[:space:]]*(.*)$ ]]; then
			_cfg_set "$section" "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
		else
			echo "lib.sh: stack_config: cannot use line '$line' (want 'key = value' or '[section]')" >&2
			return 1
		fi
	done
	unset -f _cfg_set
	echo "; written by tests/integration/lib.sh for the stack in ${STACK_DIR:-?}"
	for section in "${sections[@]}"; do
		printf '\n[%s]\n' "$section"
		for key in "${keys[@]}"; do
			[ "${key%%.*}" = "$section" ] || continue
			if [ -n "${values[$key]}" ]; then
				printf '%s = %s\n' "${key#*.}" "${values[$key]}"
			else
				printf '%s =\n' "${key#*.}"
			fi
		done
	done
}

# write_stack_config FILE [LINE]...
write_recovery_config() {
	local file=$1
	shift
	printf '[app]\nhealth_url =\nversion_url =\nversion_file =\n[database]\nurl =\n[redis]\nurl =\n[recovery]\n' |
		cat - <(printf '%s\n' "$@") | write_config "$file"
}

write_stack_config() {
	local file=$1 text
	shift
	text=$(stack_config "$@") || exit 1
	printf '%s\n' "$text" | write_config "$file"
}

# psql_super SQL / psql_app SQL: unaligned rows on stdout; a failure exits
# the test (the stack is broken, nothing further would mean anything).
pg_session() {
	(
		printf '%b\n' "$4"
		sleep 120
	) | PGAPPNAME=$1 PGPASSWORD=$3 "${PG_BINDIR:+$PG_BINDIR/}psql" -X -q -h 127.0.0.1 -p "$PGPORT" \
		-U "$2" -d shop >/dev/null 2>&1 &
	on_exit kill "$!"
}

pg_session_pid() {
	local pid="" where="state = '$2'"
	[ "$2" = Lock ] && where="wait_event_type = 'Lock'"
	for _ in $(seq 1 100); do
		pid=$(psql_super "SELECT pid FROM pg_stat_activity WHERE application_name = '$1' AND $where")
		[ -n "$pid" ] && break
		sleep 0.1
	done
	[ -n "$pid" ] || fail "session $1 never got to $2"
	echo "$pid"
}

psql_super() {
	PGPASSWORD=${PG_SUPERUSER_PASSWORD:?no stack with pg} "${PG_BINDIR:+$PG_BINDIR/}psql" -X -q -A -t -v ON_ERROR_STOP=1 \
		-h 127.0.0.1 -p "$PGPORT" -U postgres -d shop -c "$1" ||
		{
			echo "lib.sh: psql_super failed: $1" >&2
			exit 1
		}
}

psql_app() {
	PGPASSWORD=${PGPASSWORD:?no stack with pg} "${PG_BINDIR:+$PG_BINDIR/}psql" -X -q -A -t -v ON_ERROR_STOP=1 \
		-h 127.0.0.1 -p "$PGPORT" -U app -d shop -c "$1" ||
		{
			echo "lib.sh: psql_app failed: $1" >&2
			exit 1
		}
}

# s3 ls [PREFIX] | get KEY [FILE] | put KEY FILE | rm KEY | head KEY: the
# stack's bucket through botocore (Debian's python3-botocore), an S3 client
# independent of opsdeck's. ls prints "SIZE KEY" lines; head prints the size.
s3() {
	"$_LIB_PY" - "$@" <<'EOF'
import os, sys
import botocore.session
from botocore.config import Config

client = botocore.session.get_session().create_client(
    "s3", endpoint_url=os.environ["S3_ENDPOINT"], region_name=os.environ.get("AWS_REGION", "us-east-1"),
    aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
    aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
    config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
bucket = os.environ["S3_BUCKET"]
verb, args = sys.argv[1], sys.argv[2:]
if verb == "ls":
    kwargs = {"Bucket": bucket, "Prefix": args[0] if args else ""}
    for page in client.get_paginator("list_objects_v2").paginate(**kwargs):
        for obj in page.get("Contents", []):
            print(obj["Size"], obj["Key"])
elif verb == "get":
    body = client.get_object(Bucket=bucket, Key=args[0])["Body"].read()
    if len(args) > 1:
        with open(args[1], "wb") as handle:
            handle.write(body)
    else:
        sys.stdout.buffer.write(body)
elif verb == "put":
    with open(args[1], "rb") as handle:
        client.put_object(Bucket=bucket, Key=args[0], Body=handle.read())
elif verb == "rm":
    client.delete_object(Bucket=bucket, Key=args[0])
elif verb == "head":
    print(client.head_object(Bucket=bucket, Key=args[0])["ContentLength"])
else:
    sys.exit("s3: unknown verb %s (ls, get, put, rm, head)" % verb)
EOF
}

# write_config FILE: stdin to FILE, mode 0600 (opsdeck refuses a config with
# secrets that others can read).
write_config() {
	local file=$1
	(umask 077 && cat >"$file")
	chmod 0600 "$file"
}

# ASan's runtime is linked in (clang) or a shared library (gcc); either way
# the program's dynamic symbol table refers to __asan_init.
built_with_asan() {
	nm -D "$OPSDECK" 2>/dev/null | grep -q '__asan_init'
}

require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c is not installed"
	done
}

# ---------------------------------------------------------------- asserting

_lib_where() {
	# the test's line that called the assertion
	local i
	for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do
		if [ "${BASH_SOURCE[$i]}" != "${BASH_SOURCE[0]}" ]; then
			echo "$(basename "${BASH_SOURCE[$i]}"):${BASH_LINENO[$((i - 1))]}"
			return
		fi
	done
	echo "?"
}

pass() {
	_LIB_PASSED=$((_LIB_PASSED + 1))
	echo "ok: $*"
}

fail() {
	_LIB_FAILED=$((_LIB_FAILED + 1))
	echo "FAIL: $(_lib_where): $*" >&2
}

# Shows at most 20 lines of a value, indented, for a failure message.
_lib_show() {
	printf '%s\n' "$1" | head -n 20 | sed 's/^/    | /' >&2
}

run() {
	local out err
	out=$(mktemp) err=$(mktemp)
	RC=0
	"$@" >"$out" 2>"$err" || RC=$?
	OUT=$(cat "$out")
	ERR=$(cat "$err")
	rm -f "$out" "$err"
	return 0
}

assert_exit() {
	local want=$1
	shift
	run "$@"
	if [ "$RC" = "$want" ]; then
		pass "exit $want: $*"
	else
		fail "expected exit $want, got $RC: $*"
		[ -z "$OUT" ] || {
			echo "  stdout:" >&2
			_lib_show "$OUT"
		}
		[ -z "$ERR" ] || {
			echo "  stderr:" >&2
			_lib_show "$ERR"
		}
	fi
}

assert_eq() {
	local what=${3:-value}
	if [ "$1" = "$2" ]; then
		pass "$what = '$2'"
	else
		fail "$what: expected '$2', got '$1'"
	fi
}

assert_ne() {
	local what=${3:-value}
	if [ "$1" != "$2" ]; then
		pass "$what != '$2'"
	else
		fail "$what: expected anything but '$2'"
	fi
}

assert_contains() {
	local what=${3:-output}
	if [[ $1 == *"$2"* ]]; then
		pass "$what contains '$2'"
	else
		fail "$what does not contain '$2'; it is:"
		_lib_show "$1"
	fi
}

assert_not_contains() {
	local what=${3:-output}
	if [[ $1 != *"$2"* ]]; then
		pass "$what does not contain '$2'"
	else
		fail "$what contains '$2', which it must not; it is:"
		_lib_show "$1"
	fi
}

assert_match() {
	local what=${3:-output}
	if [[ $1 =~ $2 ]]; then
		pass "$what matches /$2/"
	else
		fail "$what does not match /$2/; it is:"
		_lib_show "$1"
	fi
}

_lib_is_int() { [[ $1 =~ ^-?[0-9]+$ ]]; }

assert_lt() {
	local what=${3:-value}
	if _lib_is_int "$1" && _lib_is_int "$2" && [ "$1" -lt "$2" ]; then
		pass "$what $1 < $2"
	else
		fail "$what: expected $1 < $2"
	fi
}

assert_le() {
	local what=${3:-value}
	if _lib_is_int "$1" && _lib_is_int "$2" && [ "$1" -le "$2" ]; then
		pass "$what $1 <= $2"
	else
		fail "$what: expected $1 <= $2"
	fi
}

assert_ge() {
	local what=${3:-value}
	if _lib_is_int "$1" && _lib_is_int "$2" && [ "$1" -ge "$2" ]; then
		pass "$what $1 >= $2"
	else
		fail "$what: expected $1 >= $2"
	fi
}

assert_gt() {
	local what=${3:-value}
	if _lib_is_int "$1" && _lib_is_int "$2" && [ "$1" -gt "$2" ]; then
		pass "$what $1 > $2"
	else
		fail "$what: expected $1 > $2"
	fi
}

# The stack's secrets: passwords and keys (not user names or ports), and
# those a test added with secrets_add.
_LIB_EXTRA_SECRETS=()
secrets_add() { _LIB_EXTRA_SECRETS+=("$@"); }

_lib_secrets() {
	local v
	for v in "${PGPASSWORD:-}" "${PG_SUPERUSER_PASSWORD:-}" "${REDIS_PASSWORD:-}" \
		"${REDIS_APP_PASSWORD:-}" "${AWS_SECRET_ACCESS_KEY:-}" "${PGBOUNCER_ADMIN_PASSWORD:-}" \
		"${REDIS_TLS_PASSWORD:-}" "${REDIS_TLS_APP_PASSWORD:-}" \
		"${_LIB_EXTRA_SECRETS[@]}"; do
		[ -z "$v" ] || echo "$v"
	done
}

# Sets _LIB_FORMS to each secret's forms, one "FORM<TAB>TEXT" line each:
# plain, percent-encoded (as in a URL) and base64 (as in an Authorization
# header); computed again only when the secrets change.
_LIB_FORMS_KEY=""
_LIB_FORMS=""
_lib_secret_forms() {
	local key
	key=$(_lib_secrets)
	if [ "$key" != "$_LIB_FORMS_KEY" ]; then
		_LIB_FORMS=$(printf '%s\n' "$key" | "$_LIB_PY" -c '
import base64, sys, urllib.parse
seen = set()
for secret in sys.stdin.read().splitlines():
    forms = [("plain", secret), ("percent-encoded", urllib.parse.quote(secret, safe="")),
             ("percent-encoded", urllib.parse.quote_plus(secret, safe=""))]
    # base64 at each of the three alignments (user:secret in Basic auth is
    # not aligned), whole groups only: the bytes around the secret change
    # the groups it shares with them
    for k in range(3):
        data = b"\0" * k + secret.encode()
        text = base64.b64encode(data[:len(data) // 3 * 3]).decode()[4 if k else 0:]
        if len(text) >= 8:
            forms.append(("base64", text))
    for name, text in forms:
        if text not in seen:
            seen.add(text)
            print("%s\t%s" % (name, text))
')
		_LIB_FORMS_KEY=$key
	fi
}

assert_no_secrets() {
	local what=${2:-output} form secret leaked=0 n=0
	_lib_secret_forms
	while IFS=$'\t' read -r form secret; do
		[ -n "$secret" ] || continue
		n=$((n + 1))
		if [[ $1 == *"$secret"* ]]; then
			leaked=1
			fail "$what shows a secret ($form: ${secret:0:4}...)"
		fi
	done <<<"$_LIB_FORMS"
	if [ "$n" -eq 0 ]; then
		fail "assert_no_secrets: no secrets known (call stack_use or secrets_add first)"
	elif [ "$leaked" -eq 0 ]; then
		pass "$what shows none of $n secrets' forms"
	fi
}

assert_json() {
	local what=${2:-output} msg
	if msg=$(printf '%s' "$1" | "$_LIB_PY" -c 'import json, sys; json.load(sys.stdin)' 2>&1); then
		pass "$what is JSON"
	else
		fail "$what is not JSON: ${msg##*$'\n'}"
		_lib_show "$1"
	fi
}

assert_prometheus() {
	local what=${2:-output} msg
	# a command substitution drops the final newline, which the check wants
	if msg=$(printf '%s\n' "$1" | "$_LIB_PY" "$PROMETHEUS_CHECK" 2>&1); then
		pass "$what is valid Prometheus text ($msg)"
	else
		fail "$what is not valid Prometheus text:"
		_lib_show "$msg"
	fi
	# and Prometheus' own linter (Debian's prometheus package, scripts/deps)
	if ! command -v promtool >/dev/null; then
		fail "promtool is missing: run scripts/deps"
	elif msg=$(printf '%s\n' "$1" | promtool check metrics 2>&1); then
		pass "$what passes promtool check metrics"
	else
		fail "$what fails promtool check metrics:"
		_lib_show "$msg"
	fi
}

# json_get TEXT PATH: see the header.
json_get() {
	printf '%s' "$1" | "$_LIB_PY" -c '
import json, sys
path = sys.argv[1]
try:
    d = json.load(sys.stdin)
except ValueError as exc:
    sys.exit("json_get: not JSON: %s" % exc)
if path.startswith("d["):
    v = eval(path, {"d": d})
else:
    v = d
    for part in path.split(".") if path else []:
        if isinstance(v, list) and part.lstrip("-").isdigit() and -len(v) <= int(part) < len(v):
            v = v[int(part)]
        elif isinstance(v, dict) and part in v:
            v = v[part]
        else:
            sys.exit(1)
print(v if isinstance(v, str) else json.dumps(v))
' "$2"
}

# elapsed_ms CMD...: sets RC, OUT, ERR as run does and ELAPSED_MS; prints it.
http_fixture() {
	local mode=$1 dir=${2:-.} out
	out=$(mktemp "$TEST_DIR/fixture.XXXXXX")
	"$_LIB_PY" "$OPSDECK_SRCDIR/tests/integration/http_fixture.py" "$mode" "$dir" >"$out" &
	FIXTURE_PID=$!
	on_exit kill "$FIXTURE_PID"
	wait_until 5 test -s "$out" || fail "http_fixture $mode did not start"
	FIXTURE_PORT=$(head -n 1 "$out")
}

flip_byte() {
	"$_LIB_PY" -c 'import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(int(sys.argv[2]))
    b = f.read(1)
    if len(b) != 1:
        sys.exit("flip_byte: %s has no byte %s" % (sys.argv[1], sys.argv[2]))
    f.seek(int(sys.argv[2]))
    f.write(bytes([b[0] ^ 0xFF]))' "$1" "$2"
}

elapsed_ms() {
	local t0 t1
	t0=$(date +%s%N)
	run "$@"
	t1=$(date +%s%N)
	ELAPSED_MS=$(((t1 - t0) / 1000000))
	echo "$ELAPSED_MS"
}

# wait_until SECONDS CMD...: runs CMD every 0.05 s until it succeeds or
# SECONDS have passed; the status of its last run.
wait_until() {
	local tries=$(($1 * 20))
	shift
	while ! "$@"; do
		((--tries > 0)) || return 1
		sleep 0.05
	done
}

# ended PID: whether the process has gone.
ended() { ! kill -0 "$1" 2>/dev/null; }

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

finish() {
	local total=$((_LIB_PASSED + _LIB_FAILED))
	if [ "$total" -eq 0 ]; then
		echo "FAIL: $TEST_NAME made no assertions" >&2
		exit 1
	fi
	echo "$TEST_NAME: $_LIB_PASSED of $total checks passed"
	if [ "$_LIB_FAILED" -ne 0 ]; then
		echo "$TEST_NAME: $_LIB_FAILED failed" >&2
		exit 1
	fi
	exit 0
}
