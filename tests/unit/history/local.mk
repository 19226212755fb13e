# The history store's unit tests; store_fixture.c is what they share.
UNIT_TESTS += tests/unit/history/test_pack tests/unit/history/test_changes \
	tests/unit/history/test_store tests/unit/history/test_store_damage \
	tests/unit/history/test_timeline tests/unit/history/test_backfill \
	tests/unit/history/test_lock tests/unit/history/test_last_deploy
history_store_fixture = tests/unit/history/store_fixture.c tests/unit/history/store_fixture.h
tests_unit_history_test_store_SOURCES = tests/unit/history/test_store.c $(history_store_fixture)
tests_unit_history_test_store_damage_SOURCES = tests/unit/history/test_store_damage.c \
	$(history_store_fixture)
tests_unit_history_test_backfill_SOURCES = tests/unit/history/test_backfill.c \
	$(history_store_fixture)
tests_unit_history_test_lock_SOURCES = tests/unit/history/test_lock.c $(history_store_fixture)
tests_unit_history_test_last_deploy_SOURCES = tests/unit/history/test_last_deploy.c \
	$(history_store_fixture)
