UNIT_TESTS += tests/unit/util/test_strbuf tests/unit/util/test_text tests/unit/util/test_sanitize \
	tests/unit/util/test_spawn tests/unit/util/test_file tests/unit/util/test_message tests/unit/util/test_cpu
