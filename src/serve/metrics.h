/* metrics.h - what a scrape of /metrics answers: the page the latest
 * completed poll rendered (out_prometheus, the families of `status
 * --prometheus`) and, computed at the scrape, how old each check's latest
 * probe is and how long it took.
 *
 * The poller hands each completed poll to metrics_page_update; scrapes
 * read with metrics_page_render, on any thread, under the page's mutex
 * and never waiting on a backend: a probe in flight is not looked at.
 */
#ifndef OPSDECK_SERVE_METRICS_H
#define OPSDECK_SERVE_METRICS_H

#include <stdint.h>

#include "check/check.h"
#include "model/issue.h"
#include "model/snapshot.h"
#include "util/strbuf.h"

/* Per row of CHECKS: the monotonic end of its latest completed probe (0:
 * the row is not polled, or has not completed a probe) and how long that
 * probe took. */
struct metrics_probe_times {
	int64_t finished_at_ms[CHECK_COUNT];
	int64_t duration_ms[CHECK_COUNT];
};

struct metrics_page;

/* An empty page: nothing to serve until the first update. */
struct metrics_page *metrics_page_new(void);
void metrics_page_free(struct metrics_page *page); /* NULL: no-op */

/* Renders s and d (borrowed) and makes the result, with times, the page
 * scrapes see. The rendering happens before the mutex is taken. */
void metrics_page_update(struct metrics_page *page, const struct snapshot *s,
                         const struct diagnosis *d, const struct metrics_probe_times *times);

/* Appends the page to out with the probe families as of now_ms
 * (monotonic). Returns 0, or -1 (out untouched) before the first update. */
int metrics_page_render(struct metrics_page *page, int64_t now_ms, struct strbuf *out);

/* opsdeck_probe_age_seconds and opsdeck_probe_duration_seconds, one
 * sample per polled row (label check = the row's key), as of now_ms.
 * Pure. */
void metrics_probe_families(const struct metrics_probe_times *times, int64_t now_ms,
                            struct strbuf *out);

#endif
