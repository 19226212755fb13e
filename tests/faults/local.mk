# Fault injection: each scenario breaks a backend, sends a signal or shakes
# the terminal under a running opsdeck and checks that it keeps working,
# reports the state within two refresh intervals, loses nothing and leaves
# the terminal usable (tests/faults/lib.sh).
FAULT_TESTS =
FAULT_TESTS += tests/faults/hostile_text.sh
FAULT_TESTS += tests/faults/config_invalid_while_running.sh
FAULT_TESTS += tests/faults/resize_storm.sh
FAULT_TESTS += tests/faults/s3_flaky_then_gone.sh
FAULT_TESTS += tests/faults/local_target_full.sh
FAULT_TESTS += tests/faults/backup_signals.sh
FAULT_TESTS += tests/faults/s3_hung_shutdown.sh
FAULT_TESTS += tests/faults/recovery_signals.sh
FAULT_TESTS += tests/faults/pg_restart_during_dump.sh
FAULT_TESTS += tests/faults/dns_failure.sh
FAULT_TESTS += tests/faults/health_huge_body.sh
FAULT_TESTS += tests/faults/version_garbage.sh
FAULT_TESTS += tests/faults/health_faults.sh
FAULT_TESTS += tests/faults/redis_killed.sh
FAULT_TESTS += tests/faults/pg_restart.sh
FAULT_TESTS += tests/faults/audit_log_full.sh
TESTS += $(FAULT_TESTS)
EXTRA_DIST += $(FAULT_TESTS) tests/faults/lib.sh
