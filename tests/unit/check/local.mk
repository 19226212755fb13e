UNIT_TESTS += tests/unit/check/test_registry
