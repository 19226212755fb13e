#!/usr/bin/env bash
# The layers read top-down: a file in src/<dir>/ includes headers of its own
# directory and of the directories Makefile.am includes before it (the
# `include src/<dir>/local.mk` lines are the order, doc/hacking.md the
# picture), never of one after it. main.c may include anything. A directory
# missing from Makefile.am is a failure, so a new one cannot go unranked.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"

cd "$OPSDECK_SRCDIR" || exit 1
mapfile -t order < <(sed -n 's|^include src/\([a-z0-9_]*\)/local\.mk$|\1|p' Makefile.am)
[ "${#order[@]}" -ge 5 ] || fail "found only ${#order[@]} layers in Makefile.am"
declare -A rank
for i in "${!order[@]}"; do
	rank[${order[$i]}]=$i
done

checked=0
violations=()
while IFS= read -r file; do
	dir=${file#src/}
	dir=${dir%%/*}
	if [ -z "${rank[$dir]+set}" ]; then
		violations+=("$file: src/$dir/ has no include line in Makefile.am")
		continue
	fi
	while IFS= read -r line; do
		inc=${line#*:}
		lineno=${line%%:*}
		target=$(printf '%s\n' "$inc" | sed -n 's|^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([a-z0-9_]*\)/.*|\1|p')
		[ -n "$target" ] || continue
		if [ -z "${rank[$target]+set}" ]; then
			violations+=("$file:$lineno: includes from src/$target/, which is not a layer")
		elif [ "${rank[$target]}" -gt "${rank[$dir]}" ]; then
			violations+=("$file:$lineno: $dir/ includes $target/, a layer above it")
		fi
	done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$file" || true)
	checked=$((checked + 1))
done < <(find src -mindepth 2 -name '*.[ch]' -type f | LC_ALL=C sort)

assert_eq "$(printf '%s\n' "${violations[@]}")" "" "includes that point up a layer"
[ "$checked" -gt 100 ] || fail "checked only $checked files"
finish
