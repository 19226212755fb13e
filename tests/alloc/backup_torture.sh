#!/usr/bin/env bash
# Allocation failures on the backup path, as curl's torture tests do it:
# `backup db` and `backup files`, each to file:// and to S3, run once to count
# the allocations opsdeck's own code makes (T), then again with allocation N
# failing (tests/alloc/alloc_fail.h), for N from 1 to T. For every N:
#   - no crash: no death by a signal, no hang, no sanitizer report;
#   - exit 0, or non-zero with a clear last line on stderr ("opsdeck: ...",
#     saying what failed, no "(null)");
#   - exit 0 only with a backup that `backup verify` accepts, and every
#     backup `backup list` calls complete verifies;
#   - nothing half-made: no .partial file, no manifest without its object.
#
# Sampling: trying every N of the four runs (~2,800 runs) takes about a
# quarter of an hour. Most allocations go through util/xalloc.h, which exits
# 70 and so needs no error path of its own; each run therefore tries the
# first allocation of every other site seen in the counting run, plus every
# Sth N of 1..T, S = ceil(T / ALLOC_TORTURE_RUNS) (default 20), from an offset
# in 1..S set by ALLOC_TORTURE_SEED (default: the day of the year, so that
# successive days cover other values). The values alternate between failing
# only the Nth allocation and failing it and every later one
# (OPSDECK_ALLOC_FAIL=N+). The log names the seed and every N tried, and a
# failure the command that reproduces it; ALLOC_TORTURE_RUNS=0 tries every N.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg,s3

TORTURE=${OPSDECK_ALLOC_FAIL_PROGRAM:-$(dirname "$OPSDECK")/tests/alloc/opsdeck-alloc-fail}
if [ ! -x "$TORTURE" ]; then
	fail "$TORTURE is missing: \`make check\` builds it (make tests/alloc/opsdeck-alloc-fail)"
	finish
fi
RUNS=${ALLOC_TORTURE_RUNS:-20}
SEED=${ALLOC_TORTURE_SEED:-$((10#$(date -u +%j)))}
echo "# seed $SEED (ALLOC_TORTURE_SEED); per run, every site outside xalloc.c once and every Sth N, S = ceil(T / $RUNS) (ALLOC_TORTURE_RUNS)"

src=$TEST_DIR/uploads
mkdir -p "$src/a/b" target
printf 'top\n' >"$src/top.txt"
printf 'deep\n' >"$src/a/b/deep.txt"
head -c 200000 /dev/urandom >"$src/a/random.bin"
: >"$src/empty"

# A run of the torture program; sets RC, ERR, OUT and FAILED_AT (the "fail"
# lines of the allocation log).
torture() { # FAIL VERB TARGET
	local fail=$1 verb=$2 target=$3 args
	args=(backup "$verb" --target "$target")
	[ "$verb" = db ] || args+=(--source "$src")
	rm -f alloc.log
	OPSDECK_ALLOC_FAIL=$fail OPSDECK_ALLOC_LOG=$TEST_DIR/alloc.log \
		run timeout -k 5 60 "$TORTURE" -c torture.conf "${args[@]}"
	FAILED_AT=$(grep '^fail' alloc.log 2>/dev/null | head -3 | tr '\n' ' ')
}

# What each run must leave behind, whatever N was.
check_outcome() { # WHAT TARGET
	local what=$1 target=$2 last key list keys k
	if [ "$RC" -ge 124 ]; then
		fail "$what: exit status $RC (a signal or a hang; allocation log: $FAILED_AT)"
		printf '%s\n' "$ERR" | tail -20 >&2
		return 1
	fi
	if printf '%s\n' "$ERR" | grep -qE 'Sanitizer|runtime error:|^==[0-9]+=='; then
		fail "$what: a sanitizer report (allocation log: $FAILED_AT)"
		printf '%s\n' "$ERR" | tail -40 >&2
		return 1
	fi
	if printf '%s\n%s\n' "$OUT" "$ERR" | grep -q '(null)'; then
		fail "$what: \"(null)\" in the output: $ERR"
		return 1
	fi
	if [ "$RC" -ne 0 ]; then
		# the reason, then (backup files) one "  failed: PATH: why" per file
		last=$(printf '%s\n' "$ERR" | grep . | grep -v '^  failed: [^ ].*[[:alnum:]]' | tail -1)
		if ! [[ $last =~ ^opsdeck:\ .*[[:alnum:]].*$ ]] || [[ $last =~ :\ *$ ]] ||
			[[ $last =~ ^opsdeck:\ backup\ (db|files):\ (starting|finishing|files): ]]; then
			fail "$what: exit $RC without a clear last line: '$last' (allocation log: $FAILED_AT)"
			return 1
		fi
	else
		# "backed up shop to URL/KEY: ..." or "backed up 4 files to URL/KEY/: ..."
		key=$(printf '%s\n' "$OUT" | sed -n 's/^backed up .* to \([^ ]*\): .*/\1/p' | head -1)
		key=${key%/}
		key=${key##*/}
		if [ -z "$key" ]; then
			fail "$what: exit 0 without naming the backup: $OUT"
			return 1
		fi
		run "$OPSDECK" -c torture.conf backup verify --target "$target" "$key"
		if [ "$RC" -ne 0 ]; then
			fail "$what: exit 0 but the backup does not verify: $OUT / $ERR"
			return 1
		fi
	fi
	# every backup listed complete verifies (the target holds this run's only)
	run "$OPSDECK" -c torture.conf backup list --json --target "$target"
	if [ "$RC" -ne 0 ]; then
		fail "$what: backup list failed: $ERR"
		return 1
	fi
	list=$OUT
	[[ $list == *'"complete": true'* ]] || return 0
	keys=$(json_get "$list" 'd["backups"] and "\n".join(b["key"] for b in d["backups"] if b["complete"]) or ""')
	for k in $keys; do
		run "$OPSDECK" -c torture.conf backup verify --target "$target" "$k"
		if [ "$RC" -ne 0 ]; then
			fail "$what: $k is listed complete but does not verify: $OUT $ERR"
			return 1
		fi
	done
	return 0
}

# file://: no .partial; every database manifest has its object, every
# files manifest only keys that exist.
check_file_target() { # WHAT DIR
	local what=$1 dir=$2 partial m obj
	partial=$(find "$dir" -name '*.partial' | head -3)
	if [ -n "$partial" ]; then
		fail "$what: half-written files left: $partial (allocation log: $FAILED_AT)"
		return 1
	fi
	for m in "$dir"/*.sql.gz.json; do
		[ -e "$m" ] || continue
		obj=${m%.json}
		[ -f "$obj" ] || { fail "$what: a manifest without its object: $m"; return 1; }
	done
	for m in "$dir"/*.files.json; do
		[ -e "$m" ] || continue
		for obj in $(json_get "$(cat "$m")" 'd["files"] and "\n".join(f["key"] for f in d["files"]) or ""'); do
			[ -f "$dir/$obj" ] || { fail "$what: $m names a missing $obj"; return 1; }
		done
	done
	return 0
}

# The values of N to try, from the counting run's log (alloc.log): the first
# allocation of every site outside xalloc.c (each has its own error path),
# and every Sth N of 1..T (mostly xalloc.c: exit 70).
sample() { # T
	local total=$1 step=1 n
	if [ "$RUNS" -gt 0 ] && [ "$total" -gt "$RUNS" ]; then
		step=$(((total + RUNS - 1) / RUNS))
	fi
	{
		for ((n = 1 + SEED % step; n <= total; n += step)); do
			echo "$n"
		done
		if [ "$RUNS" -gt 0 ]; then
			awk '$1 == "alloc" && $3 !~ /^src\/util\/xalloc\.c:/ {
				if (!($3 in first)) first[$3] = $2 }
				END { for (s in first) print first[s] }' alloc.log
		fi
	} | sort -n -u
}

scenario() { # VERB SCHEME
	local verb=$1 scheme=$2 total n i=0 bad=0 tried=() base target what mode start=$SECONDS
	case $scheme in
	file) base=file://$TEST_DIR/target ;;
	s3) base=s3://$S3_BUCKET/alloc-torture-$$ ;;
	esac
	bk_config torture.conf "$base"

	# the counting run: nothing fails
	target=$base
	[ "$scheme" = file ] || target=$base/count-$verb
	torture 0 "$verb" "$target"
	total=$(sed -n 's/^total //p' alloc.log 2>/dev/null | tail -1)
	if [ "$RC" -ne 0 ] || [ -z "$total" ]; then
		fail "backup $verb to $scheme without failures: exit $RC, $ERR"
		return
	fi
	check_outcome "backup $verb to $scheme, nothing failing" "$target" || return
	[ "$scheme" = file ] && rm -rf "${TEST_DIR:?}"/target/*
	sample "$total" >sample.txt

	for n in $(cat sample.txt); do
		mode=$n
		((i++ % 2)) && mode=$n+
		tried+=("$mode")
		target=$base
		[ "$scheme" = file ] || target=$base/$verb-$n
		what="backup $verb to $scheme, OPSDECK_ALLOC_FAIL=$mode"
		torture "$mode" "$verb" "$target"
		if ! check_outcome "$what" "$target" ||
			{ [ "$scheme" = file ] && ! check_file_target "$what" "$TEST_DIR/target"; }; then
			echo "# reproduce: OPSDECK_ALLOC_FAIL=$mode OPSDECK_ALLOC_LOG=/dev/stderr $TORTURE -c CONF backup $verb --target $scheme://..." >&2
			bad=$((bad + 1))
		fi
		[ "$scheme" = file ] && rm -rf "${TEST_DIR:?}"/target/*
	done
	echo "# backup $verb to $scheme: $total allocations, $((SECONDS - start)) s, tried N = ${tried[*]}"
	assert_eq "$bad" 0 "backup $verb to $scheme: values of N that broke a promise (of ${#tried[@]} tried)"
}

scenario db file
scenario files file
scenario db s3
scenario files s3

# S3: no manifest without its object, over every prefix used above
keys=$(bk_s3_keys "alloc-torture-$$/")
orphans=0
while read -r k; do
	case $k in
	*.sql.gz.json | *.dump.gz.json)
		printf '%s\n' "$keys" | grep -qxF -- "${k%.json}" ||
			{ fail "S3: a manifest without its object: $k"; orphans=$((orphans + 1)); } ;;
	esac
done <<<"$keys"
assert_eq "$orphans" 0 "S3 manifests without their object"
finish
