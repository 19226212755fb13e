# The dashboard driven in tmux: panels, keys, resize, dialogs (tests/tui/lib.sh).
TUI_TESTS = \
	tests/tui/panels.sh \
	tests/tui/envs_banner.sh \
	tests/tui/history_backfill.sh \
	tests/tui/history_dashboard.sh \
	tests/tui/notify_dashboard.sh \
	tests/tui/replay.sh \
	tests/tui/envs_picker.sh \
	tests/tui/keys.sh \
	tests/tui/resize.sh \
	tests/tui/redis_down.sh \
	tests/tui/no_tty.sh \
	tests/tui/recovery.sh tests/tui/recovery_query.sh tests/tui/recovery_lock.sh \
	tests/tui/locks_blocker.sh tests/tui/locks_view.sh \
	tests/tui/backup_menu.sh tests/tui/restore_dialog.sh tests/tui/restore.sh \
	tests/tui/small_terminal.sh \
	tests/tui/themes.sh \
	tests/tui/backup_cancel.sh \
	tests/tui/read_only.sh tests/tui/no_color.sh \
	tests/tui/slow_queries_clear.sh
TESTS += $(TUI_TESTS)
EXTRA_DIST += $(TUI_TESTS) tests/tui/lib.sh
