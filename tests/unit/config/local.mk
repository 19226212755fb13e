UNIT_TESTS += tests/unit/config/test_backup_target tests/unit/config/test_ini tests/unit/config/test_envfile \
	tests/unit/config/test_expand tests/unit/config/test_config tests/unit/config/test_pgurl \
	tests/unit/config/test_redisurl tests/unit/config/test_config_history \
	tests/unit/config/test_config_notify
