# shellcheck shell=bash
# tests/integration/backup_lib.sh - helpers for the backup tests; source it
# after lib.sh and stack_use/stack_private.
#
#   bk_config FILE TARGET [DATABASE_URL [LINES]]  an opsdeck.conf for backups to
#                           TARGET (LINES: more [backup] keys, e.g. "format = custom")
#                           (audit log in the test dir, the stack's S3 endpoint
#                           or $BK_ENDPOINT)
#   bk_psql DB SQL          SQL as the app role in database DB (rows unaligned)
#   bk_createdb NAME        a fresh database owned by app (dropped at exit)
#   bk_big_db NAME MB       bk_createdb + a table of MB MiB of random bytes
#                           (its plain dump is about twice that, hex)
#   bk_proxy_start          s3proxy.py in front of the stack's s3rver:
#                           sets BK_ENDPOINT, BK_CONTROL (fault rules, JSON),
#                           BK_PROXY_LOG, BK_PROXY_PID; skips without botocore
#   bk_proxy_stop           stop it (S3 "goes away")
#   bk_proxy_restart        start it again on the same port (S3 is back)
#   bk_proxy_faults JSON    write the fault rules
#   bk_proxy_ops OP         the proxy's log lines of operation OP
#   bk_proxy_sig_ok         assert every request the proxy saw was signed right
#   bk_fake_pg_dump FILE MB SLEEP   a pg_dump stand-in: MB MiB of random bytes,
#                           then sleeps SLEEP s (for SIGTERM / S3-down tests)
#   bk_s3_keys PREFIX       the keys under PREFIX in the stack's bucket
#   bk_drill_scratch_left   how many of the scratch databases this test's drills
#                           made (named in its audit log) still exist; other
#                           tests' drills, running at the same time, are not
#                           counted
#   bk_backed_up_items DB ROWS [LINES]  bk_createdb DB with a table items of
#                           ROWS rows (id, 'item ' || id), opsdeck.conf for it
#                           and a file://$TEST_DIR/target (LINES: more
#                           [backup] keys), and one backup db

BK_ENDPOINT=

bk_config() {
	local file=$1 target=$2 dburl=${3:-${DATABASE_URL:-}} extra=${4:-} base
	base=$(stack_config "[database]" "url = $dburl") || exit 1
	printf '%s\n\n[backup]\ntarget = %s\ns3_endpoint = %s\n%s\n[recovery]\naudit_log = %s\n' \
		"$base" "$target" "${BK_ENDPOINT:-${S3_ENDPOINT:-}}" "$extra" "$TEST_DIR/audit.jsonl" |
		write_config "$file"
}

bk_drill_scratch_left() {
	local names
	names=$(grep -o '"detail":"opsdeck_drill_[0-9_]*"' "$TEST_DIR/audit.jsonl" 2>/dev/null |
		sed 's/.*"\(opsdeck_drill_[0-9_]*\)"/\x27\1\x27/' | sort -u | paste -sd, -)
	if [ -z "$names" ]; then
		echo 0
		return
	fi
	psql_super "SELECT count(*) FROM pg_database WHERE datname IN ($names)" | tr -d ' \n'
}

bk_psql() {
	PGPASSWORD=$PGPASSWORD "${PG_BINDIR:+$PG_BINDIR/}psql" -X -q -A -t -v ON_ERROR_STOP=1 \
		-h 127.0.0.1 -p "$PGPORT" -U app -d "$1" -c "$2"
}

bk_createdb() {
	psql_super "CREATE DATABASE \"$1\" OWNER app" >/dev/null
	on_exit psql_super "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)"
}

bk_big_db() {
	local name=$1 mb=$2
	bk_createdb "$name"
	bk_psql "$name" "CREATE TABLE blobs (id int PRIMARY KEY, data bytea);
		INSERT INTO blobs SELECT g / 4096, decode(string_agg(md5(random()::text), ''), 'hex')
		FROM generate_series(0, $mb * 65536 - 1) g GROUP BY g / 4096;" >/dev/null
}

bk_proxy_start() {
	"$_LIB_PY" -c 'import botocore' 2>/dev/null || skip "python3-botocore is not installed"
	local port dir
	port=$("$_LIB_PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	dir=$TEST_DIR/proxy
	mkdir -p "$dir"
	BK_CONTROL=$dir/control.json
	BK_PROXY_LOG=$dir/requests.jsonl
	: >"$BK_CONTROL"
	on_exit bk_proxy_stop
	BK_ENDPOINT=http://127.0.0.1:$port
	_bk_proxy_launch
}

_bk_proxy_launch() {
	local dir=$TEST_DIR/proxy
	setsid "$_LIB_PY" "$OPSDECK_SRCDIR/tests/stack/s3proxy.py" --port "${BK_ENDPOINT##*:}" \
		--upstream "$S3_ENDPOINT" --control "$BK_CONTROL" --log "$BK_PROXY_LOG" \
		${S3_DIR:+--s3-dir "$S3_DIR"} </dev/null >>"$dir/proxy.out" 2>&1 &
	BK_PROXY_PID=$!
	for _ in $(seq 1 100); do
		curl -sf "$BK_ENDPOINT/__s3proxy/health" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	cat "$dir/proxy.out" >&2
	fail "s3proxy did not start"
	finish
}

bk_proxy_restart() {
	_bk_proxy_launch
}

bk_proxy_stop() {
	kill "$BK_PROXY_PID" 2>/dev/null || true
	wait "$BK_PROXY_PID" 2>/dev/null || true
}

bk_proxy_faults() {
	printf '%s\n' "$1" >"$BK_CONTROL.tmp" && mv "$BK_CONTROL.tmp" "$BK_CONTROL"
}

bk_proxy_ops() {
	grep "\"op\": *\"$1\"" "$BK_PROXY_LOG" || true
}

bk_proxy_sig_ok() {
	local total bad
	total=$(wc -l <"$BK_PROXY_LOG")
	bad=$(grep -v '"sig": *"ok"' "$BK_PROXY_LOG" | grep -c . || true)
	assert_gt "$total" 0 "requests seen by the verifying proxy"
	assert_eq "$bad" 0 "requests whose signature botocore rejected"
}

bk_fake_pg_dump() {
	local file=$1 mb=$2 sleep_s=$3
	cat >"$file" <<EOF
#!/bin/sh
if [ "\$1" = --version ]; then echo "pg_dump (PostgreSQL) 15 (fake)"; exit 0; fi
echo \$\$ >"$TEST_DIR/fake_pg_dump.pid"
head -c ${mb}M /dev/urandom
exec sleep $sleep_s
EOF
	chmod +x "$file"
}

bk_s3_keys() {
	s3 ls "$1" | cut -d' ' -f2-
}

bk_backed_up_items() {
	local db=$1 rows=$2 extra=${3:-}
	bk_createdb "$db"
	bk_psql "$db" "CREATE TABLE items (id int PRIMARY KEY, name text);
		INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, $rows) g;" >/dev/null
	mkdir -p "$TEST_DIR/target"
	bk_config opsdeck.conf "file://$TEST_DIR/target" \
		"postgresql://app:$PGPASSWORD@127.0.0.1:$PGPORT/$db" "$extra"
	assert_exit 0 "$OPSDECK" -c opsdeck.conf backup db
}

# bk_request_log_sum DB: RequestLog's row count and an md5 of its rows.
bk_request_log_sum() {
	bk_psql "$1" "SELECT count(*) || ' ' || md5(string_agg(\"id\" || ':' || \"timestamp\" || ':' ||
		\"duration\" || ':' || \"statusCode\" || ':' || \"path\", ',' ORDER BY \"id\"))
		FROM \"RequestLog\""
}

# bk_restore_plain WHAT DB DECODE...: DECODE's output (a plain dump) loaded
# by psql into DB, created for it, as the superuser (the dump creates
# extensions: pg_stat_statements); a pass or a fail named WHAT.
bk_restore_plain() {
	local what=$1 db=$2
	shift 2
	bk_createdb "$db"
	if "$@" | PGPASSWORD=$PG_SUPERUSER_PASSWORD "${PG_BINDIR:+$PG_BINDIR/}psql" -X -q \
		-v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres -d "$db" >/dev/null 2>restore.err; then
		pass "$what: the dump restores with psql"
	else
		fail "$what: restore failed: $(head -3 restore.err)"
	fi
}
