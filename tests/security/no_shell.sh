#!/usr/bin/env bash
# opsdeck never runs a program through a shell: no system(), popen(),
# wordexp() or exec*() of "sh -c" in the sources, none of those symbols in
# the built program, and every child started from src/util/spawn.c.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
require_cmd nm

SRC=$OPSDECK_SRCDIR/src
# C sources and headers, comments stripped, so a comment that names a
# forbidden call does not count and a call hidden after one still does.
strip_comments() {
	"$_LIB_PY" - "$1" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
# keep string literals (an "sh" argument is what we look for), drop comments
pattern = re.compile(r'("(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\')|/\*.*?\*/|//[^\n]*', re.S)
sys.stdout.write(pattern.sub(lambda m: m.group(1) or re.sub(r"[^\n]", " ", m.group(0)), text))
PY
}

# grep_sources REGEX: file:line of every match, comments excluded.
grep_sources() {
	local f
	while IFS= read -r f; do
		strip_comments "$f" | grep -nE "$1" | sed "s|^|${f#"$OPSDECK_SRCDIR"/}:|"
	done < <(find "$SRC" -name '*.[ch]' | sort)
}

nfiles=$(find "$SRC" -name '*.[ch]' | wc -l)
assert_gt "$nfiles" 50 "C files under src/"

hits=$(grep_sources '(^|[^A-Za-z0-9_])(system|popen|wordexp|execl|execlp|execle|execv|execvp|execvpe|execve|fexecve)[[:space:]]*\(')
assert_eq "$hits" "" "calls of system, popen, wordexp or exec* in src/"
hits=$(grep_sources '"(/bin/|/usr/bin/)?(ba|da|z|k)?sh"|"-c"')
assert_eq "$hits" "" "a shell or its -c option named in src/"

# Every process is started in one place: posix_spawn, fork and friends
# appear only in src/util/spawn.c.
hits=$(grep_sources '(^|[^A-Za-z0-9_])(posix_spawnp?|fork|vfork|clone|daemon)[[:space:]]*\(' |
	grep -v '^src/util/spawn\.c:')
assert_eq "$hits" "" "processes started outside src/util/spawn.c"
assert_ne "$(grep_sources 'posix_spawnp?[[:space:]]*\(' | grep '^src/util/spawn\.c:')" "" \
	"src/util/spawn.c starts processes with posix_spawn"

# The program as built: the symbols it takes from libc.
[ -x "$OPSDECK" ] || {
	fail "$OPSDECK is not built"
	finish
}
undefined=$(nm -u -D "$OPSDECK" 2>/dev/null || nm -u "$OPSDECK")
assert_contains "$undefined" "posix_spawn" "the program's undefined symbols"
for sym in system popen wordexp execl execlp execle execv execvp execvpe execve fork vfork; do
	if printf '%s\n' "$undefined" | grep -qE "[[:space:]]$sym(@|$)"; then
		fail "$OPSDECK imports $sym"
	else
		pass "$OPSDECK does not import $sym"
	fi
done

# And at run time: restart_command with shell syntax reaches the program as
# plain words. A stand-in restart command records its argv; a shell would
# have expanded $HOME, run the ; and created the redirect's file.
mkdir bin
cat >bin/record-argv <<'SH'
#!/bin/sh
for a in "$@"; do printf '<%s>\n' "$a"; done >"$RECORD_FILE"
SH
chmod 755 bin/record-argv
export RECORD_FILE=$PWD/argv.txt
write_config shell.conf <<CONF
[app]
health_url =
version_url =
[database]
url =
[redis]
url =
[recovery]
restart_command = $PWD/bin/record-argv \$HOME ';' touch pwned.txt '>' redirected.txt
audit_log = $PWD/audit.jsonl
CONF
assert_exit 0 "$OPSDECK" -c shell.conf recover restart-app --yes
assert_eq "$(cat argv.txt 2>/dev/null)" "$(printf '<$HOME>\n<;>\n<touch>\n<pwned.txt>\n<>>\n<redirected.txt>')" \
	"the command's words, unexpanded"
assert_eq "$(ls pwned.txt redirected.txt 2>/dev/null)" "" "no file made by shell syntax"
finish
