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
#   fault_cpu_ms PID          CPU time (user + system) PID used so far, in ms
#   fault_dashboard_recorded W H FILE RAW [ARGS...]
#                             fault_dashboard, with every byte opsdeck writes
#                             to the terminal recorded in RAW (pipe-pane)
#   fault_wait_exit PID [WHAT]
#                             wait (two intervals at most) for PID, a
#                             background child of the test, to end; FAULT_RC
#                             gets its exit status (it is killed, and the
#                             check fails, if it is still running)
#   fault_signal_dashboard SIG
#                             send SIG (TERM, HUP, INT) to the dashboard and
#                             check that it ends within two intervals with
#                             status 128 + the signal's number
#   assert_group_gone PGID [WHAT]
#                             no process is left in process group PGID
#                             (zombies aside: they have ended)
#   fault_running PID         0 when PID runs (exists and is not a zombie)
#   assert_audit_outcome FILE ACTION RESULT [WHAT]
#                             the newest run (not dry run) of ACTION in the
#                             audit log FILE has an attempt and an outcome,
#                             joined by id, and the outcome is RESULT
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
	_fault_first_frame
}

# Waits for the dashboard's first frame; a failed check and 1 if it does not come.
_fault_first_frame() {
	tui_wait "opsdeck" 10 && return 0
	fail "the dashboard did not draw a first frame within 10 s; the pane is:"
	tui_show_screen
	return 1
}

# Two intervals, in whole seconds for tui_wait.
_fault_deadline() { echo $((2 * FAULT_INTERVAL)); }

assert_reported() {
	local text=$1 what=${2:-}
	if tui_wait "$text" "$(_fault_deadline)"; then
		pass "${what:+$what: }screen shows '$text' after ${WAITED_MS} ms"
	else
		fail "${what:+$what: }screen does not show '$text' within two intervals ($(_fault_deadline) s); it is:"
		tui_show_screen
	fi
}

assert_cleared() {
	local text=$1 what=${2:-}
	if tui_wait_gone "$text" "$(_fault_deadline)"; then
		pass "${what:+$what: }screen stopped showing '$text' after ${WAITED_MS} ms"
	else
		fail "${what:+$what: }screen still shows '$text' after two intervals ($(_fault_deadline) s); it is:"
		tui_show_screen
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
	tui_show_screen
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

# fault_cpu_ms PID: the CPU time (user + system, in ms) PID has used so far,
# from /proc/PID/stat; for checking that a process went back to idle.
fault_cpu_ms() {
	local stat ticks f
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || {
		echo 0
		return 1
	}
	# fields 14 and 15 after the "(comm)" field, which may hold spaces
	read -r -a f <<<"${stat##*) }"
	ticks=$((f[11] + f[12]))
	echo $((ticks * 1000 / $(getconf CLK_TCK)))
}

# fault_dashboard_recorded W H FILE RAW [ARGS...]: fault_dashboard, with
# every byte opsdeck writes to the terminal appended to RAW (tmux
# pipe-pane), from its first byte on: opsdeck waits for the pipe to be set up.
fault_dashboard_recorded() {
	local w=$1 h=$2 file=$3 raw=$4 real=$OPSDECK go
	shift 4
	go=$(mktemp -u "$TEST_DIR/go.XXXXXX")
	printf '#!/bin/sh\nwhile [ ! -e %q ]; do sleep 0.05; done\nexec %q "$@"\n' "$go" "$real" \
		>"$TEST_DIR/recorded-opsdeck"
	chmod +x "$TEST_DIR/recorded-opsdeck"
	OPSDECK=$TEST_DIR/recorded-opsdeck
	: >"$raw"
	tui_start "$w" "$h" -c "$file" "$@"
	OPSDECK=$real
	_tui pipe-pane -o -t tui "cat >> $(printf %q "$raw")"
	touch "$go"
	_fault_first_frame
}

# shellcheck disable=SC2034 # FAULT_RC is for the caller
fault_wait_exit() {
	local pid=$1 what=${2:-the process} deadline
	deadline=$(($(_tui_now_ms) + $(_fault_deadline) * 1000))
	while kill -0 "$pid" 2>/dev/null && [ "$(_tui_now_ms)" -lt "$deadline" ]; do
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null; then
		fail "$what still runs two intervals ($(_fault_deadline) s) later"
		kill -KILL "$pid" 2>/dev/null || true
	else
		pass "$what ended within two intervals"
	fi
	FAULT_RC=0
	wait "$pid" || FAULT_RC=$?
}

fault_signal_dashboard() {
	local sig=$1 pid
	pid=$(tui_pid)
	if [ -z "$pid" ]; then
		fail "no dashboard process to send SIG$sig to"
		return 1
	fi
	kill -s "$sig" "$pid"
	if tui_wait "EXIT=" "$(_fault_deadline)"; then
		pass "the dashboard ended $WAITED_MS ms after SIG$sig"
	else
		fail "the dashboard still runs two intervals after SIG$sig"
		return 1
	fi
	assert_contains "$SCREEN" "EXIT=$((128 + $(kill -l "$sig")))" "exit status after SIG$sig"
}

assert_group_gone() {
	local pgid=$1 what=${2:-process group $1} left
	# a zombie has ended: only its parent has not reaped it yet
	left=$(ps -e -o pid=,pgid=,stat=,args= | awk -v g="$pgid" '$2 == g && $3 !~ /^Z/')
	if [ -z "$left" ]; then
		pass "$what: no process left"
	else
		fail "$what: processes left: $left"
		pkill -KILL -g "$pgid" 2>/dev/null || true
	fi
}

assert_audit_outcome() {
	local file=$1 action=$2 result=$3 what=${4:-audit} got
	got=$("$_LIB_PY" - "$file" "$action" <<'PY'
import json, sys
records = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
runs = [r for r in records if r.get("action") == sys.argv[2] and not r.get("dry_run")]
outcomes = [r for r in runs if r.get("phase") == "outcome"]
if not outcomes:
    print("no outcome")
    sys.exit()
last = outcomes[-1]
attempts = [r for r in runs if r.get("phase") == "attempt" and r.get("id") == last.get("id")]
print(last.get("result") if attempts else "outcome without its attempt")
PY
)
	assert_eq "$got" "$result" "$what: $action outcome, joined to its attempt"
}

fault_running() {
	local state
	state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$state" ] && [ "$state" != Z ]
}

FAULT_JSON=""

assert_verbs() {
	local file=$1 path=$2 state=$3 code=$4
	run "$OPSDECK" -c "$file" status --json
	FAULT_JSON=$OUT
	assert_eq "$(json_get "$FAULT_JSON" "$path")" "$state" "status --json $path"
	run "$OPSDECK" -c "$file" check
	assert_eq "$RC" "$code" "check exit status (${OUT%% - *})"
	if [ "$RC" != "$code" ]; then # what made it so
		"$OPSDECK" -c "$file" diagnose 2>&1 | sed 's/^/    | /' >&2
	fi
}
