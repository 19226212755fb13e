/* history.h - bounded ring buffers of recent figures, for sparklines.
 *
 * Plain data with a fixed size (no allocation), so a history is copied with
 * memcpy like a Snapshot. The dashboard pushes one value per series each
 * time the part of the Snapshot it comes from is refreshed; the oldest value
 * falls off when a ring is full.
 */
#ifndef OPSDECK_MODEL_HISTORY_H
#define OPSDECK_MODEL_HISTORY_H

#include "model/snapshot.h"

#define HISTORY_LEN 120

enum history_series {
	HISTORY_LATENCY_DATABASE = 0,
	HISTORY_LATENCY_REDIS,
	HISTORY_LATENCY_HEALTH,
	HISTORY_LATENCY_VERSION,
	HISTORY_LATENCY_STORAGE,
	HISTORY_REQUEST_RATE, /* requests per minute over the window */
	HISTORY_ERROR_RATE,   /* 0..1 */
	HISTORY_P95,          /* ms */
	HISTORY_SERIES_COUNT
};

struct history_ring {
	double values[HISTORY_LEN];
	int64_t at_ms[HISTORY_LEN]; /* wall clock of each value, 0 when unknown */
	int start;                  /* index of the oldest value */
	int count;
};

struct history {
	struct history_ring series[HISTORY_SERIES_COUNT];
};

void history_init(struct history *h);

/* Appends a value, dropping the oldest when full; history_push_at with the
 * wall clock of the value, so that a sparkline can say what span it covers. */
void history_push(struct history *h, enum history_series series, double value);
void history_push_at(struct history *h, enum history_series series, double value, int64_t at_ms);

/* Puts the values of `past` before those of h, series by series: each
 * past value older than h's oldest (all of them when h's series is empty
 * or its oldest has no time), then h's own; the newest HISTORY_LEN stay.
 * For a history read after the live values began to arrive. */
void history_prepend(struct history *h, const struct history *past);

/* Copies at most `max` of the newest values, oldest first, into out;
 * returns how many. */
int history_values(const struct history *h, enum history_series series, double *out, int max);

/* The wall clock of the oldest of the `max` newest values (the first that
 * history_values copies), or 0 when there is none or it is unknown. */
int64_t history_since_ms(const struct history *h, enum history_series series, int max);

/* The latency series of the check a part refreshes, from that part:
 * pushes the latency when the check is OK (so a failing check leaves a gap
 * rather than a bogus 0). */
void history_record_latency(struct history *h, enum history_series series,
                            const struct check_common *check);

/* Pushes request rate, error rate and p95 from the request metrics, when
 * they were read, at the time they were read. */
void history_record_requests(struct history *h, const struct request_metrics *m);

#endif
