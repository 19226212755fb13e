# client/: the backend clients that probes and actions share — PostgreSQL,
# Redis, HTTP, bounded name lookups, TLS for rediss://.
libopsdeck_a_SOURCES += \
	src/client/client.c src/client/client.h \
	src/client/resolve.c src/client/resolve.h \
	src/client/http_client.c src/client/http_client.h \
	src/client/pg_session.c src/client/pg_session.h \
	src/client/redis_session.c src/client/redis_session.h \
	src/client/tls.c src/client/tls.h
