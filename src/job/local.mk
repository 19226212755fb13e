# job/: the job runner, the audit log, recovery actions and their re-check,
# and backups (pg_dump -> parallel gzip -> the repository, repo/), one file
# per verb.
libopsdeck_a_SOURCES += \
	src/job/runner.c src/job/runner.h \
	src/job/audit.c src/job/audit.h src/job/audit_read.c \
	src/job/actions.c src/job/actions.h src/job/action_impl.h \
	src/job/action_redis.c src/job/action_app.c src/job/action_pg.c src/job/action_blocker.c \
	src/job/recheck.c src/job/recheck.h \
	src/job/backup.h src/job/backup_common.c src/job/backup_common.h \
	src/job/backup_db.c src/job/backup_files.c src/job/backup_list.c src/job/backup_verify.c \
	src/job/backup_fetch.c src/job/backup_fetch.h \
	src/job/restore_files.c src/job/restore_files.h src/job/tree_write.c src/job/tree_write.h \
	src/job/gzip_parallel.c src/job/gzip_parallel.h \
	src/job/pgdump.c src/job/pgdump.h \
	src/job/pgprogram.c src/job/pgprogram.h src/job/pgchild.c src/job/pgchild.h src/job/pg_load.c src/job/pg_load.h \
	src/job/restore_db.c src/job/restore_db.h src/job/restore_swap.c src/job/restore_swap.h \
	src/job/glob.c src/job/glob.h \
	src/job/files_walk.c src/job/files_walk.h \
	src/job/backup_prune.c src/job/backup_prune.h \
	src/job/backup_deadline.c src/job/backup_deadline.h \
	src/job/drill_state.c src/job/drill_state.h \
	src/job/drill_sql.c src/job/drill_sql.h \
	src/job/drill_check.c src/job/drill_check.h \
	src/job/backup_drill.c src/job/backup_drill.h
