# The notifications' unit tests: no network, no thread.
UNIT_TESTS += tests/unit/notify/test_tracker tests/unit/notify/test_limit \
	tests/unit/notify/test_event
