# out/: the one-shot renderers — text, JSON, Prometheus, Nagios, issues.
libopsdeck_a_SOURCES += \
	src/out/out.h src/out/text.c src/out/json.c src/out/prometheus.c src/out/nagios.c \
	src/out/issues.c
