# Static analysis: cppcheck over src/, failing on any finding; the layout of
# every C file against .clang-format.
STATIC_TESTS = tests/static/cppcheck.sh
TESTS += $(STATIC_TESTS)
EXTRA_DIST += $(STATIC_TESTS)
