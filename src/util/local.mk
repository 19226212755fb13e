# util/: the base layer — memory, strings, text, clocks, child processes, files, threads.
libopsdeck_a_SOURCES += \
	src/util/xalloc.c src/util/xalloc.h \
	src/util/strbuf.c src/util/strbuf.h \
	src/util/text.c src/util/text.h \
	src/util/sanitize.c src/util/sanitize.h \
	src/util/clock.c src/util/clock.h \
	src/util/spawn.c src/util/spawn.h \
	src/util/percent.c src/util/percent.h \
	src/util/file.c src/util/file.h \
	src/util/message.c src/util/message.h \
	src/util/cpu.c src/util/cpu.h \
	src/util/parallel.c src/util/parallel.h \
	src/util/line_queue.c src/util/line_queue.h
