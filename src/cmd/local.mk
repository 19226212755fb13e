# cmd/: one file per verb of the command line (main.c dispatches to them).
libopsdeck_a_SOURCES += \
	src/cmd/cmd.h src/cmd/cli.c src/cmd/cli_term.h src/cmd/cli_term.c src/cmd/status.c src/cmd/check.c src/cmd/version_file.c \
	src/cmd/diagnose.c src/cmd/recover.c src/cmd/audit.c src/cmd/backup.c src/cmd/backup_prune.c \
	src/cmd/backup_drill.c \
	src/cmd/restore.c src/cmd/restore_files.c src/cmd/restore_db.c \
	src/cmd/dashboard.c src/cmd/record.c src/cmd/exporter.c src/cmd/envs.c src/cmd/report.c
