/* requests.c - the "requests" row: the app's request log over the window.
 * Filled by the database row's probe, on its connection. */
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>

#include "check/check.h"
#include "check/requests_endpoints.h"
#include "util/text.h"

static void requests_text(const struct snapshot *s, struct strbuf *b)
{
	const struct request_metrics *m = &s->requests;
	char window[32];
	text_format_duration(window, sizeof(window), m->window_ms);
	struct check_common c = m->check;
	if (c.state == CHECK_OK)
		snprintf(c.target, sizeof(c.target), "\"%s\" over the last %s", m->table, window);
	render_check_line(b, "requests", &c);
	if (m->check.state != CHECK_OK)
		return;
	if (m->requests == 0) {
		strbuf_printf(b, "%31sno traffic\n", "");
	} else {
		char avg[32], p95[32], p99[32];
		render_duration_ms(avg, sizeof(avg), m->avg_ms);
		render_duration_ms(p95, sizeof(p95), m->p95_ms);
		render_duration_ms(p99, sizeof(p99), m->p99_ms);
		strbuf_printf(b,
		              "%31s%" PRId64 " requests; errors %.1f%% (%" PRId64
		              "); avg %s, p95 %s, p99 %s\n",
		              "", m->requests, m->error_rate * 100, m->errors, avg, p95, p99);
		endpoints_render_text(&m->endpoints, b);
	}
	if (m->timestamp_index_missing)
		strbuf_printf(b, "%31sno index on \"timestamp\": %s\n", "", m->index_hint);
}

static json_object *requests_buckets_json(const struct request_metrics *m)
{
	json_object *buckets = json_object_new_array();
	for (int i = 0; i < m->bucket_count; i++) {
		const struct request_bucket *bk = &m->buckets[i];
		json_object *j = json_object_new_object();
		json_object_object_add(j, "start", render_json_time(bk->start_ms));
		render_json_add_int(j, "requests", bk->requests);
		render_json_add_int(j, "errors", bk->errors);
		json_object_object_add(j, "avg_ms", render_json_figure(bk->avg_ms));
		json_object_array_add(buckets, j);
	}
	return buckets;
}

static json_object *requests_json(const struct snapshot *s)
{
	const struct request_metrics *m = &s->requests;
	json_object *o = render_json_frame(&m->check);
	json_object_object_add(o, "table", render_json_string_or_null(m->table));
	json_object_object_add(o, "window_s", json_object_new_double((double)m->window_ms / 1000));
	if (m->check.state != CHECK_OK)
		return o;
	render_json_add_int(o, "requests", m->requests);
	render_json_add_int(o, "errors", m->errors);
	json_object_object_add(o, "error_rate", render_json_figure(m->error_rate));
	json_object_object_add(o, "avg_ms", render_json_figure(m->avg_ms));
	json_object_object_add(o, "p95_ms", render_json_figure(m->p95_ms));
	json_object_object_add(o, "p99_ms", render_json_figure(m->p99_ms));
	json_object_object_add(o, "bucket_width_s",
	                       json_object_new_double((double)m->bucket_width_ms / 1000));
	json_object_object_add(o, "buckets", requests_buckets_json(m));
	json_object_object_add(o, "timestamp_index_missing",
	                       json_object_new_boolean(m->timestamp_index_missing));
	json_object_object_add(o, "index_hint", render_json_string_or_null(m->index_hint));
	json_object_object_add(o, "endpoints", endpoints_render_json(&m->endpoints));
	return o;
}

static const struct prom_family F_REQUEST_WINDOW = {"opsdeck_request_window_seconds", "gauge",
                                                    "Length of the request-log window measured."};
static const struct prom_family F_REQUESTS = {"opsdeck_requests_in_window", "gauge",
                                              "Requests the app logged in the window."};
static const struct prom_family F_REQUEST_ERRORS = {"opsdeck_request_errors_in_window", "gauge",
                                                    "Requests answered 5xx in the window."};
static const struct prom_family F_REQUEST_ERROR_RATIO = {
    "opsdeck_request_error_ratio", "gauge", "Share of requests answered 5xx in the window."};
static const struct prom_family F_REQUEST_DURATION = {
    "opsdeck_request_duration_seconds", "gauge",
    "Request duration over the window: average, p95 and p99."};

static void requests_prometheus(const struct snapshot *s, struct prom *p)
{
	const struct request_metrics *m = &s->requests;
	if (m->check.state != CHECK_OK)
		return;
	prom_sample(p, &F_REQUEST_WINDOW, NULL, (double)m->window_ms / 1000.0);
	prom_sample(p, &F_REQUESTS, NULL, (double)m->requests);
	prom_sample(p, &F_REQUEST_ERRORS, NULL, (double)m->errors);
	if (m->error_rate >= 0)
		prom_sample(p, &F_REQUEST_ERROR_RATIO, NULL, m->error_rate);
	const struct {
		const char *stat;
		double ms;
	} stats[] = {{"avg", m->avg_ms}, {"p95", m->p95_ms}, {"p99", m->p99_ms}};
	for (size_t i = 0; i < sizeof(stats) / sizeof(stats[0]); i++) {
		const char *labels[] = {"stat", stats[i].stat, NULL};
		if (stats[i].ms >= 0)
			prom_sample(p, &F_REQUEST_DURATION, labels, stats[i].ms / 1000.0);
	}
	endpoints_render_prometheus(&m->endpoints, p);
}

static void requests_nagios_perfdata(const struct snapshot *s, struct strbuf *b)
{
	const struct request_metrics *m = &s->requests;
	if (m->check.state != CHECK_OK)
		return;
	strbuf_printf(b, " requests=%lld;;;0", (long long)m->requests);
	if (m->error_rate >= 0)
		strbuf_printf(b, " error_rate=%.2f%%;;;0;100", m->error_rate * 100);
	if (m->avg_ms >= 0)
		strbuf_printf(b, " avg_response=%.6fs;;;0 p95_response=%.6fs;;;0", m->avg_ms / 1000,
		              m->p95_ms / 1000);
}

const struct check_class check_requests = {
    .key = "requests",
    .title = "Performance",
    .section = "database",
    .offset = offsetof(struct snapshot, requests),
    .size = sizeof(struct request_metrics),
    .has_common = true,
    .group = CHECK_GROUP_METRICS,
    .schedule = CHECK_EVERY_POLL,
    .filled_by = &check_database,
    .text = requests_text,
    .json = requests_json,
    .prometheus = requests_prometheus,
    .nagios_perfdata = requests_nagios_perfdata,
};
