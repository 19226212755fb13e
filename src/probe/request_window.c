/* request_window.c - the request-log window kept between polls (see
 * request_window.h). Pure: no libpq, no clock. */
#include "probe/request_window.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/sanitize.h"
#include "util/text.h"
#include "util/xalloc.h"

#define MINUTE_MS 60000

/* floor(a / b) for b > 0. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && a < 0) ? q - 1 : q;
}

void request_window_init(struct request_window *w)
{
	memset(w, 0, sizeof(*w));
}

static void minute_free(struct request_window_minute *m)
{
	free(m->hist);
	m->hist = NULL;
	m->hist_len = 0;
}

void request_window_reset(struct request_window *w)
{
	for (size_t i = 0; i < w->count; i++)
		minute_free(&w->minutes[i]);
	w->count = 0;
	w->primed = false;
	w->now_ms = 0;
	w->since_ms = 0;
	w->endpoints_at_ms = 0;
}

void request_window_free(struct request_window *w)
{
	request_window_reset(w);
	free(w->minutes);
	memset(w, 0, sizeof(*w));
}

void request_window_prepare(struct request_window *w, const char *table, int64_t window_ms)
{
	char shown[sizeof(w->table)];
	sanitize_text(shown, sizeof(shown), table ? table : "");
	if (w->primed && w->window_ms == window_ms && strcmp(w->table, shown) == 0)
		return;
	request_window_reset(w);
	w->window_ms = window_ms;
	snprintf(w->table, sizeof(w->table), "%s", shown);
}

int64_t request_window_since(const struct request_window *w)
{
	if (!w->primed)
		return 0;
	return (floor_div(w->now_ms, MINUTE_MS) - 1) * MINUTE_MS;
}

struct reply_row {
	int64_t minute, duration, requests, errors;
};

static int row_cmp(const void *a, const void *b)
{
	const struct reply_row *x = a, *y = b;
	if (x->minute != y->minute)
		return x->minute < y->minute ? -1 : 1;
	if (x->duration != y->duration)
		return x->duration < y->duration ? -1 : 1;
	return 0;
}

static int bad_cell(const char *what, const char *value, char *err, size_t errlen)
{
	char shown[32];
	sanitize_text(shown, sizeof(shown), value ? value : "NULL");
	snprintf(err, errlen, "bad %s value \"%s\"", what, shown);
	return -1;
}

static int cell_int(const char *value, const char *what, int64_t min, int64_t *out, char *err,
                    size_t errlen)
{
	if (!value || text_parse_int64(value, out) < 0 || *out < min)
		return bad_cell(what, value, err, errlen);
	return 0;
}

static void push_minute(struct request_window_minute **v, size_t *count, size_t *cap,
                        struct request_window_minute m)
{
	if (*count == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*v = xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*count)++] = m;
}

int request_window_apply(struct request_window *w, int64_t window_ms, int64_t since_ms,
                         const char *const *values, int rows, char *err, size_t errlen)
{
	struct reply_row *parsed = xcalloc((size_t)(rows > 0 ? rows : 1), sizeof(*parsed));
	size_t n = 0;
	int64_t now_ms = 0;
	bool have_now = false;
	int rc = -1;

	for (int r = 0; r < rows; r++) {
		const char *const *row = values + (size_t)r * REQUEST_WINDOW_COL_COUNT;
		if (!row[REQUEST_WINDOW_COL_MINUTE]) {
			if (have_now) {
				snprintf(err, errlen, "two now() rows");
				goto done;
			}
			if (cell_int(row[REQUEST_WINDOW_COL_NOW_MS], "server time", 1, &now_ms, err,
			             errlen) < 0)
				goto done;
			have_now = true;
			continue;
		}
		struct reply_row *p = &parsed[n];
		if (cell_int(row[REQUEST_WINDOW_COL_MINUTE], "minute", INT64_MIN / MINUTE_MS,
		             &p->minute, err, errlen) < 0 ||
		    cell_int(row[REQUEST_WINDOW_COL_DURATION], "duration", 0, &p->duration, err,
		             errlen) < 0 ||
		    cell_int(row[REQUEST_WINDOW_COL_REQUESTS], "requests", 1, &p->requests, err,
		             errlen) < 0 ||
		    cell_int(row[REQUEST_WINDOW_COL_ERRORS], "errors", 0, &p->errors, err, errlen) <
		        0)
			goto done;
		if (p->errors > p->requests) {
			snprintf(err, errlen, "%" PRId64 " errors out of %" PRId64 " requests",
			         p->errors, p->requests);
			goto done;
		}
		n++;
	}
	if (!have_now) {
		snprintf(err, errlen, "no server time in the reply");
		goto done;
	}

	/* What the reply covers: the oldest minute (from the window's start)
	 * and every minute from clear_from on. */
	int64_t oldest = floor_div(now_ms - window_ms, MINUTE_MS);
	int64_t clear_from = floor_div(since_ms, MINUTE_MS);
	if (clear_from < oldest + 1)
		clear_from = oldest + 1;
	qsort(parsed, n, sizeof(*parsed), row_cmp);
	for (size_t i = 0; i < n; i++) {
		if (parsed[i].minute != oldest && parsed[i].minute < clear_from) {
			snprintf(err, errlen, "minute %" PRId64 " is outside the rows asked for",
			         parsed[i].minute);
			goto done;
		}
		if (i > 0 && row_cmp(&parsed[i - 1], &parsed[i]) == 0) {
			snprintf(err, errlen,
			         "minute %" PRId64 ", duration %" PRId64 " appears twice",
			         parsed[i].minute, parsed[i].duration);
			goto done;
		}
	}

	/* The new list: the kept minutes and the reply's, both sorted. */
	struct request_window_minute *out = NULL;
	size_t count = 0, cap = 0, i = 0, k = 0;
	for (;;) {
		while (k < w->count &&
		       !(w->minutes[k].minute > oldest && w->minutes[k].minute < clear_from))
			minute_free(&w->minutes[k++]);
		bool old_next = k < w->count && (i >= n || w->minutes[k].minute < parsed[i].minute);
		if (old_next) {
			push_minute(&out, &count, &cap, w->minutes[k++]);
			continue;
		}
		if (i >= n)
			break;
		struct request_window_minute m = {.minute = parsed[i].minute};
		size_t j = i;
		while (j < n && parsed[j].minute == m.minute)
			j++;
		m.hist = xcalloc(j - i, sizeof(*m.hist));
		for (; i < j; i++) {
			m.hist[m.hist_len].duration_ms = parsed[i].duration;
			m.hist[m.hist_len++].requests = parsed[i].requests;
			m.requests += parsed[i].requests;
			m.errors += parsed[i].errors;
			m.sum_ms += parsed[i].duration * parsed[i].requests;
		}
		push_minute(&out, &count, &cap, m);
	}
	free(w->minutes);
	w->minutes = out;
	w->count = count;
	w->cap = cap;
	w->primed = true;
	w->window_ms = window_ms;
	w->now_ms = now_ms;
	rc = 0;
done:
	free(parsed);
	return rc;
}

/* percentile_cont(p) over the merged histogram (PostgreSQL's arithmetic:
 * first = floor(p * (n - 1)), second = ceil(...), lo + frac * (hi - lo)). */
static void window_percentiles(const struct request_window *w, int64_t total, double *p95,
                               double *p99)
{
	const double pct[2] = {0.95, 0.99};
	int64_t want[4];
	double got[4] = {0};
	for (int q = 0; q < 2; q++) {
		double pos = pct[q] * (double)(total - 1);
		want[q * 2] = (int64_t)floor(pos);
		want[q * 2 + 1] = (int64_t)ceil(pos);
	}
	/* A k-way walk over the minutes' sorted histograms, in duration order. */
	size_t *next = xcalloc(w->count ? w->count : 1, sizeof(*next));
	int64_t seen = 0; /* values before the current duration */
	int found = 0;
	while (found < 4) {
		int64_t d = INT64_MAX, c = 0;
		for (size_t m = 0; m < w->count; m++)
			if (next[m] < w->minutes[m].hist_len &&
			    w->minutes[m].hist[next[m]].duration_ms < d)
				d = w->minutes[m].hist[next[m]].duration_ms;
		if (d == INT64_MAX)
			break;
		for (size_t m = 0; m < w->count; m++)
			if (next[m] < w->minutes[m].hist_len &&
			    w->minutes[m].hist[next[m]].duration_ms == d)
				c += w->minutes[m].hist[next[m]++].requests;
		found = 0;
		for (int q = 0; q < 4; q++) {
			if (want[q] >= seen && want[q] < seen + c)
				got[q] = (double)d;
			if (want[q] < seen + c)
				found++;
		}
		seen += c;
	}
	free(next);
	for (int q = 0; q < 2; q++) {
		double pos = pct[q] * (double)(total - 1);
		double frac = pos - floor(pos);
		double v = got[q * 2] + frac * (got[q * 2 + 1] - got[q * 2]);
		*(q == 0 ? p95 : p99) = v;
	}
}

void request_window_metrics(const struct request_window *w, const struct request_log_plan *plan,
                            struct request_metrics *out)
{
	int64_t end = (floor_div(w->now_ms, MINUTE_MS) + 1) * MINUTE_MS;
	int64_t first = end - (int64_t)plan->bucket_count * plan->bucket_width_ms;
	int64_t sums[SNAPSHOT_BUCKETS] = {0};
	int64_t requests = 0, errors = 0, sum_ms = 0;

	out->bucket_width_ms = plan->bucket_width_ms;
	out->bucket_count = plan->bucket_count;
	for (int k = 0; k < out->bucket_count; k++) {
		out->buckets[k].start_ms = first + (int64_t)k * plan->bucket_width_ms;
		out->buckets[k].requests = 0;
		out->buckets[k].errors = 0;
		out->buckets[k].avg_ms = -1;
	}
	for (size_t i = 0; i < w->count; i++) {
		const struct request_window_minute *m = &w->minutes[i];
		int64_t k = floor_div(m->minute * MINUTE_MS - first, plan->bucket_width_ms);
		if (k < 0)
			k = 0;
		if (k >= out->bucket_count)
			k = out->bucket_count - 1;
		out->buckets[k].requests += m->requests;
		out->buckets[k].errors += m->errors;
		sums[k] += m->sum_ms;
		requests += m->requests;
		errors += m->errors;
		sum_ms += m->sum_ms;
	}
	for (int k = 0; k < out->bucket_count; k++)
		if (out->buckets[k].requests > 0)
			out->buckets[k].avg_ms = (double)sums[k] / (double)out->buckets[k].requests;
	out->requests = requests;
	out->errors = errors;
	if (requests > 0) {
		out->error_rate = (double)errors / (double)requests;
		out->avg_ms = (double)sum_ms / (double)requests;
		window_percentiles(w, requests, &out->p95_ms, &out->p99_ms);
	} else {
		out->error_rate = out->avg_ms = out->p95_ms = out->p99_ms = -1;
	}
	out->check.state = CHECK_OK;
}
