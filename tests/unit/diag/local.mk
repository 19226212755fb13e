UNIT_TESTS += tests/unit/diag/test_diagnose tests/unit/diag/test_causes \
	tests/unit/diag/test_rules_requests tests/unit/diag/test_rules_locks \
	tests/unit/diag/test_rules_pools tests/unit/diag/test_rules_upkeep \
	tests/unit/diag/test_rules_redis_load
tests_unit_diag_test_diagnose_SOURCES = tests/unit/diag/test_diagnose.c \
	tests/unit/diag/diag_fixture.h
tests_unit_diag_test_rules_pools_SOURCES = tests/unit/diag/test_rules_pools.c \
	tests/unit/diag/diag_fixture.h
tests_unit_diag_test_rules_redis_load_SOURCES = tests/unit/diag/test_rules_redis_load.c \
	tests/unit/diag/diag_fixture.h
tests_unit_diag_test_rules_locks_SOURCES = tests/unit/diag/test_rules_locks.c \
	tests/unit/diag/diag_fixture.h
tests_unit_diag_test_rules_requests_SOURCES = tests/unit/diag/test_rules_requests.c \
	tests/unit/diag/diag_fixture.h
tests_unit_diag_test_rules_upkeep_SOURCES = tests/unit/diag/test_rules_upkeep.c \
	tests/unit/diag/diag_fixture.h
UNIT_TESTS += tests/unit/diag/test_rules_backup_drill
tests_unit_diag_test_rules_backup_drill_SOURCES = tests/unit/diag/test_rules_backup_drill.c \
	tests/unit/diag/diag_fixture.h
UNIT_TESTS += tests/unit/diag/test_rules_history
tests_unit_diag_test_rules_history_SOURCES = tests/unit/diag/test_rules_history.c \
	tests/unit/diag/diag_fixture.h
UNIT_TESTS += tests/unit/diag/test_rules_deploy
tests_unit_diag_test_rules_deploy_SOURCES = tests/unit/diag/test_rules_deploy.c \
	tests/unit/diag/diag_fixture.h
