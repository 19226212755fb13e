UNIT_TESTS += tests/unit/codec/test_codec
