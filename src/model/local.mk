# model/: plain data — the snapshot, issues, history rings — and redaction.
libopsdeck_a_SOURCES += \
	src/model/redact.c src/model/redact.h \
	src/model/snapshot.c src/model/snapshot.h \
	src/model/pg_upkeep.c src/model/pg_upkeep.h \
	src/model/action.c src/model/action.h \
	src/model/issue.c src/model/issue.h \
	src/model/history.c src/model/history.h \
	src/model/endpoints.c src/model/endpoints.h \
	src/model/check_common.h src/model/drill.c src/model/drill.h \
	src/model/connections.c src/model/connections.h \
	src/model/locks.c src/model/locks.h \
	src/model/pgbouncer.c src/model/pgbouncer.h \
	src/model/redis_load.c src/model/redis_load.h \
	src/model/deploy.c src/model/deploy.h
