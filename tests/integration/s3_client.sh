#!/usr/bin/env bash
# The S3 client (src/s3/) end to end: tests/s3_tool through
# tests/stack/s3proxy.py, which recomputes every request's SigV4 signature
# with botocore and injects faults, in front of s3rver.
# - put/get/delete, multipart from 3 threads (parts of 5 MiB, S3's minimum),
#   ListObjectsV2 paged 3 keys at a time, odd key names: every request's
#   signature and payload hash (and Content-MD5) verified;
# - a wrong secret is refused (the verifier is not vacuous), a session token
#   is signed; libcurl's own SigV4 fails that check for ?uploads and an
#   unsorted query, as issue 5 measured (why src/s3/sigv4.c exists);
# - 500/503/429, a reset and a hang on some requests are retried and the
#   object is intact (SHA-256 compared), a GET cut mid-body resumes;
# - a 4xx is not retried; retries run out with a clear reason;
# - CompleteMultipartUpload answered 200 + <Error> fails (InternalError once
#   is retried), abort works, SIGTERM (the cancel flag) stops an upload at
#   once and still aborts it, S3 going away mid-upload fails cleanly;
# - no secret in any output.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
S3_TOOL=$(dirname "$OPSDECK")/tests/s3_tool
[ -x "$S3_TOOL" ] || skip "tests/s3_tool is not built (make check builds it)"
require_cmd sha256sum
stack_private s3,s3proxy

ALL_OUT=""
LOG_MARK=0
MIB=$((1024 * 1024))

# tool ARGS...: s3_tool against the proxy; sets RC, OUT, ERR like run.
tool() {
	run env S3_ENDPOINT="$S3_PROXY_ENDPOINT" "$S3_TOOL" "$@"
	ALL_OUT+="$OUT"$'\n'"$ERR"$'\n'
}

faults() {
	printf '%s\n' "$1" >"$S3_PROXY_CONTROL.tmp"
	mv -f "$S3_PROXY_CONTROL.tmp" "$S3_PROXY_CONTROL"
}

mark() { LOG_MARK=$(wc -l <"$S3_PROXY_LOG"); }

# log_count EXPR: proxy log entries since the mark for which the Python
# expression EXPR (over the entry e) holds.
log_count() {
	"$PYTHON3" - "$S3_PROXY_LOG" "$LOG_MARK" "$1" <<'EOF'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()[int(sys.argv[2]):]
print(sum(1 for line in lines if eval(sys.argv[3], {"e": json.loads(line)})))
EOF
}

# all_verified WHAT: every request since the mark passed botocore's check.
all_verified() {
	local total bad
	total=$(log_count 'True')
	bad=$(log_count 'e["sig"] != "ok" or e["payload"] not in ("ok", "unsigned") or e["md5"] == "mismatch"')
	assert_gt "$total" 0 "$1: requests seen by the proxy"
	assert_eq "$bad" 0 "$1: requests failing signature/payload checks (of $total)"
}

sha() { sha256sum "$1" | cut -d' ' -f1; }

head -c 100000 /dev/urandom >small.bin
head -c $((2 * 5 * MIB + 123457)) /dev/urandom >big.bin # 3 parts of 5 MiB, the last short

# ---- put, get, delete; keys that need encoding
key='it/small file+%&=?#ü.bin'
mark
tool put "$key" small.bin application/octet-stream
assert_eq "$RC" 0 "put: $ERR"
tool get "$key" got.bin
assert_eq "$RC" 0 "get: $ERR"
assert_eq "$(sha got.bin)" "$(sha small.bin)" "get returns what put stored"
s3 get "$key" boto.bin
assert_eq "$(sha boto.bin)" "$(sha small.bin)" "botocore reads what put stored"
assert_eq "$(log_count 'e["op"] == "PutObject" and e["md5"] == "ok" and e["payload"] == "ok"')" 1 \
	"the PUT carried its SHA-256 and Content-MD5"
tool delete "$key"
assert_eq "$RC" 0 "delete: $ERR"
tool get "$key" gone.bin
assert_eq "$RC" 1 "get of a deleted key fails"
assert_contains "$ERR" "HTTP 404 NoSuchKey"
assert_eq "$(log_count 'e["op"] == "GetObject"')" 2 "a 404 is not retried"
all_verified "put/get/delete"

# ---- multipart, 3 threads
mark
tool multipart it/big.bin big.bin $((5 * MIB)) 3
assert_eq "$RC" 0 "multipart: $ERR"
assert_contains "$OUT" "completed it/big.bin: 3 parts"
assert_eq "$(log_count 'e["op"] == "UploadPart" and e["payload"] == "ok" and e["md5"] == "ok"')" 3 \
	"3 parts, each with its SHA-256 and Content-MD5"
tool get it/big.bin big.out
assert_eq "$(sha big.out)" "$(sha big.bin)" "the multipart object is intact"
all_verified "multipart"

# ---- the verifier is real: a wrong secret is refused, a token is signed
mark
run env S3_ENDPOINT="$S3_PROXY_ENDPOINT" AWS_SECRET_ACCESS_KEY=0123456789abcdef0123456789abcdef01234567 \
	"$S3_TOOL" put it/wrong.bin small.bin
ALL_OUT+="$OUT$ERR"
assert_eq "$RC" 1 "a wrong secret fails"
assert_contains "$ERR" "HTTP 403 SignatureDoesNotMatch"
assert_eq "$(log_count 'e["sig"] == "mismatch"')" 1 "botocore saw the bad signature, once (no retry)"
mark
run env S3_ENDPOINT="$S3_PROXY_ENDPOINT" AWS_SESSION_TOKEN='FQoGZXIvYXdzEXAMPLE//token+=' \
	"$S3_TOOL" put it/token.bin small.bin
assert_no_secrets "$OUT$ERR" "session token run"
assert_not_contains "$OUT$ERR" "FQoGZXIvYXdzEXAMPLE" "session token run"
assert_eq "$RC" 0 "with a session token: $ERR"
all_verified "session token"

# ---- why opsdeck signs for itself: libcurl's CURLOPT_AWS_SIGV4 (curl
# --aws-sigv4, 7.88 here) passes where the query is empty or already sorted,
# and fails botocore's check for ?uploads and for an unsorted query.
if curl --help all 2>/dev/null | grep -q -- --aws-sigv4; then
	mark
	curl_sigv4() { # METHOD PATH: the HTTP status; the key goes in on stdin, not argv
		printf 'user = "%s:%s"\n' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" |
			curl -s -K - --aws-sigv4 "aws:amz:$AWS_REGION:s3" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
				-X "$1" -o /dev/null -w '%{http_code}' "$S3_PROXY_ENDPOINT/$S3_BUCKET$2"
	}
	assert_eq "$(curl_sigv4 GET '?list-type=2&prefix=it')" 200 "curl's signature of a sorted query passes"
	assert_eq "$(curl_sigv4 GET '?prefix=it&list-type=2')" 403 "curl's signature of an unsorted query fails"
	assert_eq "$(curl_sigv4 POST '/curl.bin?uploads')" 403 "curl's signature of ?uploads fails"
	assert_eq "$(log_count 'e["sig"] == "mismatch"')" 2 "botocore rejected exactly those two"
else
	echo "# curl has no --aws-sigv4: skipping the comparison with libcurl's signer"
fi

# ---- list, paged
mark
for i in 1 2 3 4 5 6 7; do
	tool put "list/k$i a+b&c.txt" small.bin
done
run env S3_ENDPOINT="$S3_PROXY_ENDPOINT" S3_LIST_PAGE_SIZE=3 "$S3_TOOL" list list/
assert_eq "$RC" 0 "list: $ERR"
assert_eq "$(printf '%s\n' "$OUT" | grep -c ' list/k[1-7] a+b&c.txt$')" 7 "all 7 keys listed"
assert_match "$(printf '%s\n' "$OUT" | head -1)" '^100000 [0-9]{13} list/k1 a\+b&c\.txt$' "size, time, key"
assert_eq "$(log_count 'e["op"] == "ListObjects"')" 3 "3 pages of 3"
assert_eq "$(log_count 'e["op"] == "ListObjects" and "continuation-token" in e["query"]')" 2 \
	"pages 2 and 3 follow the continuation token"
all_verified "list"

# ---- retried faults: 503, 500 and a reset on parts, 429 on a PUT
mark
faults '{"rules": [
  {"op": "UploadPart", "part": 2, "from": 1, "to": 2, "action": "status", "status": 503},
  {"op": "UploadPart", "part": 3, "from": 1, "to": 1, "action": "status", "status": 500},
  {"op": "UploadPart", "part": 1, "from": 1, "to": 1, "action": "reset"},
  {"op": "CreateMultipartUpload", "from": 1, "to": 1, "action": "status", "status": 503},
  {"op": "PutObject", "from": 1, "to": 1, "action": "status", "status": 429}]}'
tool multipart it/retried.bin big.bin $((5 * MIB)) 3
assert_eq "$RC" 0 "multipart with faults: $ERR"
assert_eq "$(printf '%s\n' "$ERR" | grep -c '^retry: ')" 5 "5 retries logged"
assert_contains "$ERR" "HTTP 503 SlowDown"
assert_eq "$(log_count 'e["op"] == "UploadPart"')" 7 "3 parts + 4 faulted attempts"
tool put it/retried-small.bin small.bin
assert_eq "$RC" 0 "put after a 429: $ERR"
assert_contains "$ERR" "HTTP 429"
faults ''
tool get it/retried.bin retried.out
assert_eq "$(sha retried.out)" "$(sha big.bin)" "the retried object is intact"
all_verified "retries (each attempt signed anew)"

# ---- a hung GET times out and is retried; a GET cut mid-body resumes
mark
faults '{"rules": [{"op": "GetObject", "from": 1, "to": 1, "action": "hang", "seconds": 10},
  {"op": "GetObject", "from": 2, "to": 2, "action": "truncate"}]}'
run env S3_ENDPOINT="$S3_PROXY_ENDPOINT" S3_TIMEOUT_MS=1500 "$S3_TOOL" get it/big.bin resumed.out
ALL_OUT+="$OUT$ERR"
faults ''
assert_eq "$RC" 0 "get through a hang and a cut: $ERR"
assert_contains "$ERR" "timed out"
assert_eq "$(sha resumed.out)" "$(sha big.bin)" "the resumed download is intact"
assert_eq "$(log_count 'e["op"] == "GetObject"')" 3 "hang, cut, resumed"
all_verified "resumed GET (Range and If-Match signed)"

# ---- a 4xx is not retried; retries run out
mark
faults '{"rules": [{"op": "PutObject", "action": "status", "status": 403, "code": "AccessDenied"}]}'
tool put it/denied.bin small.bin
assert_eq "$RC" 1 "403 fails"
assert_contains "$ERR" "PUT $S3_BUCKET/it/denied.bin: HTTP 403 AccessDenied"
assert_eq "$(log_count 'e["op"] == "PutObject"')" 1 "a 403 is sent once"
mark
faults '{"rules": [{"op": "UploadPart", "part": 2, "action": "status", "status": 503}]}'
run env S3_ENDPOINT="$S3_PROXY_ENDPOINT" S3_MAX_ATTEMPTS=3 "$S3_TOOL" multipart it/exhausted.bin big.bin $((5 * MIB)) 1
ALL_OUT+="$OUT$ERR"
faults ''
assert_eq "$RC" 1 "retries run out"
assert_contains "$ERR" "UploadPart 2 of $S3_BUCKET/it/exhausted.bin: HTTP 503 SlowDown"
assert_contains "$ERR" "(after 3 attempts)"
assert_contains "$OUT" "aborted it/exhausted.bin"
assert_eq "$(log_count 'e["op"] == "UploadPart" and e["part"] == 2')" 3 "part 2 tried 3 times"
assert_eq "$(log_count 'e["op"] == "AbortMultipartUpload" and e["status"] == 204')" 1 "aborted"
assert_eq "$(s3 ls it/exhausted.bin)" "" "no object after the failure"

# ---- CompleteMultipartUpload: 200 + <Error>
mark
faults '{"rules": [{"op": "CompleteMultipartUpload", "action": "complete_error", "code": "AccessDenied", "message": "no"}]}'
tool multipart it/complete-error.bin big.bin $((5 * MIB)) 2
faults ''
assert_eq "$RC" 1 "a 200 with an <Error> fails"
assert_contains "$ERR" "CompleteMultipartUpload $S3_BUCKET/it/complete-error.bin: HTTP 200 with an error: AccessDenied: no"
assert_contains "$OUT" "aborted it/complete-error.bin"
assert_eq "$(log_count 'e["op"] == "CompleteMultipartUpload"')" 1 "AccessDenied is not retried"
assert_eq "$(s3 ls it/complete-error.bin)" "" "no object after a 200 + <Error>"
mark
faults '{"rules": [{"op": "CompleteMultipartUpload", "from": 1, "to": 1, "action": "complete_error"}]}'
tool multipart it/complete-retried.bin big.bin $((5 * MIB)) 2
faults ''
assert_eq "$RC" 0 "InternalError in a 200 is retried: $ERR"
assert_eq "$(log_count 'e["op"] == "CompleteMultipartUpload"')" 2 "completed on the second try"
tool get it/complete-retried.bin complete-retried.out
assert_eq "$(sha complete-retried.out)" "$(sha big.bin)" "and the object is intact"
all_verified "complete"

# ---- abort
mark
tool multipart-abort it/aborted.bin big.bin $((5 * MIB)) 2
assert_eq "$RC" 0 "abort: $ERR"
assert_contains "$OUT" "aborted it/aborted.bin after 2 parts"
assert_eq "$(log_count 'e["op"] == "AbortMultipartUpload" and e["status"] == 204')" 1 "abort answered 204"
assert_eq "$(find "$S3_DIR/$S3_BUCKET/._S3rver_uploads" -mindepth 1 -maxdepth 1 | wc -l)" 0 \
	"no upload left behind"
assert_eq "$(s3 ls it/aborted.bin)" "" "no object after an abort"
all_verified "abort"

# ---- SIGTERM mid-upload: the transfer stops at once, the abort still runs
mark
faults '{"rules": [{"op": "UploadPart", "part": 2, "action": "hang", "seconds": 60}]}'
env S3_ENDPOINT="$S3_PROXY_ENDPOINT" S3_TIMEOUT_MS=20000 \
	"$S3_TOOL" multipart it/cancelled.bin big.bin $((5 * MIB)) 1 >cancel.out 2>cancel.err &
tool_pid=$!
for _ in $(seq 100); do
	[ "$(log_count 'e["op"] == "UploadPart" and e["part"] == 2')" -ge 1 ] && break
	sleep 0.1
done
t0=$(date +%s%N)
kill -TERM "$tool_pid"
rc=0
wait "$tool_pid" || rc=$?
took=$((($(date +%s%N) - t0) / 1000000))
faults ''
ERR=$(cat cancel.err)
ALL_OUT+="$(cat cancel.out)$ERR"
assert_eq "$rc" 1 "a cancelled upload fails"
assert_le "$took" 3000 "at once (${took} ms)"
assert_contains "$ERR" "UploadPart 2 of $S3_BUCKET/it/cancelled.bin: cancelled"
assert_contains "$(cat cancel.out)" "aborted it/cancelled.bin"
assert_eq "$(log_count 'e["op"] == "AbortMultipartUpload" and e["status"] == 204')" 1 \
	"the abort ran despite the cancel"
assert_eq "$(s3 ls it/cancelled.bin)" "" "no object after a cancel"

# ---- S3 going away mid-upload
mark
faults '{"rules": [{"op": "UploadPart", "part": 2, "action": "hang", "seconds": 60}]}'
env S3_ENDPOINT="$S3_PROXY_ENDPOINT" S3_TIMEOUT_MS=20000 S3_MAX_ATTEMPTS=3 \
	"$S3_TOOL" multipart it/gone.bin big.bin $((5 * MIB)) 1 >gone.out 2>gone.err &
tool_pid=$!
for _ in $(seq 100); do
	[ "$(log_count 'e["op"] == "UploadPart" and e["part"] == 2')" -ge 1 ] && break
	sleep 0.1
done
t0=$(date +%s%N)
stack_stop s3proxy
rc=0
wait "$tool_pid" || rc=$?
took=$((($(date +%s%N) - t0) / 1000000))
ERR=$(cat gone.err)
ALL_OUT+="$(cat gone.out)$ERR"
assert_eq "$rc" 1 "S3 going away fails the upload"
assert_le "$took" 5000 "and quickly (${took} ms)"
assert_match "$ERR" "s3_tool: UploadPart 2 of $S3_BUCKET/it/gone.bin: [^"$'\n'"]+\(after 3 attempts\)" "a clean one-line reason"
assert_contains "$ERR" "abort failed: AbortMultipartUpload"
assert_eq "$(s3 ls it/gone.bin)" "" "no object after S3 went away"

# ---- no secret anywhere
assert_no_secrets "$ALL_OUT" "s3_tool output"
assert_no_secrets "$(cat "$S3_PROXY_LOG")" "the proxy's request log"
finish
