#!/usr/bin/env bash
# Every C file of src/, tests/ and bench/ is as .clang-format lays it out
# (scripts/format --check; `make format` rewrites them).
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
require_cmd clang-format

run "$OPSDECK_SRCDIR/scripts/format" --check "$OPSDECK_SRCDIR"
assert_eq "$OUT" "" "files that differ from .clang-format"
assert_eq "$RC" 0 "scripts/format's exit status"
# It really looked: a wrong directory would check nothing and pass.
nfiles=$(cd "$OPSDECK_SRCDIR" && find src tests -name '*.[ch]' -type f | grep -c .)
[ "$nfiles" -gt 100 ] || fail "only $nfiles C files under $OPSDECK_SRCDIR"
finish
