#!/usr/bin/env bash
# `make install DESTDIR=...` brings the whole tool: the program, both manual
# pages, the themes, the example configuration, the systemd units (hardened,
# accepted by systemd-analyze verify, no shell), logrotate for the audit log
# and the bash completion; an edited logrotate file is never overwritten.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
require_cmd systemd-analyze

builddir=$(dirname "$OPSDECK")
dest=$PWD/root
install_into() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$builddir" install DESTDIR="$1" >install.log 2>&1
}
if install_into "$dest"; then pass "make install DESTDIR"; else
	fail "make install DESTDIR"
	cat install.log >&2
	finish
fi
prefix=$(sed -n 's/^prefix = //p' "$builddir/Makefile")
sysconfdir=$(sed -n 's/^sysconfdir = //p' "$builddir/Makefile")
sysconfdir=${sysconfdir//\$\{prefix\}/$prefix}
unitdir=$(sed -n 's/^systemdsystemunitdir = //p' "$builddir/Makefile")
unitdir=${unitdir//\$\{prefix\}/$prefix}
compdir=$(sed -n 's/^bashcompletiondir = //p' "$builddir/Makefile")
compdir=${compdir//\$\{datadir\}/$prefix/share}

for f in "$prefix/bin/opsdeck" \
	"$prefix/share/man/man1/opsdeck.1" "$prefix/share/man/man5/opsdeck.conf.5" \
	"$prefix/share/opsdeck/themes/default.theme" "$prefix/share/opsdeck/themes/mono.theme" \
	"$prefix/share/doc/opsdeck/opsdeck.conf.example" \
	"$unitdir/opsdeck-backup.service" "$unitdir/opsdeck-backup.timer" \
	"$unitdir/opsdeck-record.service" "$unitdir/opsdeck-exporter.service" \
	"$sysconfdir/logrotate.d/opsdeck" "$compdir/opsdeck"; do
	if [ -f "$dest$f" ]; then pass "installed $f"; else fail "missing $f"; fi
done
assert_exit 0 "$dest$prefix/bin/opsdeck" --version
assert_match "$OUT" '^opsdeck [0-9]' "the installed program runs"

# ------------------------------------------------------------ units
service=$dest$unitdir/opsdeck-backup.service
timer=$dest$unitdir/opsdeck-backup.timer
recorder=$dest$unitdir/opsdeck-record.service
exporter=$dest$unitdir/opsdeck-exporter.service
svc=$(cat "$service")
assert_contains "$svc" "ExecStart=$prefix/bin/opsdeck " "ExecStart names the installed program"
assert_not_contains "$svc" "@bindir@" "no placeholder left"
for key in NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes User=opsdeck \
	LogsDirectoryMode=0700 StateDirectoryMode=0700 UMask=0077 CapabilityBoundingSet=; do
	if grep -qxF "$key" "$service"; then pass "service: $key"; else fail "service: no $key"; fi
done
assert_not_contains "$(grep '^Exec' "$service")" "sh -c" "no shell in the unit"
assert_match "$(grep '^ExecStart=' "$service")" '^ExecStart=/' "ExecStart is an absolute argv"
rec=$(cat "$recorder")
assert_contains "$rec" "ExecStart=$prefix/bin/opsdeck " "the recorder's ExecStart names the program"
assert_contains "$rec" " record" "... and runs record"
for key in Type=simple ExecReload=/bin/kill\ -HUP\ \$MAINPID User=opsdeck StateDirectoryMode=0700 \
	UMask=0077 NoNewPrivileges=yes ProtectSystem=strict CapabilityBoundingSet=; do
	if grep -qxF "$key" "$recorder"; then pass "recorder: $key"; else fail "recorder: no $key"; fi
done
assert_contains "$(cat "$exporter")" "ExecStart=$prefix/bin/opsdeck " "the exporter's ExecStart names the program"
assert_match "$(grep '^ExecStart=' "$exporter")" ' exporter$' "... and runs exporter"
for key in Type=simple ExecReload=/bin/kill\ -HUP\ \$MAINPID User=opsdeck UMask=0077 \
	NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes CapabilityBoundingSet=; do
	if grep -qxF "$key" "$exporter"; then pass "exporter: $key"; else fail "exporter: no $key"; fi
done
for key in OnCalendar=daily Persistent=true RandomizedDelaySec=1h WantedBy=timers.target; do
	if grep -qxF "$key" "$timer"; then pass "timer: $key"; else fail "timer: no $key"; fi
done
# systemd-analyze verify inside the installed tree: the units resolve, the
# program exists at ExecStart, no key is unknown (an unknown key is only a
# warning, so any output at all fails). The default targets come from the host.
# The units are verified from /etc/systemd/system of the tree, a directory
# systemd searches whatever the prefix (make distcheck's is a temp dir).
mkdir -p "$dest/usr/lib/systemd/system" "$dest/etc/systemd/system"
cp -P /lib/systemd/system/*.target "$dest/usr/lib/systemd/system/" 2>/dev/null || true
# the recorder's ExecReload= runs the host's kill(1), which the tree lacks
mkdir -p "$dest/bin" && cp /bin/kill "$dest/bin/kill"
cp "$service" "$timer" "$recorder" "$exporter" "$dest/etc/systemd/system/"
run systemd-analyze --root="$dest" verify --man=no "$dest/etc/systemd/system/${service##*/}" \
	"$dest/etc/systemd/system/${timer##*/}" "$dest/etc/systemd/system/${recorder##*/}" \
	"$dest/etc/systemd/system/${exporter##*/}"
assert_eq "$RC" 0 "systemd-analyze verify exit status"
assert_eq "$OUT$ERR" "" "systemd-analyze verify says nothing"

# ------------------------------------------------------------ logrotate
rot=$(cat "$dest$sysconfdir/logrotate.d/opsdeck")
assert_contains "$rot" "/var/log/opsdeck/audit.jsonl" "logrotate: the audit log"
assert_contains "$rot" "create 0600 opsdeck opsdeck" "logrotate: a new log is 0600"
if command -v logrotate >/dev/null; then
	# The opsdeck user exists once the package is installed (deb.sh checks
	# that case); here the syntax is checked with the user running the test.
	me="$(id -un) $(id -gn)"
	sed "s/opsdeck opsdeck/$me/" "$dest$sysconfdir/logrotate.d/opsdeck" >logrotate.conf
	run logrotate --debug --state "$PWD/logrotate.state" logrotate.conf
	assert_eq "$RC" 0 "logrotate accepts the file"
	assert_not_contains "$ERR" "error:" "logrotate finds no error"
fi

# ------------------------------------------------------------ edited files
# A second install keeps an edited logrotate file and puts ours beside it.
echo "# edited by the admin" >>"$dest$sysconfdir/logrotate.d/opsdeck"
if install_into "$dest"; then pass "make install over an installed tree"; else
	fail "make install over an installed tree"
	cat install.log >&2
fi
assert_contains "$(cat "$dest$sysconfdir/logrotate.d/opsdeck")" "edited by the admin" \
	"an edited logrotate file is kept"
if [ -f "$dest$sysconfdir/logrotate.d/opsdeck.dist" ]; then
	pass "the new logrotate file is beside it"
else
	fail "no $sysconfdir/logrotate.d/opsdeck.dist"
fi
finish
