# shellcheck shell=bash
# tests/faults/lib.sh - helpers for the fault-injection scenarios; source it
# first (it sources tests/tui/lib.sh, which sources tests/integration/lib.sh:
# stacks, assertions, tmux).
#
# Every scenario checks the same four things about opsdeck under a fault:
#   it keeps working         the dashboard still redraws and answers keys
#   it reports the state     within two refresh intervals of the change
#   it loses nothing         no half-written backup looks like a good one,
#                            no audit record goes missing
#   it leaves the terminal   after it quits: main screen, cursor visible,
#   usable                   echo and canonical input back on
#
#   FAULT_INTERVAL            the dashboard's refresh interval in seconds (2)
#   FAULT_TIMEOUT             the probes' timeout in seconds (1); at most the
#                             interval, so a hung backend is reported within
#                             two intervals of its hanging
#   fault_config FILE [LINE]...
#                             write_stack_config with the timeout and the
#                             interval above, plus LINEs
#   fault_dashboard W H FILE [ARGS...]
#                             start the dashboard on config FILE in tmux and
#                             wait for its first full frame
#   assert_reported TEXT [WHAT]
#                             the screen shows TEXT within two intervals
#   assert_cleared TEXT [WHAT]
#                             the screen stops showing TEXT within two
#                             intervals
#   assert_alive              a key still gets an answer: `?` opens the help
#                             overlay and Escape closes it
#   fault_quit                press q and wait for the program to end
#   assert_terminal_usable    after the program ended: main screen, cursor
#                             visible, echo and icanon set on its tty
#   assert_verbs FILE PATH STATE CODE
#                             the one-shot verbs on config FILE agree with
#                             the screen: `status --json` has STATE at the
#                             dotted PATH (checks.redis.state, version.state)
#                             and `check` exits CODE (0 OK .. 3 UNKNOWN);
#                             FAULT_JSON keeps the status document
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"

FAULT_INTERVAL=${FAULT_INTERVAL:-2}
FAULT_TIMEOUT=${FAULT_TIMEOUT:-1}

fault_config() {
	local file=$1
	shift
	write_stack_config "$file" "timeout = ${FAULT_TIMEOUT}s" "$@" "[ui]" "interval = ${FAULT_INTERVAL}s"
}

fault_dashboard() {
	local w=$1 h=$2 file=$3
	shift 3
	tui_start "$w" "$h" -c "$file" "$@"
	if ! tui_wait "opsdeck" 10; then
		fail "the dashboard did not draw a first frame within 10 s; the pane is:"
		printf '%s\n' "$SCREEN" | sed 's/^/    | /' >&2
		return 1
	fi
}

# Two intervals, in whole seconds for tui_wait.
_fault_deadline() { echo $((2 * FAULT_INTERVAL)); }

assert_reported() {
	local text=$1 what=${2:-}
	if tui_wait "$text" "$(_fault_deadline)"; then
		pass "${what:+$what: }screen shows '$text' after ${WAITED_MS} ms"
	else
		fail "${what:+$what: }screen does not show '$text' within two intervals ($(_fault_deadline) s); it is:"
		printf '%s\n' "$SCREEN" | sed 's/^/    | /' >&2
	fi
}

assert_cleared() {
	local text=$1 what=${2:-}
	if tui_wait_gone "$text" "$(_fault_deadline)"; then
		pass "${what:+$what: }screen stopped showing '$text' after ${WAITED_MS} ms"
	else
		fail "${what:+$what: }screen still shows '$text' after two intervals ($(_fault_deadline) s); it is:"
		printf '%s\n' "$SCREEN" | sed 's/^/    | /' >&2
	fi
}

assert_alive() {
	tui_keys '?'
	if tui_wait "this help" 2; then
		tui_keys Escape
		if tui_wait_gone "this help" 2; then
			pass "the dashboard answers keys (help opened and closed)"
			return 0
		fi
	fi
	fail "the dashboard does not answer keys; the pane is:"
	printf '%s\n' "$SCREEN" | sed 's/^/    | /' >&2
}

fault_quit() {
	tui_keys q
	if tui_wait "EXIT=" 5; then
		pass "the dashboard quit on q"
	else
		fail "the dashboard did not quit within 5 s of q"
	fi
}

assert_terminal_usable() {
	local tty settings
	if [ "$(tui_alternate)" = 0 ]; then
		pass "the pane is back on the main screen"
	else
		fail "the pane is still in the alternate screen"
	fi
	if [ "$(_tui display-message -p -t tui '#{cursor_flag}')" = 1 ]; then
		pass "the cursor is visible"
	else
		fail "the cursor is left hidden"
	fi
	tty=$(_tui display-message -p -t tui '#{pane_tty}')
	settings=" $(stty -F "$tty" -a 2>/dev/null | tr -s ' ;\n' '   ') "
	case $settings in
	*" icanon "*" echo "*) pass "the tty has icanon and echo on" ;;
	*) fail "the tty is left raw: $settings" ;;
	esac
}

FAULT_JSON=""

assert_verbs() {
	local file=$1 path=$2 state=$3 code=$4
	run "$OPSDECK" -c "$file" status --json
	FAULT_JSON=$OUT
	assert_eq "$(json_get "$FAULT_JSON" "$path")" "$state" "status --json $path"
	run "$OPSDECK" -c "$file" check
	assert_eq "$RC" "$code" "check exit status (${OUT%% - *})"
}
