# Integration tests: the verbs against the stack of real servers
# (tests/stack/stack; tests/integration/lib.sh).
INTEGRATION_TESTS = \
	tests/integration/status_healthy.sh \
	tests/integration/record.sh \
	tests/integration/report.sh \
	tests/integration/notify_webhooks.sh \
	tests/integration/pg_replication.sh \
	tests/integration/prisma_url.sh \
	tests/integration/wrong_password.sh \
	tests/integration/redis_stopped.sh \
	tests/integration/redis_tls.sh \
	tests/integration/app_instances.sh \
	tests/integration/envs.sh \
	tests/integration/backup_heartbeat.sh \
	tests/integration/redis_load.sh \
	tests/integration/health_hung.sh \
	tests/integration/json_output.sh \
	tests/integration/prometheus_output.sh \
	tests/integration/check_exit_codes.sh \
	tests/integration/config_errors.sh \
	tests/integration/version_file.sh \
	tests/integration/not_configured.sh \
	tests/integration/backends_stopped.sh \
	tests/integration/request_metrics.sh \
	tests/integration/request_endpoints.sh \
	tests/integration/slow_queries.sh \
	tests/integration/diagnose.sh \
	tests/integration/overall_state.sh \
	tests/integration/connections_pools.sh \
	tests/integration/pgbouncer_pools.sh \
	tests/integration/locks_chain.sh
# Jobs and recovery actions.
INTEGRATION_TESTS += tests/integration/recover_clear_cache.sh \
	tests/integration/recover_restart_app.sh tests/integration/recover_read_only.sh \
	tests/integration/default_paths.sh tests/integration/exit_codes.sh \
	tests/integration/recover_reconnect_db.sh
# Backups.
INTEGRATION_TESTS += tests/integration/backup_db_roundtrip.sh \
	tests/integration/backup_verify_progress.sh \
	tests/integration/backup_db_failures.sh \
	tests/integration/backup_s3_faults.sh \
	tests/integration/backup_files.sh \
	tests/integration/restore_files.sh tests/integration/restore_db.sh \
	tests/integration/restore_replace.sh \
	tests/integration/backup_diagnose.sh \
	tests/integration/backup_drill.sh \
	tests/integration/backup_drill_diagnose.sh \
	tests/integration/backup_concurrent.sh tests/integration/backup_file_target.sh \
	tests/integration/backup_s3_raw_keys.sh tests/integration/backup_zstd.sh \
	tests/integration/backup_s3_listing.sh tests/integration/backup_file_listing.sh \
	tests/integration/backup_files_swap.sh
# backup prune: the retention policy and the clean-up of unfinished writes,
# file:// and S3.
INTEGRATION_TESTS += tests/integration/backup_prune.sh
# [backup] timeout; no unfinished upload left after a failed one.
INTEGRATION_TESTS += tests/integration/backup_timeout.sh
# The S3 client: s3_client.sh drives tests/s3_tool through tests/stack/s3proxy.py,
# which checks every request's signature with botocore and injects faults.
INTEGRATION_TESTS += tests/integration/s3_client.sh
# check, status and diagnose with S3 hung: the backup listing within the timeout.
INTEGRATION_TESTS += tests/integration/s3_hung_one_shot.sh
# The Prometheus exporter: its HTTP rules and a hung backend
# (exporter.sh), and a real Prometheus scraping it and firing an alert
# rule (exporter_prometheus.sh).
INTEGRATION_TESTS += tests/integration/exporter.sh tests/integration/exporter_prometheus.sh
# opsdeck under valgrind's memcheck (skipped in a build with ASan).
INTEGRATION_TESTS += tests/integration/valgrind.sh
TESTS += $(INTEGRATION_TESTS)
EXTRA_DIST += $(INTEGRATION_TESTS) tests/integration/lib.sh tests/integration/backup_lib.sh \
	tests/integration/http_fixture.py

# The S3 client's helper for s3_client.sh, and the incremental request-log
# path against the one-shot query (request_metrics.sh).
check_PROGRAMS += tests/s3_tool tests/request_window_tool
tests_s3_tool_SOURCES = tests/s3_tool.c
tests_s3_tool_LDADD = libopsdeck.a $(DEPS_LIBS)
tests_request_window_tool_SOURCES = tests/request_window_tool.c
tests_request_window_tool_LDADD = libopsdeck.a $(DEPS_LIBS) -lm
# bench/sink_rss's streamer: built on demand (make tests/sink_tool), not by check.
EXTRA_PROGRAMS += tests/sink_tool
tests_sink_tool_SOURCES = tests/sink_tool.c
tests_sink_tool_LDADD = libopsdeck.a $(DEPS_LIBS)
# bench/history_cost's synthetic history: built on demand
# (make tests/history_tool), not by check.
EXTRA_PROGRAMS += tests/history_tool
tests_history_tool_SOURCES = tests/history_tool.c
tests_history_tool_LDADD = libopsdeck.a $(DEPS_LIBS)
