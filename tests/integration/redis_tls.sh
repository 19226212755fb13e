#!/usr/bin/env bash
# Redis over TLS (rediss://) against a real TLS-only redis-server: with the
# stack's CA Redis is healthy and the check names the protocol; a foreign
# CA, the system's store (which does not hold the test CA) and a host name
# the certificate is not for are unhealthy with "certificate verify failed";
# tls_verify = false connects and says "certificate not verified"; a
# server that demands a client certificate works with tls_cert/tls_key and
# fails clearly without; redis:// to the TLS port and rediss:// to a plain
# Redis never work; a frozen server ends in the handshake at the timeout;
# clear-cache works over TLS; bad tls_* keys name the file and line; no
# password or key appears in any output.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
require_cmd redis-cli openssl
stack_private redis,redistls
secrets_add "$(sed -n 2p "$REDIS_TLS_KEY")"

tcli() {
	REDISCLI_AUTH=$REDIS_TLS_PASSWORD redis-cli --no-auth-warning --tls -h 127.0.0.1 \
		-p "$REDIS_TLS_PORT" --cacert "$REDIS_TLS_CA" --cert "$REDIS_TLS_CERT" \
		--key "$REDIS_TLS_KEY" "$@"
}
# conf FILE URL [LINE]...: a configuration with only Redis, over URL
conf() {
	local file=$1 url=$2
	shift 2
	{
		printf '[app]\nenv_file =\ntimeout = 2s\n\n[redis]\nurl = %s\n' "$url"
		printf '%s\n' "$@"
	} | write_config "$file"
}
# redis_check FILE: status --json's Redis check into R, as "state|error|tls"
redis_check() {
	run "$OPSDECK" -c "$1" status --json
	assert_no_secrets "$OUT$ERR" "$1: no secret in status --json"
	R=$(json_get "$OUT" 'd["checks"]["redis"]["state"] + "|" + (d["checks"]["redis"]["error"] or "") + "|" + str(d["checks"]["redis"].get("tls"))')
}

# 1. the stack's CA: healthy, over TLS
conf good.conf "$REDIS_TLS_URL" "tls_ca = $REDIS_TLS_CA"
redis_check good.conf
assert_match "$R" '^ok\|\|TLSv1\.[23] ' "verified against tls_ca: ok, over TLS"
run "$OPSDECK" -c good.conf status
assert_match "$OUT" "over TLSv1\.[23] " "status names the protocol"
assert_not_contains "$OUT" "not verified"
assert_no_secrets "$OUT$ERR"
run "$OPSDECK" -c good.conf check
assert_not_contains "$OUT" "certificate" "check has nothing to say about the certificate"

# 2. a foreign CA, the system's store, a name the certificate is not for
conf foreign.conf "$REDIS_TLS_URL" "tls_ca = $REDIS_TLS_FOREIGN_CA"
redis_check foreign.conf
assert_match "$R" '^unhealthy\|certificate verify failed: ' "a foreign CA"
conf system.conf "$REDIS_TLS_URL"
redis_check system.conf
assert_match "$R" '^unhealthy\|certificate verify failed: ' \
	"the system's store does not know the test CA"
conf name.conf "${REDIS_TLS_URL/127.0.0.1/localhost}" "tls_ca = $REDIS_TLS_CA"
redis_check name.conf
assert_eq "$(cut -d'|' -f1,2 <<<"$R")" \
	"unhealthy|certificate verify failed: hostname mismatch" "a host name the certificate is not for"
run "$OPSDECK" -c foreign.conf diagnose
assert_contains "$OUT" "Redis is unhealthy: certificate verify failed" "diagnose says why"

# 3. tls_verify = false: encrypted, said to be unverified
conf noverify.conf "$REDIS_TLS_URL" "tls_verify = false"
redis_check noverify.conf
assert_match "$R" '^ok\|\|TLSv1\.[23] .*, certificate not verified$' \
	"tls_verify = false"

# 4. never plain text: redis:// to the TLS port, rediss:// to a plain Redis
conf plain.conf "${REDIS_TLS_URL/rediss:/redis:}"
redis_check plain.conf
assert_match "$R" '^unhealthy\|' "redis:// to the TLS port does not work"
conf toplain.conf "rediss://app:$REDIS_APP_PASSWORD@127.0.0.1:$REDIS_PORT/0" "tls_ca = $REDIS_TLS_CA"
redis_check toplain.conf
assert_match "$R" '^unhealthy\|.*TLS handshake' \
	"rediss:// to a plain Redis fails in the handshake"

# 5. a client certificate demanded by the server
assert_eq "$(tcli CONFIG SET tls-auth-clients yes)" OK "the server demands a client certificate"
redis_check good.conf
assert_match "$R" '^unhealthy\|.*client certificate' \
	"without a client certificate: refused, and said so"
conf client.conf "$REDIS_TLS_URL" "tls_ca = $REDIS_TLS_CA" "tls_cert = $REDIS_TLS_CERT" \
	"tls_key = $REDIS_TLS_KEY"
redis_check client.conf
assert_match "$R" '^ok\|\|TLSv1' "with tls_cert and tls_key: ok"
tcli CONFIG SET tls-auth-clients optional >/dev/null

# 6. a frozen server: the handshake ends at the timeout
kill -STOP "$REDIS_TLS_PID"
redis_check good.conf
kill -CONT "$REDIS_TLS_PID"
assert_eq "$(cut -d'|' -f1,2 <<<"$R")" "unhealthy|timed out after 2.0 s in the TLS handshake" \
	"a frozen server"

# 7. clear-cache over TLS removes the cache keys only
run "$OPSDECK" -c client.conf recover clear-cache --yes
assert_eq "$RC" 0 "clear-cache over TLS"
assert_contains "$OUT" "removed 2 keys"
assert_no_secrets "$OUT$ERR"
assert_eq "$(tcli --scan | LC_ALL=C sort | tr '\n' ' ')" "other:tls " "only the cache keys are gone"

# 8. bad tls_* keys: the file and the line
conf missing.conf "$REDIS_TLS_URL" "tls_ca = $TEST_DIR/no-such-ca.pem"
run "$OPSDECK" -c missing.conf status
assert_eq "$RC" 2 "a tls_ca that is not there is a configuration error"
assert_contains "$ERR" "missing.conf:7: tls_ca: cannot read $TEST_DIR/no-such-ca.pem"
conf half.conf "$REDIS_TLS_URL" "tls_cert = $REDIS_TLS_CERT"
run "$OPSDECK" -c half.conf status
assert_eq "$RC" 2 "tls_cert without tls_key"
assert_contains "$ERR" "half.conf:7: tls_cert: needs [redis] tls_key too"
conf notcert.conf "$REDIS_TLS_URL" "tls_ca = $REDIS_TLS_KEY"
redis_check notcert.conf
assert_match "$R" '^unhealthy\|cannot load tls_ca ' "a key given as the CA"
finish
