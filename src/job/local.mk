# job/: the job runner, the audit log, recovery actions and their re-check,
# and backups (pg_dump -> parallel gzip -> sink: file:// or S3).
libopsdeck_a_SOURCES += \
	src/job/runner.c src/job/runner.h \
	src/job/audit.c src/job/audit.h \
	src/job/actions.c src/job/actions.h src/job/action_impl.h \
	src/job/action_redis.c src/job/action_app.c src/job/action_pg.c \
	src/job/recheck.c src/job/recheck.h \
	src/job/backup.c src/job/backup.h \
	src/job/sink.c src/job/sink.h src/job/sink_file.c src/job/sink_s3.c \
	src/job/gzip_parallel.c src/job/gzip_parallel.h \
	src/job/pgdump.c src/job/pgdump.h \
	src/job/manifest.c src/job/manifest.h \
	src/job/glob.c src/job/glob.h \
	src/job/files_walk.c src/job/files_walk.h
