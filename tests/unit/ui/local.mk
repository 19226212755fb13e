UNIT_TESTS += tests/unit/ui/test_theme tests/unit/ui/test_panels
tests_unit_ui_test_theme_CPPFLAGS = $(AM_CPPFLAGS) -DTHEMES_DIR='"$(abs_top_srcdir)/themes"'
