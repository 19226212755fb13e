# diag/: the diagnosis rules — snapshot and thresholds in, issues out. Pure,
# so it sits with the model, below everything that does I/O. One file per
# topic of rules; rule.h lists them all (RULE_LIST).
libopsdeck_a_SOURCES += src/diag/diagnose.h src/diag/rule.h src/diag/diagnose.c \
	src/diag/causes.h src/diag/causes.c \
	src/diag/rules_backends.c src/diag/rules_requests.c src/diag/rules_redis.c \
	src/diag/rules_database.c src/diag/rules_version.c src/diag/rules_backup.c src/diag/rules_backup_drill.c \
	src/diag/rules_replication.c src/diag/rules_upkeep.c src/diag/rules_pools.c \
	src/diag/rules_locks.c src/diag/rules_redis_load.c src/diag/rules_history.c \
	src/diag/rules_deploy.c
