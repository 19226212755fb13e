# config/: INI files, .env files, ${VAR} expansion, URLs, default paths.
libopsdeck_a_SOURCES += \
	src/config/ini.c src/config/ini.h \
	src/config/envfile.c src/config/envfile.h \
	src/config/expand.c src/config/expand.h \
	src/config/config.c src/config/config.h \
	src/config/keys.c src/config/keys.h \
	src/config/validate.c src/config/validate.h \
	src/config/watch.c src/config/watch.h \
	src/config/pgurl.c src/config/pgurl.h \
	src/config/redisurl.c src/config/redisurl.h \
	src/config/paths.c src/config/paths.h \
	src/config/envs.c src/config/envs.h \
	src/config/backup_target.c src/config/backup_target.h
