#!/usr/bin/env bash
# [backup] heartbeat_url, a dead-man's switch in the style of
# healthchecks.io: a local receiver counts exactly one GET of the URL after
# a backup that stored its object, one GET of URL/fail after one that
# failed; a receiver that is down or answers 500 does not change the
# backup's exit status, and the result says the heartbeat did not get
# through without showing its URL (its token).
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg

# a receiver that logs each request and answers 200, or 500 for /down
http_fixture record
port=$FIXTURE_PORT
token=5f0c2a1e-hb-$$
secrets_add "$token"

mkdir -p target
bk_config ok.conf "file://$TEST_DIR/target" "$DATABASE_URL" "heartbeat_url = http://127.0.0.1:$port/ping/$token"
assert_exit 0 "$OPSDECK" -c ok.conf backup db
assert_eq "$(cat requests.log)" "GET /ping/$token" "a backup that stored its object: one ping"
assert_no_secrets "$OUT$ERR"

: >requests.log
bk_config fail.conf "file://$TEST_DIR/target" "postgresql://app:wrong@127.0.0.1:$PGPORT/shop" \
	"heartbeat_url = http://127.0.0.1:$port/ping/$token/"
assert_exit 1 "$OPSDECK" -c fail.conf backup db
assert_eq "$(cat requests.log)" "GET /ping/$token/fail" "a failed backup: one ping of /fail"
assert_no_secrets "$OUT$ERR"

: >requests.log
bk_config down.conf "file://$TEST_DIR/target" "$DATABASE_URL" "heartbeat_url = http://127.0.0.1:$port/down/$token"
assert_exit 0 "$OPSDECK" -c down.conf backup db
assert_contains "$OUT$ERR" "heartbeat answered HTTP 500" "a receiver that fails is said"
assert_no_secrets "$OUT$ERR"
closed=$("$_LIB_PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
bk_config closed.conf "file://$TEST_DIR/target" "$DATABASE_URL" "heartbeat_url = http://127.0.0.1:$closed/ping/$token"
assert_exit 0 "$OPSDECK" -c closed.conf backup db
assert_contains "$OUT$ERR" "heartbeat not sent: " "a receiver that is down is said"
assert_no_secrets "$OUT$ERR"
assert_eq "$(grep -c '"action":"backup-db"' audit.jsonl)" 8 "every backup audited as before"

bk_config bad.conf "file://$TEST_DIR/target" "$DATABASE_URL" "heartbeat_url = ftp://127.0.0.1/x"
run "$OPSDECK" -c bad.conf backup db
assert_eq "$RC" 2 "a heartbeat_url that is not http(s) is a configuration error"
assert_contains "$ERR" "heartbeat_url"
finish
