UNIT_TESTS += tests/unit/check/test_registry tests/unit/check/test_runner \
	tests/unit/check/test_overall
