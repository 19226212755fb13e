/* history.c - ring buffers for sparklines (history.h). Pure. */
#include "model/history.h"

#include <string.h>

void history_init(struct history *h)
{
	memset(h, 0, sizeof(*h));
}

void history_push_at(struct history *h, enum history_series series, double value, int64_t at_ms)
{
	if ((int)series < 0 || series >= HISTORY_SERIES_COUNT)
		return;
	struct history_ring *r = &h->series[series];
	int slot = (r->start + r->count) % HISTORY_LEN;
	if (r->count < HISTORY_LEN) {
		r->count++;
	} else {
		slot = r->start;
		r->start = (r->start + 1) % HISTORY_LEN;
	}
	r->values[slot] = value;
	r->at_ms[slot] = at_ms;
}

void history_push(struct history *h, enum history_series series, double value)
{
	history_push_at(h, series, value, 0);
}

int64_t history_since_ms(const struct history *h, enum history_series series, int max)
{
	if ((int)series < 0 || series >= HISTORY_SERIES_COUNT || max <= 0)
		return 0;
	const struct history_ring *r = &h->series[series];
	if (r->count == 0)
		return 0;
	int n = r->count < max ? r->count : max;
	return r->at_ms[(r->start + r->count - n) % HISTORY_LEN];
}

int history_values(const struct history *h, enum history_series series, double *out, int max)
{
	if ((int)series < 0 || series >= HISTORY_SERIES_COUNT || max <= 0)
		return 0;
	const struct history_ring *r = &h->series[series];
	int n = r->count < max ? r->count : max;
	int skip = r->count - n;
	for (int i = 0; i < n; i++)
		out[i] = r->values[(r->start + skip + i) % HISTORY_LEN];
	return n;
}

void history_record_latency(struct history *h, enum history_series series,
                            const struct check_common *check)
{
	if (check->state == CHECK_OK && check->latency_ms >= 0)
		history_push(h, series, check->latency_ms);
}

void history_record_requests(struct history *h, const struct request_metrics *m)
{
	if (m->check.state != CHECK_OK)
		return;
	int64_t at = m->check.checked_at_ms;
	history_push_at(h, HISTORY_REQUEST_RATE, request_metrics_per_minute(m), at);
	history_push_at(h, HISTORY_ERROR_RATE, m->error_rate >= 0 ? m->error_rate : 0, at);
	history_push_at(h, HISTORY_P95, m->p95_ms >= 0 ? m->p95_ms : 0, at);
}

void history_prepend(struct history *h, const struct history *past)
{
	struct history merged;
	history_init(&merged);
	for (int s = 0; s < HISTORY_SERIES_COUNT; s++) {
		const struct history_ring *live = &h->series[s], *old = &past->series[s];
		int64_t oldest = live->count > 0 ? live->at_ms[live->start] : 0;
		for (int i = 0; i < old->count; i++) {
			int k = (old->start + i) % HISTORY_LEN;
			if (oldest == 0 || old->at_ms[k] < oldest)
				history_push_at(&merged, (enum history_series)s, old->values[k],
				                old->at_ms[k]);
		}
		for (int i = 0; i < live->count; i++) {
			int k = (live->start + i) % HISTORY_LEN;
			history_push_at(&merged, (enum history_series)s, live->values[k],
			                live->at_ms[k]);
		}
	}
	*h = merged;
}
