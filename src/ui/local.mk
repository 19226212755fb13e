# ui/: the dashboard — the screen grid, themes, panels, dialogs, the probe
# threads, and term.c, the only file that calls curses.
libopsdeck_a_SOURCES += \
	src/ui/grid.c src/ui/grid.h \
	src/ui/theme.c src/ui/theme.h \
	src/ui/activity.c src/ui/activity.h \
	src/ui/layout.c src/ui/layout.h \
	src/ui/fit.c src/ui/fit.h \
	src/ui/panel.c src/ui/panel.h \
	src/ui/header.c src/ui/header.h \
	src/ui/locks_view.c src/ui/locks_view.h \
	src/ui/panel_version.c src/ui/panel_health.c src/ui/panel_performance.c \
	src/ui/panel_slow_queries.c src/ui/panel_issues.c src/ui/panel_activity.c \
	src/ui/panels.c src/ui/panels.h \
	src/ui/term.c src/ui/term.h \
	src/ui/workers.c src/ui/workers.h \
	src/ui/replay.c src/ui/replay.h \
	src/ui/graph_span.c src/ui/graph_span.h \
	src/ui/history_read.c src/ui/history_read.h \
	src/ui/recovery_dialog.c src/ui/recovery_dialog.h \
	src/ui/recovery.c src/ui/recovery.h \
	src/ui/backup_dialog.c src/ui/backup_dialog.h \
	src/ui/backup_menu.c src/ui/backup_menu.h \
	src/ui/env_picker.c src/ui/env_picker.h \
	src/ui/restore_dialog.c src/ui/restore_dialog.h \
	src/ui/restore_menu.c src/ui/restore_menu.h \
	src/ui/keys.c src/ui/keys.h \
	src/ui/notice.c src/ui/notice.h \
	src/ui/dashboard.c src/ui/dashboard.h src/ui/dashboard_impl.h src/ui/dashboard_keys.c
