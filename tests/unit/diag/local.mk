UNIT_TESTS += tests/unit/diag/test_diagnose tests/unit/diag/test_causes \
	tests/unit/diag/test_rules_locks tests/unit/diag/test_rules_redis_load
