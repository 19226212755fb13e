# out/: the one-shot renderers — text, JSON, Prometheus, Nagios, issues; the
# incident report (report.h).
libopsdeck_a_SOURCES += \
	src/out/out.h src/out/text.c src/out/json.c src/out/prometheus.c src/out/nagios.c \
	src/out/issues.c \
	src/out/report.c src/out/report.h src/out/report_impl.h src/out/report_json.c \
	src/out/report_html.c
