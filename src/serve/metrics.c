/* metrics.c - the page a scrape of /metrics answers (metrics.h). */
#include "serve/metrics.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "check/render.h"
#include "out/out.h"
#include "util/xalloc.h"

struct metrics_page {
	pthread_mutex_t mutex;
	bool ready; /* an update has been made */
	struct strbuf text;
	struct metrics_probe_times times;
};

static const struct prom_family F_PROBE_AGE = {
    "opsdeck_probe_age_seconds", "gauge",
    "Time since the check's latest completed probe, the one this page shows."};
static const struct prom_family F_PROBE_DURATION = {
    "opsdeck_probe_duration_seconds", "gauge", "How long the check's latest completed probe took."};

void metrics_probe_families(const struct metrics_probe_times *times, int64_t now_ms,
                            struct strbuf *out)
{
	struct prom p = {out, NULL};
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		if (times->finished_at_ms[i] <= 0)
			continue;
		const char *labels[] = {"check", CHECKS[i]->key, NULL};
		int64_t age = now_ms - times->finished_at_ms[i];
		prom_sample(&p, &F_PROBE_AGE, labels, (double)(age > 0 ? age : 0) / 1000.0);
	}
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		if (times->finished_at_ms[i] <= 0)
			continue;
		const char *labels[] = {"check", CHECKS[i]->key, NULL};
		prom_sample(&p, &F_PROBE_DURATION, labels, (double)times->duration_ms[i] / 1000.0);
	}
}

struct metrics_page *metrics_page_new(void)
{
	struct metrics_page *page = xcalloc(1, sizeof(*page));
	pthread_mutex_init(&page->mutex, NULL);
	strbuf_init(&page->text, 0);
	return page;
}

void metrics_page_free(struct metrics_page *page)
{
	if (page == NULL)
		return;
	pthread_mutex_destroy(&page->mutex);
	strbuf_free(&page->text);
	free(page);
}

void metrics_page_update(struct metrics_page *page, const struct snapshot *s,
                         const struct diagnosis *d, const struct metrics_probe_times *times)
{
	struct strbuf fresh;
	strbuf_init(&fresh, 0);
	out_prometheus(s, d, &fresh);
	pthread_mutex_lock(&page->mutex);
	struct strbuf old = page->text;
	page->text = fresh;
	page->times = *times;
	page->ready = true;
	pthread_mutex_unlock(&page->mutex);
	strbuf_free(&old);
}

int metrics_page_render(struct metrics_page *page, int64_t now_ms, struct strbuf *out)
{
	struct metrics_probe_times times;
	pthread_mutex_lock(&page->mutex);
	bool ready = page->ready;
	if (ready) {
		strbuf_append(out, page->text.data ? page->text.data : "", page->text.len);
		times = page->times;
	}
	pthread_mutex_unlock(&page->mutex);
	if (!ready)
		return -1;
	metrics_probe_families(&times, now_ms, out);
	return 0;
}
