/* request_window.h - the request-log window kept between the dashboard's
 * polls, so a poll reads only the rows of the last minutes, not the hour.
 *
 * Per one-minute slice (Unix minute: ms / 60000, the UTC wall clock Prisma
 * stores) it keeps the requests, the 5xx, the sum of the durations and a
 * histogram {duration -> count}, sorted by duration. "duration" is a whole
 * number of ms, so the window's p95/p99 come out exactly as percentile_cont
 * gives them (linear interpolation at p * (n - 1) over the sorted values).
 *
 * Each poll runs request_log_window_sql() (see request_log.h) with $2 =
 * request_window_since(): the reply replaces wholly the window's oldest
 * minute (read again from the window's exact start) and every minute from
 * max($2, oldest + 1); minutes before the oldest are dropped. The others
 * ended at least a minute before the previous poll and are kept (a row
 * inserted later than that, stamped that far back, is missed until the
 * minute leaves the window).
 *
 * Sparkline buckets: the same width and count as request_log_plan() gives,
 * but they end at the end of the current minute (not at now()), so every
 * minute falls in one bucket; minutes older than the first bucket count in
 * it. The totals (count, 5xx, average, p95, p99) are those of the one-shot
 * query on the same rows.
 *
 * Pure: no libpq, no clock; the owner (the dashboard's database worker)
 * keeps one per connection target and calls it from one thread.
 */
#ifndef OPSDECK_PROBE_REQUEST_WINDOW_H
#define OPSDECK_PROBE_REQUEST_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/snapshot.h"
#include "probe/request_log.h"

struct request_window_count {
	int64_t duration_ms;
	int64_t requests;
};

struct request_window_minute {
	int64_t minute; /* Unix ms / 60000 */
	int64_t requests;
	int64_t errors; /* statusCode >= 500 */
	int64_t sum_ms;
	struct request_window_count *hist; /* sorted by duration, no zero counts */
	size_t hist_len;
};

struct request_window {
	bool primed;                           /* a reply was applied */
	int64_t window_ms;                     /* of the last reply */
	int64_t now_ms;                        /* the server's now() at the last reply, Unix ms */
	int64_t since_ms;                      /* what the next poll asks from */
	char table[128];                       /* the configured table the minutes come from */
	struct request_window_minute *minutes; /* sorted by minute */
	size_t count, cap;
	/* The breakdown by path (request_endpoints.h), read again when
	 * REQUEST_ENDPOINTS_REFRESH_MS of server time have passed since
	 * endpoints_at_ms (0: never read). The probe owns these. */
	struct endpoint_breakdown endpoints;
	int64_t endpoints_at_ms;
};

void request_window_init(struct request_window *w);
void request_window_free(struct request_window *w);
/* Forgets every minute: the next poll reads the whole window. */
void request_window_reset(struct request_window *w);

/* Resets w unless it holds minutes of `table` over `window_ms`. */
void request_window_prepare(struct request_window *w, const char *table, int64_t window_ms);

/* $2 of the window query, Unix ms: 0 before the first reply (the whole
 * window), else the start of the minute holding the previous now(), minus
 * one minute of slack for rows inserted late. */
int64_t request_window_since(const struct request_window *w);

/* The columns of request_log_window_sql(): one row per (minute, duration)
 * with count and 5xx, and one row with minute NULL carrying now(). */
enum request_window_column {
	REQUEST_WINDOW_COL_MINUTE,   /* Unix minute; NULL on the now() row */
	REQUEST_WINDOW_COL_DURATION, /* ms */
	REQUEST_WINDOW_COL_REQUESTS,
	REQUEST_WINDOW_COL_ERRORS,
	REQUEST_WINDOW_COL_NOW_MS, /* Unix ms, on the now() row only */
	REQUEST_WINDOW_COL_COUNT
};

/* Applies a reply (values[row * REQUEST_WINDOW_COL_COUNT + column], text or
 * NULL) of the query sent with $1 = window_ms and $2 = since_ms. Returns 0,
 * or -1 with err and w untouched on a malformed reply. */
int request_window_apply(struct request_window *w, int64_t window_ms, int64_t since_ms,
                         const char *const *values, int rows, char *err, size_t errlen);

/* Fills out's figures and buckets from w (which must be primed) for plan,
 * as request_log_parse does, and sets check.state OK. */
void request_window_metrics(const struct request_window *w, const struct request_log_plan *plan,
                            struct request_metrics *out);

#endif
