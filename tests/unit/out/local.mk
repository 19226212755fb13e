UNIT_TESTS += tests/unit/out/test_out
