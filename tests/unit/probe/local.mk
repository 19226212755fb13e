UNIT_TESTS += tests/unit/probe/test_redis_info tests/unit/probe/test_version_json \
	tests/unit/probe/test_pg_parse tests/unit/probe/test_request_log \
	tests/unit/probe/test_request_window tests/unit/probe/test_slow_queries \
	tests/unit/probe/test_request_endpoints tests/unit/probe/test_pg_connections \
	tests/unit/probe/test_pg_locks tests/unit/probe/test_pg_upkeep \
	tests/unit/probe/test_pgbouncer \
	tests/unit/probe/test_redis_slowlog
tests_unit_probe_test_redis_info_SOURCES = tests/unit/probe/test_redis_info.c $(unit_fixture)
tests_unit_probe_test_version_json_SOURCES = tests/unit/probe/test_version_json.c $(unit_fixture)
tests_unit_probe_test_request_log_SOURCES = tests/unit/probe/test_request_log.c $(unit_pg_rows) \
	$(unit_fixture)
tests_unit_probe_test_slow_queries_SOURCES = tests/unit/probe/test_slow_queries.c \
	$(unit_pg_rows) $(unit_fixture)
tests_unit_probe_test_request_endpoints_SOURCES = tests/unit/probe/test_request_endpoints.c \
	$(unit_pg_rows) $(unit_fixture)
tests_unit_probe_test_pg_connections_SOURCES = tests/unit/probe/test_pg_connections.c \
	$(unit_pg_rows) $(unit_fixture)
