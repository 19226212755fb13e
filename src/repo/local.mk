# repo/: the backup repository — storage drivers (file:// or
# S3) behind one interface, manifests, backup names, the catalog of what a
# target holds and the backup freshness probe.
libopsdeck_a_SOURCES += \
	src/repo/sink.c src/repo/sink.h src/repo/sink_file.c src/repo/sink_s3.c \
	src/repo/manifest.c src/repo/manifest.h \
	src/repo/backup_name.c src/repo/backup_name.h \
	src/repo/backup_codec.c src/repo/backup_codec.h \
	src/repo/catalog.c src/repo/catalog.h \
	src/repo/freshness.c src/repo/freshness.h \
	src/repo/retention.c src/repo/retention.h \
	src/repo/copy_count.c src/repo/copy_count.h
