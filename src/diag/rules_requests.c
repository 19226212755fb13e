/* rules_requests.c - the rules on the app's requests and the database's statements (see rule.h). */
#include "diag/rule.h"

#include <stdio.h>
#include <string.h>

#include "util/text.h"

/* What the breakdown by path adds to a recommendation when it has nothing
 * to name: why, or "" when there was simply no breakdown to make. */
static const char *endpoints_missing(const struct endpoint_breakdown *b)
{
	return b->state == ENDPOINTS_NOT_AVAILABLE || b->state == ENDPOINTS_FAILED ? b->why : "";
}

void rule_error_rate(const struct rule_context *ctx)
{
	const struct request_metrics *m = &ctx->now->requests;
	double limit = ctx->cfg->thresholds.error_rate;
	if (m->check.state != CHECK_OK || m->error_rate < 0 || m->error_rate <= limit)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_ERROR_RATE, SEVERITY_HIGH, NULL);
	if (!i)
		return;
	char window[32], errors[32], requests[32], worst[200];
	text_format_duration(window, sizeof(window), m->window_ms);
	text_format_count(errors, sizeof(errors), m->errors);
	text_format_count(requests, sizeof(requests), m->requests);
	endpoints_errors_text(&m->endpoints, 2, worst, sizeof(worst));
	MESSAGE(i,
	        "Error rate %.1f%% over the last %s (limit %.1f%%): %s of %s requests answered "
	        "5xx%s%s",
	        m->error_rate * 100, window, limit * 100, errors, requests, worst[0] ? "; " : "",
	        worst);
	const struct endpoint_stat *top = endpoints_worst_errors(&m->endpoints);
	const char *missing = endpoints_missing(&m->endpoints);
	if (top)
		RECOMMEND(i,
		          "Start with %.64s (%.1f%% of the 5xx): its errors in the app's log; a "
		          "recent deploy is the usual suspect (compare the version). Restart the "
		          "app if it is stuck.",
		          top->path,
		          m->endpoints.errors > 0
		              ? 100.0 * (double)top->errors / (double)m->endpoints.errors
		              : 0.0);
	else
		RECOMMEND(i,
		          "Find the failing routes in the app's log%s%s%s; a recent deploy is the "
		          "usual suspect (compare the version). Restart the app if it is stuck.",
		          missing[0] ? " (" : "", missing, missing[0] ? ")" : "");
}

void rule_slow_response(const struct rule_context *ctx)
{
	const struct request_metrics *m = &ctx->now->requests;
	int64_t limit = ctx->cfg->thresholds.avg_response_ms;
	if (m->check.state != CHECK_OK || m->avg_ms < 0 || m->avg_ms <= (double)limit)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_SLOW_RESPONSE, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	char window[32], slowest[128];
	text_format_duration(window, sizeof(window), m->window_ms);
	endpoints_slowest_text(&m->endpoints, slowest, sizeof(slowest));
	MESSAGE(i, "Average response %.0f ms over the last %s (limit %lld ms)%s%s", m->avg_ms,
	        window, (long long)limit, slowest[0] ? "; slowest endpoint " : "", slowest);
	RECOMMEND(i, "Look at the slow queries and the cache hit rate; a cold or flushed cache "
	             "and missing indexes are the usual causes.");
}

void rule_p95_response(const struct rule_context *ctx)
{
	const struct request_metrics *m = &ctx->now->requests;
	int64_t limit = ctx->cfg->thresholds.p95_response_ms;
	if (m->check.state != CHECK_OK || m->p95_ms < 0 || m->p95_ms <= (double)limit)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_P95_RESPONSE, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	char slowest[128];
	endpoints_slowest_text(&m->endpoints, slowest, sizeof(slowest));
	MESSAGE(i, "p95 response %.0f ms (limit %lld ms); p99 %.0f ms%s%s", m->p95_ms,
	        (long long)limit, m->p99_ms, slowest[0] ? "; slowest endpoint " : "", slowest);
	const struct endpoint_stat *top = endpoints_slowest(&m->endpoints);
	if (top)
		RECOMMEND(i,
		          "One in twenty requests is slow, worst on %.64s: look for its slow "
		          "queries, lock waits and slow external calls.",
		          top->path);
	else
		RECOMMEND(i,
		          "One in twenty requests is slow: look for slow queries, lock waits and "
		          "slow external calls on the app's heaviest routes.");
}

/* A statement that touches fewer shared buffers a call than this (800 KB)
 * did not spend its time reading: an index cannot make it faster. It waited
 * on a lock, on the client or in a function such as pg_sleep.
 * pg_stat_statements has no lock time, so the buffers per call are what
 * tell waiting from working. */
#define SLOW_QUERY_READING_BLOCKS 100

void rule_slow_queries(const struct rule_context *ctx)
{
	const struct slow_query_status *sq = &ctx->now->slow_queries;
	if (sq->check.state != CHECK_OK || sq->count == 0)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_SLOW_QUERIES, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	const struct slow_query *worst = &sq->items[0];
	char span[48];
	slow_query_span_text(sq, false, span, sizeof(span));
	MESSAGE(i, "%d %s averaged over %lld ms %s; slowest %.0f ms over %lld %s: %.80s", sq->count,
	        text_plural(sq->count, "query", "queries"), (long long)sq->threshold_ms, span,
	        worst->mean_ms, (long long)worst->calls, text_plural(worst->calls, "call", "calls"),
	        worst->text_hidden ? "(text hidden)" : worst->query);
	if (worst->blocks_per_call < SLOW_QUERY_READING_BLOCKS)
		RECOMMEND(i,
		          "The slowest reads only %.0f buffers a call, so an index will not help: "
		          "its time went to waiting (a lock, the client, a function such as "
		          "pg_sleep). If sessions wait on a lock, end the one holding it; cancel "
		          "a runaway call.",
		          worst->blocks_per_call);
	else
		RECOMMEND(i,
		          "The slowest reads %.0f buffers a call: EXPLAIN (ANALYZE, BUFFERS) it "
		          "and add the index it lacks; cancel a runaway one.",
		          worst->blocks_per_call);
}

void rule_query_stats(const struct rule_context *ctx)
{
	const struct slow_query_status *sq = &ctx->now->slow_queries;
	if (sq->check.state != CHECK_UNHEALTHY && sq->problem == SLOW_QUERY_OK)
		return;
	if (ctx->now->database.check.state != CHECK_OK)
		return; /* the database issue says it all */
	struct issue *i = rule_add_issue(ctx, ISSUE_QUERY_STATS, SEVERITY_LOW, NULL);
	if (!i)
		return;
	MESSAGE(i, "Slow queries cannot be read: %s",
	        sq->check.error[0] ? sq->check.error : "pg_stat_statements gave nothing");
	switch (sq->problem) {
	case SLOW_QUERY_NOT_INSTALLED:
		RECOMMEND(i, "Run CREATE EXTENSION pg_stat_statements; in the app's database.");
		break;
	case SLOW_QUERY_NOT_PRELOADED:
		RECOMMEND(i, "Add pg_stat_statements to shared_preload_libraries in "
		             "postgresql.conf and restart PostgreSQL.");
		break;
	case SLOW_QUERY_NO_PRIVILEGE:
		RECOMMEND(i, "GRANT pg_read_all_stats TO the user opsdeck connects as, to see "
		             "other users' query texts.");
		break;
	case SLOW_QUERY_OK:
	case SLOW_QUERY_FAILED:
		RECOMMEND(i, "Check the error above; opsdeck reads pg_stat_statements.");
		break;
	}
}

void rule_request_log(const struct rule_context *ctx)
{
	const struct request_metrics *m = &ctx->now->requests;
	if (ctx->now->database.check.state != CHECK_OK)
		return;
	if (m->check.state == CHECK_UNHEALTHY) {
		struct issue *i = rule_add_issue(ctx, ISSUE_REQUEST_LOG, SEVERITY_LOW, NULL);
		if (!i)
			return;
		MESSAGE(i, "No request metrics: %s", m->check.error);
		RECOMMEND(i, "Set [database] request_log to the app's request log table (Prisma "
		             "model RequestLog, columns \"timestamp\", \"duration\", "
		             "\"statusCode\").");
	} else if (m->check.state == CHECK_OK && m->timestamp_index_missing) {
		struct issue *i = rule_add_issue(ctx, ISSUE_REQUEST_LOG, SEVERITY_LOW, "index");
		if (!i)
			return;
		MESSAGE(i, "The request log has no index on \"timestamp\": every poll scans it");
		RECOMMEND(i, "%s",
		          m->index_hint[0] ? m->index_hint
		                           : "Create an index on the \"timestamp\" column.");
	}
}
