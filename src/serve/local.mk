# serve/: the Prometheus exporter — its HTTP server (libmicrohttpd, only in
# http.c), the listening socket, the page /metrics serves, and the exporter
# that runs the dashboard's probe threads (ui/workers.h) behind them.
libopsdeck_a_SOURCES += \
	src/serve/listen.c src/serve/listen.h \
	src/serve/http.c src/serve/http.h \
	src/serve/metrics.c src/serve/metrics.h \
	src/serve/exporter.c src/serve/exporter.h
