/* backfill.c - sparklines from the history (backfill.h). */
#include "history/backfill.h"

#include <stdlib.h>
#include <sys/stat.h>

#include "history/store.h"
#include "util/text.h"

/* The dashboard's series and the history's figure for each. */
static const char *const FIGURES[HISTORY_SERIES_COUNT] = {
    [HISTORY_LATENCY_DATABASE] = "database.latency_ms",
    [HISTORY_LATENCY_REDIS] = "redis.latency_ms",
    [HISTORY_LATENCY_HEALTH] = "health.latency_ms",
    [HISTORY_LATENCY_VERSION] = "version.latency_ms",
    [HISTORY_LATENCY_STORAGE] = "storage.latency_ms",
    [HISTORY_REQUEST_RATE] = "requests.per_minute",
    [HISTORY_ERROR_RATE] = "requests.error_rate",
    [HISTORY_P95] = "requests.p95_ms",
};

/* Pushes points into series, folded into HISTORY_LEN buckets by time. */
static int backfill_series(struct history *h, enum history_series series,
                           const struct history_point *points, int64_t n, int64_t from_ms,
                           int64_t span_ms)
{
	if (n <= HISTORY_LEN) {
		for (int64_t i = 0; i < n; i++)
			history_push_at(h, series, points[i].value, points[i].at_ms);
		return (int)n;
	}
	int filled = 0;
	int64_t i = 0;
	for (int b = 0; b < HISTORY_LEN && i < n; b++) {
		int64_t bucket_end = from_ms + span_ms * (b + 1) / HISTORY_LEN;
		if (points[i].at_ms > bucket_end && b < HISTORY_LEN - 1)
			continue; /* an empty bucket: a gap stays a gap */
		double worst = points[i].value;
		int64_t at = points[i].at_ms;
		while (i < n && (points[i].at_ms <= bucket_end || b == HISTORY_LEN - 1)) {
			if (points[i].value > worst)
				worst = points[i].value;
			at = points[i].at_ms;
			i++;
		}
		history_push_at(h, series, worst, at);
		filled++;
	}
	return filled;
}

int history_backfill(struct history *h, const char *dir, int64_t now_ms, int64_t span_ms)
{
	if (dir == NULL || dir[0] == '\0')
		return 0;
	char path[4096];
	struct stat st;
	text_printf(path, sizeof(path), "%s/history.db", dir);
	if (stat(path, &st) != 0)
		return 0;
	struct history_store *store;
	char warning[256], err[512];
	if (history_store_open(&store, dir, HISTORY_OPEN_READ, warning, sizeof(warning), err,
	                       sizeof(err)) < 0)
		return -1;
	int64_t from_ms = now_ms - span_ms;
	int filled = 0;
	for (int s = 0; s < HISTORY_SERIES_COUNT; s++) {
		struct history_point *points = NULL;
		int64_t n = history_store_series(store, FIGURES[s], from_ms, now_ms, &points);
		if (n > 0)
			filled +=
			    backfill_series(h, (enum history_series)s, points, n, from_ms, span_ms);
		free(points);
	}
	history_store_close(store);
	return filled;
}
