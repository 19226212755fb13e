UNIT_TESTS += tests/unit/job/test_runner tests/unit/job/test_audit tests/unit/job/test_actions \
	tests/unit/job/test_recheck \
	tests/unit/job/test_gzip_parallel tests/unit/job/test_glob tests/unit/job/test_pgdump \
	tests/unit/job/test_backup_stale tests/unit/job/test_files_walk tests/unit/job/test_backup_list \
	tests/unit/job/test_drill_state tests/unit/job/test_drill_sql \
	tests/unit/job/test_tree_write tests/unit/job/test_restore_files tests/unit/job/test_restore_db
