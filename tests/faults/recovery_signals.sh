#!/usr/bin/env bash
# SIGTERM, SIGHUP and SIGINT while restart-app runs a long restart_command (a
# script that starts a child and sleeps): from `opsdeck recover restart-app
# --yes` and from the dashboard's guided recovery. Each time opsdeck stops
# within two refresh intervals, the command's whole process group is gone,
# and the audit log has the attempt and its outcome "cancelled", joined by
# id. In the dashboard, Esc during the run stops the command the same way and
# the dashboard stays usable; after each exit the terminal is usable.
. "$OPSDECK_SRCDIR/tests/faults/lib.sh"
stack_private app

audit=$TEST_DIR/audit.jsonl
restart=$TEST_DIR/restart.sh
# $$ of the script is its process group: spawn_capture gives it one of its own.
cat >"$restart" <<EOF
#!/bin/sh
echo \$\$ >"$TEST_DIR/restart.pgid.tmp"
sleep 120 &
echo \$! >"$TEST_DIR/restart.child"
mv "$TEST_DIR/restart.pgid.tmp" "$TEST_DIR/restart.pgid"
echo "restarting the app"
sleep 120
EOF
chmod +x "$restart"
fault_config opsdeck.conf "[recovery]" "restart_command = /bin/sh $restart" \
	"restart_timeout = 300s" "audit_log = $audit"
app_mode health 500

# Waits for the restart script to have started; prints its process group.
wait_restart() {
	local i
	for i in $(seq 1 200); do
		[ -s "$TEST_DIR/restart.pgid" ] && break
		sleep 0.05
	done
	cat "$TEST_DIR/restart.pgid" 2>/dev/null
}

# After one interrupted run: the group is gone, the audit says cancelled.
check_stopped() {
	local pgid=$1 what=$2
	assert_group_gone "$pgid" "$what: restart_command's process group"
	if fault_running "$(cat "$TEST_DIR/restart.child")"; then
		fail "$what: the command's child still runs"
	else
		pass "$what: the command's child is gone"
	fi
	assert_audit_outcome "$audit" restart-app cancelled "$what"
	rm -f "$TEST_DIR/restart.pgid" "$TEST_DIR/restart.child"
}

# ---- the command line
for sig in TERM HUP INT; do
	"$OPSDECK" -c opsdeck.conf recover restart-app --yes >out.txt 2>err.txt &
	pid=$!
	pgid=$(wait_restart)
	if [ -z "$pgid" ]; then
		fail "recover SIG$sig: restart_command did not start: $(cat err.txt)"
		kill -KILL "$pid" 2>/dev/null
		continue
	fi
	kill -s "$sig" "$pid"
	fault_wait_exit "$pid" "recover restart-app after SIG$sig"
	assert_eq "$FAULT_RC" 1 "recover SIG$sig: exit status (1: the action did not complete)"
	assert_contains "$(cat err.txt)" "was stopped: opsdeck was interrupted" "recover SIG$sig: says why"
	assert_contains "$(cat out.txt)" "running /bin/sh" "recover SIG$sig: the command had started"
	check_stopped "$pgid" "recover SIG$sig"
done

# ---- the dashboard: start restart-app from the guided recovery; sets pgid
run_from_dashboard() {
	fault_dashboard 120 40 opsdeck.conf
	assert_reported "The app's health check failed" "$1"
	tui_keys r
	tui_wait "Recovery: choose an action" 5
	tui_keys Enter
	tui_wait "Type its name" 10
	tui_keys -l restart-app
	tui_keys Enter
	assert_reported "Recovery: restart-app (running)" "$1"
	pgid=$(wait_restart)
}

for sig in TERM HUP INT; do
	TUI_SOCKET="opsdeck-tui-$TEST_NAME-$$-$sig"
	run_from_dashboard "dashboard SIG$sig"
	if [ -z "$pgid" ]; then
		fail "dashboard SIG$sig: restart_command did not start"
		_tui_kill "$TUI_SOCKET"
		continue
	fi
	fault_signal_dashboard "$sig"
	assert_terminal_usable
	check_stopped "$pgid" "dashboard SIG$sig"
	_tui_kill "$TUI_SOCKET"
done

# ---- the dashboard: Esc stops the running command, the dashboard goes on
TUI_SOCKET="opsdeck-tui-$TEST_NAME-$$-esc"
run_from_dashboard "dashboard Esc"
if [ -n "$pgid" ]; then
	tui_keys Escape
	assert_reported "Recovery: restart-app (failed)" "dashboard Esc"
	assert_contains "$SCREEN" "was stopped" "dashboard Esc: says why"
	check_stopped "$pgid" "dashboard Esc"
	tui_keys Escape
	assert_reported "recovery: restart-app stopped" "dashboard Esc: Activity"
	assert_alive
	fault_quit
	assert_terminal_usable
else
	fail "dashboard Esc: restart_command did not start"
fi
finish
