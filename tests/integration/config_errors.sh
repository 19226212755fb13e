#!/usr/bin/env bash
# Configuration mistakes give one line naming the file and line, exit 2;
# a file holding a secret readable by others is refused; a FIFO is refused
# without waiting on it; what an error or status quotes back holds no
# control byte.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"

# expect_error FILE_CONTENT NEEDLE: status exits 2 with one line that names
# conf:LINE and contains NEEDLE.
expect_error() {
	printf '%b' "$1" > bad.conf
	chmod 600 bad.conf
	local err rc=0
	err=$("$OPSDECK" -c bad.conf status 2>&1 >/dev/null) || rc=$?
	assert_eq "$rc" 2 "exit 2 for: $2"
	assert_contains "$err" "bad.conf:$3:"
	assert_contains "$err" "$2"
	assert_eq "$(printf '%s\n' "$err" | wc -l)" 1 "one line for: $2"
}

expect_error '[app]\ntiemout = 3s\n' "tiemout" 2
expect_error '[app]\n\n[databse]\nurl = x\n' "databse" 3
expect_error '[app]\ntimeout = 3x\n' "3x" 2
expect_error '[thresholds]\nerror_rate = lots\n' "lots" 2
expect_error '[app]\nname = "shop\n' "quote" 2
expect_error '[database]\nurl = mysql://app@db/shop\n' "url" 2
expect_error '[redis]\nurl = redis://127.0.0.1:99999/0\n' "port" 2
expect_error '[ui]\ninterval = 10ms\n' "interval" 2

err=$("$OPSDECK" -c "$PWD/missing.conf" status 2>&1 >/dev/null) && rc=0 || rc=$?
assert_eq "$rc" 2 "a missing -c file is an error"
assert_contains "$err" "missing.conf"

# A literal password in a file others can read: refused, then accepted at 0600.
printf '[database]\nurl = postgresql://app:S3cretPw@127.0.0.1:1/shop\n[app]\ntimeout = 1s\n' > secret.conf
chmod 644 secret.conf
err=$("$OPSDECK" -c secret.conf status 2>&1 >/dev/null) && rc=0 || rc=$?
assert_eq "$rc" 2 "group/other-readable secret refused"
assert_contains "$err" "chmod 600"
assert_not_contains "$err" "S3cretPw"
chmod 600 secret.conf
assert_exit 0 "$OPSDECK" -c secret.conf status
# The same for a password given as a query parameter.
printf '[database]\nurl = postgresql://app@127.0.0.1:1/shop?password=QueryPw123\n' > query.conf
chmod 644 query.conf
err=$("$OPSDECK" -c query.conf status 2>&1 >/dev/null) && rc=0 || rc=$?
assert_eq "$rc" 2 "a ?password= in a group/other-readable file is refused"
assert_not_contains "$err" "QueryPw123"
# Without a literal secret the mode does not matter.
printf '[app]\nname = shop\n' > plain.conf
chmod 644 plain.conf
assert_exit 0 "$OPSDECK" -c plain.conf status

# A FIFO where the file should be (as -c, in the search path, as env_file):
# refused at once, not waited on forever, also under check.
mkfifo fifo.conf app.env.fifo
elapsed_ms timeout 10 "$OPSDECK" -c fifo.conf status >/dev/null
assert_eq "$RC" 2 "a FIFO as -c: exit 2"
assert_contains "$ERR" "fifo.conf: not a regular file"
assert_lt "$ELAPSED_MS" 5000 "a FIFO as -c: refused at once (ms)"
elapsed_ms timeout 10 "$OPSDECK" -c fifo.conf check >/dev/null
assert_eq "$RC" 3 "a FIFO as -c under check: UNKNOWN"
assert_contains "$OUT" "fifo.conf: not a regular file"
assert_lt "$ELAPSED_MS" 5000 "a FIFO under check: refused at once (ms)"
mkdir -p xdg/opsdeck
mkfifo xdg/opsdeck/opsdeck.conf
elapsed_ms env XDG_CONFIG_HOME="$PWD/xdg" timeout 10 "$OPSDECK" status >/dev/null
assert_eq "$RC" 2 "a FIFO in the search path: exit 2"
assert_contains "$ERR" "xdg/opsdeck/opsdeck.conf: not a regular file"
assert_lt "$ELAPSED_MS" 5000 "a FIFO in the search path: refused at once (ms)"
printf '[app]\nenv_file = %s\n' "$PWD/app.env.fifo" >fifo-env.conf
chmod 600 fifo-env.conf
elapsed_ms timeout 10 "$OPSDECK" -c fifo-env.conf status >/dev/null
assert_eq "$RC" 2 "a FIFO as env_file: exit 2"
assert_contains "$ERR" "fifo-env.conf:2: env_file $PWD/app.env.fifo: not a regular file"
assert_lt "$ELAPSED_MS" 5000 "a FIFO as env_file: refused at once (ms)"

# Hostile bytes quoted back: the error for a bad section name, and text
# status showing a URL, carry no control, C0 or C1 (U+0080..U+009F, as
# UTF-8 or as a raw byte), and no invalid UTF-8.
assert_harmless() { # FILE WHAT
	local why
	if why=$("$_LIB_PY" - "$1" 2>&1 <<'EOF'
import sys
data = open(sys.argv[1], "rb").read()
try:
    text = data.decode("utf-8")
except UnicodeDecodeError as exc:
    sys.exit("invalid UTF-8 at byte %d: %r" % (exc.start, data[exc.start:exc.start + 8]))
for i, c in enumerate(text):
    if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f:
        sys.exit("U+%04X at %d: %r" % (ord(c), i, text[max(0, i - 20):i + 20]))
EOF
	); then
		pass "$2: no control byte, valid UTF-8"
	else
		fail "$2: $why"
	fi
}
printf '[app\xc2\x9b\x9b\xc2\x85\xff]\nname = x\n' >c1.conf
chmod 600 c1.conf
"$OPSDECK" -c c1.conf status >c1.out 2>c1.err && rc=0 || rc=$?
assert_eq "$rc" 2 "a bad section name: exit 2"
assert_contains "$(cat c1.err)" "c1.conf:1: invalid section name [app????]"
assert_harmless c1.err "the error for a bad section name"
printf '[app]\nhealth_url =\nversion_url =\ntimeout = 1s\n' >c1-status.conf
chmod 600 c1-status.conf
DATABASE_URL=$'postgresql://app@127.0.0.1:1/sh\xc2\x9b31m\x9bop' \
	REDIS_URL= "$OPSDECK" -c c1-status.conf status >status.out 2>&1 || true
assert_contains "$(cat status.out)" "postgresql://app@127.0.0.1:1/sh?31m?op" "the database URL is shown"
assert_harmless status.out "text status with C1 bytes in the URLs"

# Usage errors.
assert_exit 2 "$OPSDECK" frobnicate
assert_exit 2 "$OPSDECK" status --json --prometheus
assert_exit 2 "$OPSDECK" --interval 1x status
assert_exit 0 "$OPSDECK" --help
assert_contains "$("$OPSDECK" --version)" "opsdeck "
finish
