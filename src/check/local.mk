# check/: the check registry — one file per check (probe adapter and
# renderers), the table, the parallel runner and the shared renderers.
libopsdeck_a_SOURCES += \
	src/check/check.h src/check/registry.c src/check/runner.c \
	src/check/overall.c src/check/overall.h \
	src/check/fleet.c src/check/fleet.h \
	src/check/render.c src/check/render.h \
	src/check/database.c src/check/redis.c src/check/health.c src/check/requests.c \
	src/check/requests_endpoints.c src/check/requests_endpoints.h \
	src/check/slow_queries.c src/check/pg_upkeep.c src/check/storage.c src/check/version.c \
	src/check/backup.c src/check/backup_drill.c src/check/connections.c \
	src/check/locks.c src/check/pgbouncer.c src/check/redis_load.c
