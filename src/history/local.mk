# history/: the history store — what every poll saw, in SQLite (store.h),
# the record of one poll (record.h), its packed columns (pack.h) and the
# writers' lock (lock.h), writing as a poller does (keeper.h) and a
# dashboard's recording thread (writer.h).
libopsdeck_a_SOURCES += \
	src/history/pack.c src/history/pack.h \
	src/history/record.c src/history/record.h \
	src/history/changes.c src/history/changes.h \
	src/history/timeline.c src/history/timeline.h \
	src/history/backfill.c src/history/backfill.h \
	src/history/inspect.c src/history/inspect.h \
	src/history/lock.c src/history/lock.h \
	src/history/keeper.c src/history/keeper.h \
	src/history/writer.c src/history/writer.h \
	src/history/store.c src/history/store.h src/history/store_impl.h \
	src/history/store_recover.c \
	src/history/store_write.c \
	src/history/store_labels.c \
	src/history/store_read.c
