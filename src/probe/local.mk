# probe/: one probe per backend, run in parallel; parsing in pure files.
libopsdeck_a_SOURCES += \
	src/probe/probe.h src/probe/probe_common.c \
	src/probe/probe_pg.c src/probe/pg_parse.c src/probe/pg_parse.h \
	src/probe/probe_pg_upkeep.c src/probe/pg_upkeep.c src/probe/pg_upkeep.h \
	src/probe/pg_open.c \
	src/probe/pg_connections.c src/probe/pg_connections.h \
	src/probe/pg_locks.c src/probe/pg_locks.h \
	src/probe/pgbouncer.c src/probe/pgbouncer.h src/probe/probe_pgbouncer.c \
	src/probe/request_log.c src/probe/request_log.h \
	src/probe/request_window.c src/probe/request_window.h \
	src/probe/request_endpoints.c src/probe/request_endpoints.h \
	src/probe/slow_queries.c src/probe/slow_queries.h \
	src/probe/probe_redis.c src/probe/redis_info.c src/probe/redis_info.h \
	src/probe/redis_slowlog.c src/probe/redis_slowlog.h \
	src/probe/probe_health.c \
	src/probe/probe_version.c src/probe/version_json.c src/probe/version_json.h \
	src/probe/probe_storage.c
