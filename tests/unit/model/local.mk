UNIT_TESTS += tests/unit/model/test_redact tests/unit/model/test_snapshot tests/unit/model/test_history \
	tests/unit/model/test_locks tests/unit/model/test_connections tests/unit/model/test_drill
