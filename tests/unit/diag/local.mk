UNIT_TESTS += tests/unit/diag/test_diagnose
