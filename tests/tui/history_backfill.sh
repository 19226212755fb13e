#!/usr/bin/env bash
# A dashboard opened after `opsdeck record` ran shows the recorded hour at
# once: with a refresh of a minute, its own first poll adds one value, yet
# the p95 graph (a series of the dashboard's own, unlike the request log's
# per-minute rows) already has the recorder's: about eight, one each 500 ms
# for 4 s. Without a history it has only its own value. `g` shows the
# recorded request rate, error rate and p95 over 15 minutes, an hour and a
# day, each line labelled with its span, and then the live polls again.
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
stack_use pg,redis,app
hist=$TEST_DIR/history
write_stack_config opsdeck.conf "timeout = 2s" "[history]" "dir = $hist"

"$OPSDECK" -c opsdeck.conf record --interval 500ms 2>record.log &
rec=$!
on_exit kill -9 "$rec"
has_records() { grep -q "recording every" record.log && [ -s "$hist/history.db" ]; }
wait_until 20 has_records || fail "the recorder did not start: $(cat record.log)"
sleep 4
kill -TERM "$rec"
wait "$rec" || fail "the recorder did not end cleanly: $(cat record.log)"

tui_start 120 40 -c opsdeck.conf --interval 60s
assert_screen_match "[|│] p95 [^ ]{6,}  "
for span in 15m 1h 24h; do
	tui_keys g
	assert_screen "graphs: the last $span of the history"
	assert_screen_match "[|│] req [^ ]{6,} +last $span [|│]"
	assert_screen_match "[|│] p95 [^ ]{6,} +last $span [|│]"
done
tui_keys g
assert_screen "graphs: the live polls"
assert_screen_gone "last 24h"
tui_keys q
assert_screen "EXIT=0"
_tui_kill "$TUI_SOCKET"

# no history: the graph has the dashboard's own value only
rm -rf "$hist"
tui_start 120 40 -c opsdeck.conf --interval 60s
assert_screen_match "[|│] p95 [^ ]+ "
assert_not_contains "$(tui_screen)" "the history" "nothing said of a history there is not"
if [[ $(tui_screen) =~ [\|│]\ p95\ [^\ ]{3,} ]]; then
	fail "more than the dashboard's own value without a history"
else
	pass "the p95 graph has only the dashboard's own value"
fi
tui_keys q
assert_screen "EXIT=0"
finish
