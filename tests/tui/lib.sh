# shellcheck shell=bash
# tests/tui/lib.sh - drive the real dashboard inside tmux; source it after
# nothing else (it sources tests/integration/lib.sh: stacks, assertions).
#
#   tui_start W H [OPSDECK ARGS...]  run "$OPSDECK ARGS" (with the
#                             NAME=VALUE words of TUI_ENV) in a detached tmux
#                             session of W x H on a socket of its own; the
#                             pane prints TUI-BEFORE first and "EXIT=N" when
#                             opsdeck ends; the server is killed at exit
#   tui_screen                print the pane (capture-pane -p)
#   tui_screen_escapes        the same with its colours and attributes as
#                             escape sequences (capture-pane -p -e)
#   tui_wait TEXT [SECONDS]   poll the pane every 50 ms until it shows TEXT
#                             (default 5 s); 0 when it did; SCREEN holds the
#                             last capture, WAITED_MS the time it took
#   tui_wait_gone TEXT [SECONDS]
#   tui_keys KEY...           tmux send-keys (names like Tab, BTab, Enter, Escape)
#   tui_resize W H
#   tui_pid                   the opsdeck process (the pane shell's child)
#   tui_alternate             1 while the pane is in the alternate screen
#   tui_show_screen           the last capture (SCREEN), indented, on stderr,
#                             for a failure message
#   assert_screen TEXT [SECONDS] / assert_screen_gone TEXT [SECONDS]
#   assert_screen_match REGEX [SECONDS]   the same for an extended regex
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
require_cmd tmux
TEST_NAME=$(basename "$0" .sh)

TUI_SOCKET="opsdeck-tui-$TEST_NAME-$$"
SCREEN=""
WAITED_MS=0
export OPSDECK_THEMES_DIR="$OPSDECK_SRCDIR/themes"

_tui_kill() { tmux -L "$1" kill-server 2>/dev/null || true; }
_tui() { tmux -L "$TUI_SOCKET" -f /dev/null "$@"; }

tui_start() {
	local w=$1 h=$2 cmd
	shift 2
	printf -v cmd '%q ' env ${TUI_ENV:-} "$OPSDECK" "$@"
	on_exit _tui_kill "$TUI_SOCKET"
	_tui new-session -d -x "$w" -y "$h" -s tui \
		"cd $(printf %q "$PWD") && echo TUI-BEFORE && $cmd; echo EXIT=\$?; sleep 600"
	_tui set-option -g remain-on-exit on >/dev/null 2>&1 || true
}

tui_screen() { _tui capture-pane -p -t tui; }
tui_screen_escapes() { _tui capture-pane -p -e -t tui; }

_tui_now_ms() { echo $(($(date +%s%N) / 1000000)); }

tui_wait() {
	local text=$1 seconds=${2:-5} t0 deadline
	t0=$(_tui_now_ms)
	deadline=$((t0 + seconds * 1000))
	while :; do
		SCREEN=$(tui_screen)
		WAITED_MS=$(($(_tui_now_ms) - t0))
		[[ $SCREEN == *"$text"* ]] && return 0
		[ "$(_tui_now_ms)" -lt "$deadline" ] || return 1
		sleep 0.05
	done
}

tui_wait_gone() {
	local text=$1 seconds=${2:-5} t0 deadline
	t0=$(_tui_now_ms)
	deadline=$((t0 + seconds * 1000))
	while :; do
		SCREEN=$(tui_screen)
		WAITED_MS=$(($(_tui_now_ms) - t0))
		[[ $SCREEN != *"$text"* ]] && return 0
		[ "$(_tui_now_ms)" -lt "$deadline" ] || return 1
		sleep 0.05
	done
}

tui_keys() { _tui send-keys -t tui "$@"; }
tui_resize() { _tui resize-window -t tui -x "$1" -y "$2"; }
tui_alternate() { _tui display-message -p -t tui '#{alternate_on}'; }
tui_pid() {
	local shell
	shell=$(_tui display-message -p -t tui '#{pane_pid}')
	pgrep -P "$shell" -x opsdeck | head -n 1
}

tui_show_screen() { printf '%s\n' "$SCREEN" | sed 's/^/    | /' >&2; }

assert_screen() {
	if tui_wait "$1" "${2:-5}"; then
		pass "screen shows '$1' (${WAITED_MS} ms)"
	else
		fail "screen does not show '$1' within ${2:-5} s; it is:"
		tui_show_screen
	fi
}

# assert_screen_match REGEX [SECONDS]: as assert_screen, for a bash
# extended regular expression.
assert_screen_match() {
	local t0 deadline seconds=${2:-5}
	t0=$(_tui_now_ms)
	deadline=$((t0 + seconds * 1000))
	while :; do
		SCREEN=$(tui_screen)
		if [[ $SCREEN =~ $1 ]]; then
			pass "screen matches /$1/ ($(($(_tui_now_ms) - t0)) ms)"
			return 0
		fi
		if [ "$(_tui_now_ms)" -ge "$deadline" ]; then
			fail "screen does not match /$1/ within $seconds s; it is:"
			tui_show_screen
			return 1
		fi
		sleep 0.05
	done
}

assert_screen_gone() {
	if tui_wait_gone "$1" "${2:-5}"; then
		pass "screen no longer shows '$1'"
	else
		fail "screen still shows '$1' after ${2:-5} s; it is:"
		tui_show_screen
	fi
}
