# ui/: the dashboard — the screen grid, themes, panels, dialogs, the probe
# threads, and term.c, the only file that calls curses.
libopsdeck_a_SOURCES += \
	src/ui/grid.c src/ui/grid.h \
	src/ui/theme.c src/ui/theme.h \
	src/ui/activity.c src/ui/activity.h \
	src/ui/panels.c src/ui/panels.h \
	src/ui/term.c src/ui/term.h \
	src/ui/workers.c src/ui/workers.h \
	src/ui/recovery.c src/ui/recovery.h \
	src/ui/backup_menu.c src/ui/backup_menu.h \
	src/ui/dashboard.c src/ui/dashboard.h
