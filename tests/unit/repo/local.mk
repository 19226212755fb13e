UNIT_TESTS += tests/unit/repo/test_sink_file tests/unit/repo/test_manifest \
	tests/unit/repo/test_backup_name \
	tests/unit/repo/test_retention tests/unit/repo/test_copy_count
