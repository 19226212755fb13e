/* exporter.h - the Prometheus exporter: the dashboard's probe threads
 * (ui/workers.h) poll on their interval, each completed poll is diagnosed
 * and rendered into the page /metrics serves (serve/metrics.h), and an
 * HTTP server (serve/http.h) answers /metrics and /healthz from it. A
 * scrape never waits on a backend: a hung probe leaves its row as its
 * latest completed probe saw it, and opsdeck_probe_age_seconds grows.
 *
 * The backup listing (a CHECK_SELDOM row) is polled every
 * EXPORTER_SELDOM_MS, as the dashboard's backup menu does.
 *
 * /metrics: 200 with the page; 503 until every polled check has completed
 * its first probe. /healthz: 200 "ok" while the probe threads complete
 * probes; 503 when none has for 2 intervals and 2 [app] timeouts.
 *
 * All functions are for one thread (the caller's); the HTTP server has
 * its own. probe_global_init() must have been called first.
 */
#ifndef OPSDECK_SERVE_EXPORTER_H
#define OPSDECK_SERVE_EXPORTER_H

#include <stdbool.h>
#include <stddef.h>

#include "check/check.h"
#include "config/config.h"
#include "model/issue.h"

#define EXPORTER_DEFAULT_LISTEN "127.0.0.1:9877"
#define EXPORTER_SELDOM_MS      CHECK_SELDOM_INTERVAL_MS

struct exporter;

/* Starts polling cfg and serving on listen ("ADDR:PORT"), the address
 * bound written to bound. Takes cfg (allocated with malloc): it is freed
 * by exporter_stop, or kept to the process exit while a probe still reads
 * it. Returns 0, or -1 with why in err (cfg freed). */
int exporter_start(struct exporter **out, struct config *cfg, const char *listen, char *bound,
                   size_t boundlen, char *err, size_t errlen);

/* Readable when a probe has completed: then call exporter_publish. */
int exporter_wake_fd(const struct exporter *e);

/* Takes the probes completed since the last call into the page; true when
 * that completed a poll, which was diagnosed (exporter_diagnosis). */
bool exporter_publish(struct exporter *e);

/* The diagnosis of the latest completed poll. */
const struct diagnosis *exporter_diagnosis(const struct exporter *e);

/* Polls with cfg from now on (taken, as by exporter_start): the running
 * probe threads are stopped (a probe in flight is waited for up to the
 * old [app] timeout) and new ones started. /metrics keeps the last page
 * until the new threads have completed a poll. Returns 0, or -1 with why
 * in err: the old configuration stays in use and cfg is freed. */
int exporter_reload(struct exporter *e, struct config *cfg, char *err, size_t errlen);

/* Stops serving and polling; NULL is a no-op. Returns 0, or -1 when probe
 * threads are still in a probe (then probe_global_cleanup must not be
 * called: they are left to the process exit). */
int exporter_stop(struct exporter *e);

#endif
