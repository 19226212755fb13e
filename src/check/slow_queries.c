/* slow_queries.c - the "slow_queries" row: pg_stat_statements over the
 * threshold, over the span the probe counted (since the statistics were
 * reset for a one-shot verb, the last minute or two for the dashboard).
 * Filled by the database row's probe, on its connection. */
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>

#include "check/check.h"
#include "util/text.h"

static const char *slow_query_span_name(enum slow_query_span span)
{
	switch (span) {
	case SLOW_SPAN_SINCE_RESET:
		return "since_reset";
	case SLOW_SPAN_WINDOW:
		return "window";
	case SLOW_SPAN_BASELINE:
		return "baseline";
	}
	return "since_reset";
}

static void slow_queries_text(const struct snapshot *s, struct strbuf *b)
{
	const struct slow_query_status *sq = &s->slow_queries;
	struct check_common c = sq->check;
	char span[48];
	slow_query_span_text(sq, false, span, sizeof(span));
	if (c.state == CHECK_OK)
		snprintf(c.target, sizeof(c.target),
		         "pg_stat_statements, mean over %" PRId64 " ms %s", sq->threshold_ms, span);
	render_check_line(b, "slow sql", &c);
	if (sq->check.state != CHECK_OK)
		return;
	if (sq->count == 0)
		strbuf_printf(b, "%31snone\n", "");
	for (int i = 0; i < sq->count; i++) {
		const struct slow_query *q = &sq->items[i];
		char mean[32];
		render_duration_ms(mean, sizeof(mean), q->mean_ms);
		strbuf_printf(b, "%31s%8s x %-6" PRId64 " %.100s\n", "", mean, q->calls,
		              q->text_hidden ? "(text hidden: grant pg_read_all_stats)" : q->query);
	}
}

static const char *slow_query_problem_name(enum slow_query_problem p)
{
	switch (p) {
	case SLOW_QUERY_OK:
		return NULL;
	case SLOW_QUERY_NOT_INSTALLED:
		return "not_installed";
	case SLOW_QUERY_NOT_PRELOADED:
		return "not_preloaded";
	case SLOW_QUERY_NO_PRIVILEGE:
		return "no_privilege";
	case SLOW_QUERY_FAILED:
		return "failed";
	}
	return NULL;
}

static json_object *slow_queries_json(const struct snapshot *s)
{
	const struct slow_query_status *sq = &s->slow_queries;
	json_object *o = render_json_frame(&sq->check);
	json_object_object_add(o, "problem",
	                       render_json_string_or_null(slow_query_problem_name(sq->problem)));
	render_json_add_int(o, "threshold_ms", sq->threshold_ms);
	json_object_object_add(o, "mean_column", render_json_string_or_null(sq->mean_column));
	json_object_object_add(o, "span", json_object_new_string(slow_query_span_name(sq->span)));
	render_json_add_int(o, "span_ms", sq->span_ms);
	json_object *queries = json_object_new_array();
	for (int i = 0; i < sq->count; i++) {
		const struct slow_query *q = &sq->items[i];
		json_object *j = json_object_new_object();
		json_object_object_add(j, "query",
		                       q->text_hidden ? NULL : json_object_new_string(q->query));
		json_object_object_add(j, "text_hidden", json_object_new_boolean(q->text_hidden));
		render_json_add_int(j, "calls", q->calls);
		json_object_object_add(j, "total_ms", json_object_new_double(q->total_ms));
		json_object_object_add(j, "mean_ms", json_object_new_double(q->mean_ms));
		json_object_object_add(j, "blocks_per_call",
		                       json_object_new_double(q->blocks_per_call));
		json_object_array_add(queries, j);
	}
	json_object_object_add(o, "queries", queries);
	return o;
}

static const struct prom_family F_SLOW_QUERIES = {
    "opsdeck_slow_queries", "gauge", "Statements whose mean time exceeds slow_query_ms."};

static void slow_queries_prometheus(const struct snapshot *s, struct prom *p)
{
	if (s->slow_queries.check.state == CHECK_OK)
		prom_sample(p, &F_SLOW_QUERIES, NULL, s->slow_queries.count);
}

const struct check_class check_slow_queries = {
    .key = "slow_queries",
    .title = "Slow queries",
    .section = "database",
    .offset = offsetof(struct snapshot, slow_queries),
    .size = sizeof(struct slow_query_status),
    .has_common = true,
    .group = CHECK_GROUP_METRICS,
    .schedule = CHECK_EVERY_POLL,
    .filled_by = &check_database,
    .text = slow_queries_text,
    .json = slow_queries_json,
    .prometheus = slow_queries_prometheus,
};
