# Static analysis: cppcheck over src/, failing on any finding; no include
# that points up a layer (the order of the includes in Makefile.am); every
# C file laid out as .clang-format says (`make format` fixes it); the
# example Prometheus configuration and alert rules pass promtool.
STATIC_TESTS = tests/static/cppcheck.sh tests/static/layers.sh tests/static/format.sh \
	tests/static/prometheus_rules.sh
TESTS += $(STATIC_TESTS)
EXTRA_DIST += $(STATIC_TESTS)
