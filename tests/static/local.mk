# Static analysis: cppcheck over src/, failing on any finding; no include
# that points up a layer (the order of the includes in Makefile.am).
STATIC_TESTS = tests/static/cppcheck.sh tests/static/layers.sh
TESTS += $(STATIC_TESTS)
EXTRA_DIST += $(STATIC_TESTS)
