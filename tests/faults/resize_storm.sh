#!/usr/bin/env bash
# A resize storm while probes are in flight: the health endpoint answers
# slowly, the tmux window goes through 200 sizes from 1x1 to 250x80 in a few
# seconds, and bursts of SIGWINCH arrive on top. Then the window settles on
# 100x30: the dashboard draws the full layout for that size within two
# intervals, answers keys, goes back to idle (no busy loop left behind by the
# storm), quits cleanly and leaves the terminal usable. tests/tui/resize.sh
# covers the layout at each size; this is about the storm.
. "$OPSDECK_SRCDIR/tests/faults/lib.sh"
# Private: the health endpoint is made slow.
stack_private redis,app
app_mode slow_seconds 0.8
app_mode health slow
fault_config opsdeck.conf

fault_dashboard 120 40 opsdeck.conf
assert_reported "health" "first frame"
pid=$(tui_pid)
assert_ne "${pid:-}" "" "the opsdeck process"

# The storm: 200 sizes, tiny to large, with a SIGWINCH burst every 20.
t0=$(_tui_now_ms)
sizes=(1x1 2x1 10x3 5x2 30x8 49x11 50x12 79x23 80x24 250x80 120x40 1x80 250x1 60x15 200x60)
for ((i = 0; i < 200; i++)); do
	size=${sizes[$((i % ${#sizes[@]}))]}
	if ((i % 3 == 2)); then # and some in between
		size="$((1 + (i * 37) % 250))x$((1 + (i * 13) % 80))"
	fi
	tui_resize "${size%x*}" "${size#*x}"
	if ((i % 20 == 0)); then
		for _ in 1 2 3 4 5 6 7 8 9 10; do kill -WINCH "$pid" 2>/dev/null; done
	fi
done
echo "# the storm took $(($(_tui_now_ms) - t0)) ms"
if kill -0 "$pid" 2>/dev/null; then
	pass "opsdeck survived 200 resizes and 100 SIGWINCH"
else
	fail "opsdeck is gone after the resize storm"
fi

# Settle: the frame must be the one for 100x30, not a leftover.
W=100 H=30
tui_resize $W $H
assert_reported "Activity" "after the storm"
assert_reported "Slow queries" "after the storm"
for title in Version Health Performance Issues; do
	assert_contains "$SCREEN" "$title" "the settled frame"
done
assert_eq "$(printf '%s\n' "$SCREEN" | wc -l)" "$H" "rows in the pane"
longest=$(printf '%s\n' "$SCREEN" | awk '{ if (length($0) > n) n = length($0) } END { print n + 0 }')
assert_le "$longest" "$W" "the longest line"
# The header on the first row, the key bar on the last, the Activity box
# closed on the row above it: nothing drawn for another size is left over.
first=$(printf '%s\n' "$SCREEN" | sed -n 1p)
last=$(printf '%s\n' "$SCREEN" | sed -n "${H}p")
above=$(printf '%s\n' "$SCREEN" | sed -n "$((H - 1))p")
assert_match "$first" "^ [^ ]+ (OK|WARNING|CRITICAL|WAITING|NOT CONFIGURED) " "row 1, the header"
assert_match "$last" "^ q Quit" "row $H"
assert_match "$above" "^\+-+\+$" "row $((H - 1)), the bottom border"
assert_eq "${#above}" "$W" "the bottom border's width"

assert_alive

# Idle: after the storm the loop sleeps in poll() again. The CPU time over
# 4 s (probes included) is a sanity bound, not a benchmark.
cpu0=$(fault_cpu_ms "$pid")
sleep 4
cpu1=$(fault_cpu_ms "$pid")
assert_lt "$((cpu1 - cpu0))" 500 "CPU ms used in 4 s of idle after the storm"

fault_quit
assert_contains "$SCREEN" "EXIT=0" "exit status"
assert_terminal_usable
finish
