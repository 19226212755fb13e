#!/bin/sh
# smoke.sh - runs each libFuzzer target briefly (make fuzz-smoke).
#
# usage: smoke.sh SRCDIR BUILDDIR NAME...
# Each tests/fuzz/fuzz_NAME runs for $FUZZ_SECONDS (default 10) seconds
# from seed $FUZZ_SEED (default 1),
# one job, at most 512 MB, 10 s per input, on a scratch copy of
# SRCDIR/tests/fuzz/corpus/NAME under BUILDDIR/tests/fuzz/smoke/NAME (new
# inputs it finds never land in the source tree), with NAME.dict when there
# is one. Exits 1 if any target crashed, leaked, timed out or broke an
# invariant, after printing where its reproducer is.
set -u
srcdir=$1
builddir=$2
shift 2
seconds=${FUZZ_SECONDS:-10}
# A fixed seed makes a run repeatable: the same inputs come in the same
# order, so a CI gate does not turn red by luck. Fuzz by hand (or set
# FUZZ_SEED=0, a random seed) to look for new findings.
seed=${FUZZ_SEED:-1}
case $seconds in
'' | *[!0-9]*) echo "FUZZ_SECONDS must be a number of seconds, not '$seconds'" >&2; exit 2 ;;
esac

failed=""
for name in "$@"; do
	program=$builddir/tests/fuzz/fuzz_$name
	scratch=$builddir/tests/fuzz/smoke/$name
	rm -rf "$scratch"
	mkdir -p "$scratch/corpus" "$scratch/artifacts" || exit 2
	cp "$srcdir/tests/fuzz/corpus/$name/"* "$scratch/corpus/" || exit 2
	set -- -max_total_time="$seconds" -seed="$seed" -rss_limit_mb=512 -timeout=10 -jobs=1 -workers=1 \
		-print_final_stats=1 -artifact_prefix="$scratch/artifacts/"
	if test -f "$srcdir/tests/fuzz/$name.dict"; then
		set -- "$@" -dict="$srcdir/tests/fuzz/$name.dict"
	fi
	printf '%-14s ' "$name"
	if "$program" "$@" "$scratch/corpus" >"$scratch/log" 2>&1; then
		stats=$(grep -E '^(stat::number_of_executed_units|#[0-9]+.*DONE)' "$scratch/log" | tail -1)
		echo "ok  ${stats:-}"
	else
		echo "FAILED (log: $scratch/log)"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*invariant failed|artifact_prefix|Test unit written to)' \
			"$scratch/log" | sed 's/^/    /'
		for artifact in "$scratch/artifacts/"*; do
			test -e "$artifact" && echo "    reproducer: $artifact (run: $program $artifact)"
		done
		failed="$failed $name"
	fi
done
if test -n "$failed"; then
	echo "fuzz-smoke: failed:$failed" >&2
	exit 1
fi
echo "fuzz-smoke: every target ran ${seconds}s without a finding"
