#!/usr/bin/env bash
# cppcheck over src/: no warning, portability or performance finding. A false
# positive is suppressed where it occurs (/* cppcheck-suppress ID */ on the
# line before, with a comment saying why), never here.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
require_cmd cppcheck

# config.h comes from configure, in the build tree (beside the program);
# the compiler gets it through -include, so cppcheck gets it through --include.
builddir=$(dirname "$OPSDECK")
[ -f "$builddir/config.h" ] || skip "no config.h in $builddir (run configure first)"

sources=$(cd "$OPSDECK_SRCDIR" && find src -name '*.c' | sort)
nsources=$(printf '%s\n' "$sources" | grep -c .)

cd "$OPSDECK_SRCDIR" || exit 1
run cppcheck --error-exitcode=1 --enable=warning,portability,performance --inline-suppr \
	--std=c11 --include="$builddir/config.h" -I "$builddir" -I src \
	--template='{file}:{line}: {severity}: {message} [{id}]' src
assert_eq "$RC" 0 "cppcheck's exit status"
assert_eq "$ERR" "" "cppcheck's findings"
# It really looked at every file (a wrong path would check nothing and pass).
checked=$(printf '%s\n' "$OUT" | grep -c '^Checking src/.*\.c \.\.\.$' || true)
assert_eq "$checked" "$nsources" "source files checked"
finish
