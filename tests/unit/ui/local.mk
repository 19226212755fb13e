UNIT_TESTS += tests/unit/ui/test_theme tests/unit/ui/test_panels tests/unit/ui/test_recovery \
	tests/unit/ui/test_fit \
	tests/unit/ui/test_backup_menu tests/unit/ui/test_keys tests/unit/ui/test_notice \
	tests/unit/ui/test_locks_view tests/unit/ui/test_restore_dialog tests/unit/ui/test_replay
tests_unit_ui_test_theme_CPPFLAGS = $(AM_CPPFLAGS) -DTHEMES_DIR='"$(abs_top_srcdir)/themes"'
# screen.c: the whole screen drawn into a grid and compared with a golden file.
unit_screen = tests/unit/ui/screen.c tests/unit/ui/screen.h
tests_unit_ui_test_panels_SOURCES = tests/unit/ui/test_panels.c $(unit_screen)
tests_unit_ui_test_recovery_SOURCES = tests/unit/ui/test_recovery.c $(unit_screen)
tests_unit_ui_test_backup_menu_SOURCES = tests/unit/ui/test_backup_menu.c $(unit_screen)
tests_unit_ui_test_locks_view_SOURCES = tests/unit/ui/test_locks_view.c $(unit_screen)
tests_unit_ui_test_restore_dialog_SOURCES = tests/unit/ui/test_restore_dialog.c $(unit_screen)
tests_unit_ui_test_replay_SOURCES = tests/unit/ui/test_replay.c $(unit_screen)
