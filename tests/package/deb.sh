#!/usr/bin/env bash
# tests/package/deb.sh TARBALL - the Debian package, end to end: build it
# with dpkg-buildpackage from the dist tarball, check it with lintian (no
# error), install it on this machine with dpkg -i, use the installed files
# over an audit log root's opsdeck wrote before (kept, handed to the opsdeck
# user), use the installed files (opsdeck --version, status --json against
# the test stack, the units, the logrotate file, the completion, the system
# user and its 0700 directories), reinstall it over an edited configuration,
# and purge it.
#
# It changes the machine it runs on (a package, a system user), so it is run
# by scripts/test on CI's throwaway machine, not by `make check`; it refuses
# to run where an opsdeck package is already installed.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
tarball=${1:?usage: tests/package/deb.sh TARBALL}
unset LOGS_DIRECTORY STATE_DIRECTORY # the machine's own paths are under test
require_cmd dpkg-buildpackage dh lintian systemd-analyze
[ "$(id -u)" -eq 0 ] || skip "dpkg -i needs root"
if dpkg-query -W -f '${Status}' opsdeck 2>/dev/null | grep -q installed; then
	fail "an opsdeck package is already installed here; this test would replace it"
	finish
fi

tar -xzf "$tarball"
src=$(find . -maxdepth 1 -type d -name 'opsdeck-*' | head -n 1)
run bash -c "cd '$src' && dpkg-buildpackage -us -uc -b"
assert_eq "$RC" 0 "dpkg-buildpackage -us -uc -b"
[ "$RC" -eq 0 ] || { tail -n 40 <<<"$OUT$ERR" >&2; finish; }
deb=$(ls opsdeck_*.deb)
changes=$(ls opsdeck_*.changes)

run lintian --fail-on error "$changes"
assert_eq "$RC" 0 "lintian reports no error"
assert_not_contains "$OUT" "E: " "no lintian error tag"
printf '%s\n' "$OUT" >&2

depends=$(dpkg-deb -f "$deb" Depends)
for lib in libpq5 libhiredis libcurl4 libjson-c5 libncursesw6 zlib1g adduser; do
	assert_contains "$depends" "$lib" "Depends computed: $lib"
done

# root's opsdeck was used before the package: its audit log is root's.
stack_use pg,redis,app
if [ -e /var/log/opsdeck ]; then
	fail "/var/log/opsdeck exists here; this test would take it over"
	finish
fi
on_exit rm -rf /var/log/opsdeck
{
	stack_config "[database]" "url = $DATABASE_URL"
	printf '\n[backup]\ntarget = file://%s/early-backups\n' "$PWD"
} | write_config early.conf
assert_exit 0 "$OPSDECK" -c early.conf backup db
assert_eq "$(stat -c '%a %U' /var/log/opsdeck/audit.jsonl)" "600 root" "root's opsdeck made its audit log"

on_exit dpkg --purge opsdeck
run dpkg -i "$deb"
assert_eq "$RC" 0 "dpkg -i"
[ "$RC" -eq 0 ] || { printf '%s\n' "$OUT$ERR" >&2; finish; }

version=${src#./opsdeck-}
assert_exit 0 /usr/bin/opsdeck --version
assert_eq "$OUT" "opsdeck $version" "the installed opsdeck runs"
assert_exit 0 getent passwd opsdeck
for dir in /var/log/opsdeck /var/lib/opsdeck; do
	assert_eq "$(stat -c '%a %U' "$dir")" "700 opsdeck" "$dir is 0700, owned by opsdeck"
done
assert_exit 0 test -L /etc/systemd/system/timers.target.wants/opsdeck-backup.timer
run systemd-analyze verify /lib/systemd/system/opsdeck-backup.service \
	/lib/systemd/system/opsdeck-backup.timer
assert_eq "$RC" 0 "systemd-analyze verify of the installed units"
assert_eq "$OUT$ERR" "" "systemd-analyze verify says nothing"
run logrotate --debug --state "$PWD/logrotate.state" /etc/logrotate.d/opsdeck
assert_eq "$RC" 0 "logrotate accepts /etc/logrotate.d/opsdeck"
assert_not_contains "$ERR" "error:" "logrotate finds no error"
for f in /usr/share/man/man1/opsdeck.1.gz /usr/share/man/man5/opsdeck.conf.5.gz \
	/usr/share/opsdeck/themes/default.theme /usr/share/bash-completion/completions/opsdeck \
	/usr/share/doc/opsdeck/opsdeck.conf.example.gz; do
	assert_exit 0 test -f "$f"
done
# The installed completion finds the installed themes.
run bash -c '. /usr/share/bash-completion/bash_completion &&
	. /usr/share/bash-completion/completions/opsdeck &&
	COMP_WORDS=(opsdeck --theme h) COMP_CWORD=2 COMP_LINE="opsdeck --theme h" COMP_POINT=17 &&
	_opsdeck opsdeck h --theme &&
	printf "%s\n" "${COMPREPLY[@]}"'
assert_eq "$OUT" "high-contrast" "the completion offers the installed themes"

# The installed program against the test stack.
write_stack_config opsdeck.conf "timeout = 3s"
run /usr/bin/opsdeck -c opsdeck.conf status --json
assert_json "$OUT" "status --json from the installed program"
assert_eq "$(json_get "$OUT" checks.database.state)" ok "the installed program sees the database"
assert_no_secrets "$OUT$ERR"

# What opsdeck-backup.service runs, as the unit runs it: the opsdeck user,
# systemd's LOGS_DIRECTORY and STATE_DIRECTORY, the configuration in /etc.
install -d -m 0755 /etc/opsdeck
{
	stack_config "[database]" "url = $DATABASE_URL"
	printf '\n[backup]\ntarget = file:///var/lib/opsdeck/test-backups\n'
} >/etc/opsdeck/opsdeck.conf
chown opsdeck:opsdeck /etc/opsdeck/opsdeck.conf
chmod 0600 /etc/opsdeck/opsdeck.conf
exec_start=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/opsdeck-backup.service)
read -ra argv <<<"$exec_start"
run setpriv --reuid=opsdeck --regid=opsdeck --clear-groups \
	env HOME=/var/lib/opsdeck LOGS_DIRECTORY=/var/log/opsdeck STATE_DIRECTORY=/var/lib/opsdeck \
	"${argv[@]}"
assert_eq "$RC" 0 "the unit's command backs up as the opsdeck user"
[ "$RC" -eq 0 ] || printf '%s\n' "$ERR" >&2
assert_eq "$(grep -c '"action":"backup-db"' /var/log/opsdeck/audit.jsonl)" 4 \
	"its attempt and outcome follow root's earlier ones in /var/log/opsdeck/audit.jsonl"
assert_eq "$(stat -c '%a %U' /var/log/opsdeck/audit.jsonl)" "600 opsdeck" "the audit log is 0600, opsdeck's"
# root's own opsdeck appends to the same log
assert_exit 0 /usr/bin/opsdeck -c /etc/opsdeck/opsdeck.conf audit --path
assert_eq "$OUT" /var/log/opsdeck/audit.jsonl "root uses the same audit log"
rm -f /etc/opsdeck/opsdeck.conf

# A reinstall keeps an edited configuration and an edited logrotate file.
printf '[app]\nname = edited\n' >/etc/opsdeck/opsdeck.conf
chmod 0600 /etc/opsdeck/opsdeck.conf
echo "# edited" >>/etc/logrotate.d/opsdeck
run dpkg -i "$deb"
assert_eq "$RC" 0 "dpkg -i again"
assert_eq "$(cat /etc/opsdeck/opsdeck.conf)" "$(printf '[app]\nname = edited')" \
	"the edited opsdeck.conf is kept"
assert_contains "$(cat /etc/logrotate.d/opsdeck)" "# edited" "the edited logrotate file is kept"
rm -f /etc/opsdeck/opsdeck.conf

run dpkg --purge opsdeck
assert_eq "$RC" 0 "dpkg --purge"
for f in /usr/bin/opsdeck /lib/systemd/system/opsdeck-backup.timer /var/lib/opsdeck \
	/etc/logrotate.d/opsdeck /etc/systemd/system/timers.target.wants/opsdeck-backup.timer; do
	assert_exit 1 test -e "$f"
done
finish
