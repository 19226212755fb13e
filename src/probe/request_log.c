/* request_log.c - the request-log metrics query, the index check, and the
 * parsing of their rows (see request_log.h). Pure: no libpq, no clock. */
#include "probe/request_log.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "probe/pg_parse.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

#define MINUTE_MS 60000

void request_log_plan(int64_t window_ms, struct request_log_plan *out)
{
	if (window_ms < 1)
		window_ms = MINUTE_MS;
	int64_t width = (window_ms + SNAPSHOT_BUCKETS - 1) / SNAPSHOT_BUCKETS;
	if (width < MINUTE_MS)
		width = MINUTE_MS;
	int64_t count = (window_ms + width - 1) / width;
	if (count > SNAPSHOT_BUCKETS)
		count = SNAPSHOT_BUCKETS;
	out->window_ms = window_ms;
	out->bucket_width_ms = width;
	out->bucket_count = (int)count;
}

/* One scan of the window, one aggregation: GROUP BY ROLLUP (k) gives the
 * per-bucket rows and the total row (k NULL) in a single pass. The rows come
 * from the index in timestamp order, so the sort by bucket the rollup needs
 * finds them already sorted. percentile_cont(0.95) and (0.99) share one sort
 * of the durations per group (the per-bucket percentiles are computed too,
 * and unused: the rollup evaluates every aggregate for every group). The
 * seed scanned the window twice (an aggregate, then a separate error count).
 *
 * Bucket k of n (width w) covers [end - (n - k) * w, end - (n - k - 1) * w),
 * end being now(): width_bucket() against the n bucket starts, computed once
 * (an InitPlan), is a binary search per row, cheaper than arithmetic on
 * intervals. Rows stamped in the future (an app clock ahead of the
 * server's) land in the last bucket rather than nowhere. now() is the
 * transaction's start, so every mention of it is the same instant. */
char *request_log_sql(const struct request_log_names *q)
{
	if (!pg_is_quoted_identifier(q->table) || !pg_is_quoted_identifier(q->timestamp) ||
	    !pg_is_quoted_identifier(q->duration) || !pg_is_quoted_identifier(q->status))
		return NULL;
	const char *now_utc = "(now() AT TIME ZONE 'UTC')";
	struct strbuf b;
	strbuf_init(&b, 0);
	strbuf_puts(&b, "/* opsdeck */ SELECT k, count(*), count(*) FILTER (WHERE s >= 500),"
	                " avg(d)::float8,"
	                " percentile_cont(0.95) WITHIN GROUP (ORDER BY d),"
	                " percentile_cont(0.99) WITHIN GROUP (ORDER BY d),"
	                " round(date_part('epoch', now()) * 1000)::bigint");
	strbuf_printf(&b,
	              " FROM (SELECT %s AS d, %s AS s, width_bucket(%s, (SELECT array_agg(%s"
	              " - ($3::int - i) * $2::bigint * interval '1 millisecond')"
	              " FROM generate_series(0, $3::int - 1) AS i)) - 1 AS k",
	              q->duration, q->status, q->timestamp, now_utc);
	strbuf_printf(&b,
	              " FROM %s WHERE %s >= %s - $1::bigint * interval '1 millisecond') AS win"
	              " GROUP BY ROLLUP (k)",
	              q->table, q->timestamp, now_utc);
	return strbuf_take(&b);
}

void request_log_params(const struct request_log_plan *plan,
                        char params[REQUEST_LOG_PARAM_COUNT][REQUEST_LOG_PARAM_SIZE])
{
	snprintf(params[0], REQUEST_LOG_PARAM_SIZE, "%" PRId64, plan->window_ms);
	snprintf(params[1], REQUEST_LOG_PARAM_SIZE, "%" PRId64, plan->bucket_width_ms);
	snprintf(params[2], REQUEST_LOG_PARAM_SIZE, "%d", plan->bucket_count);
}

/* Two ranges, so each is an index range scan: the oldest minute from the
 * window's exact start to the minute's end, and everything from the later
 * of $2 and that end. The epoch of a timestamp without time zone is that of
 * the same wall-clock time in UTC. */
char *request_log_window_sql(const struct request_log_names *q)
{
	if (!pg_is_quoted_identifier(q->table) || !pg_is_quoted_identifier(q->timestamp) ||
	    !pg_is_quoted_identifier(q->duration) || !pg_is_quoted_identifier(q->status))
		return NULL;
	const char *lo = "((now() AT TIME ZONE 'UTC') - $1::bigint * interval '1 millisecond')";
	struct strbuf b;
	strbuf_init(&b, 0);
	strbuf_puts(&b, "/* opsdeck */ SELECT floor(date_part('epoch', t) / 60)::bigint, d,"
	                " count(*), count(*) FILTER (WHERE s >= 500), NULL::bigint FROM (");
	strbuf_printf(&b,
	              "SELECT %s AS t, %s AS d, %s AS s FROM %s WHERE %s >= %s"
	              " AND %s < date_trunc('minute', %s) + interval '1 minute'",
	              q->timestamp, q->duration, q->status, q->table, q->timestamp, lo,
	              q->timestamp, lo);
	strbuf_printf(&b,
	              " UNION ALL SELECT %s, %s, %s FROM %s WHERE %s >= greatest('epoch'::timestamp"
	              " + $2::bigint * interval '1 millisecond', date_trunc('minute', %s)"
	              " + interval '1 minute')",
	              q->timestamp, q->duration, q->status, q->table, q->timestamp, lo);
	strbuf_puts(&b, ") AS r GROUP BY 1, 2 UNION ALL SELECT NULL, NULL, NULL, NULL,"
	                " floor(date_part('epoch', now()) * 1000)::bigint");
	return strbuf_take(&b);
}

void request_log_window_params(int64_t window_ms, int64_t since_ms,
                               char params[REQUEST_LOG_WINDOW_PARAM_COUNT][REQUEST_LOG_PARAM_SIZE])
{
	snprintf(params[0], REQUEST_LOG_PARAM_SIZE, "%" PRId64, window_ms);
	snprintf(params[1], REQUEST_LOG_PARAM_SIZE, "%" PRId64, since_ms);
}

static void fill_bucket_starts(struct request_metrics *out, int64_t end_ms)
{
	for (int i = 0; i < out->bucket_count; i++)
		out->buckets[i].start_ms =
		    end_ms - (int64_t)(out->bucket_count - i) * out->bucket_width_ms;
}

void request_log_reset(struct request_metrics *out, const char *table,
                       const struct request_log_plan *plan, int64_t now_ms)
{
	memset(out, 0, sizeof(*out));
	out->check.state = CHECK_PENDING;
	out->check.latency_ms = -1;
	sanitize_text(out->table, sizeof(out->table), table);
	out->window_ms = plan->window_ms;
	out->error_rate = -1;
	out->avg_ms = -1;
	out->p95_ms = -1;
	out->p99_ms = -1;
	out->bucket_width_ms = plan->bucket_width_ms;
	out->bucket_count = plan->bucket_count;
	for (int i = 0; i < out->bucket_count; i++)
		out->buckets[i].avg_ms = -1;
	fill_bucket_starts(out, now_ms);
}

static const char *const column_names[REQUEST_COL_COUNT] = {
    [REQUEST_COL_BUCKET] = "bucket",      [REQUEST_COL_REQUESTS] = "requests",
    [REQUEST_COL_ERRORS] = "errors",      [REQUEST_COL_AVG_MS] = "average",
    [REQUEST_COL_P95_MS] = "p95",         [REQUEST_COL_P99_MS] = "p99",
    [REQUEST_COL_END_MS] = "server time",
};

static int bad_value(const char *what, const char *value, char *err, size_t errlen)
{
	char shown[32];
	sanitize_text(shown, sizeof(shown), value);
	snprintf(err, errlen, "bad %s value \"%s\"", what, shown);
	return -1;
}

/* A whole number >= 0; NULL is 0. */
static int parse_count(const char *value, const char *what, int64_t *out, char *err, size_t errlen)
{
	int64_t v = 0;
	if (value && (text_parse_int64(value, &v) < 0 || v < 0))
		return bad_value(what, value, err, errlen);
	*out = v;
	return 0;
}

/* A duration in ms >= 0; NULL ("none") is -1. */
static int parse_ms(const char *value, const char *what, double *out, char *err, size_t errlen)
{
	double v = -1;
	if (value && (text_parse_double(value, &v) < 0 || v < 0))
		return bad_value(what, value, err, errlen);
	*out = v;
	return 0;
}

int request_log_parse(const char *const *values, int rows, const struct request_log_plan *plan,
                      struct request_metrics *out, char *err, size_t errlen)
{
	/* Parse into a copy so that a malformed reply leaves out as it was. */
	struct request_metrics m = *out;
	bool have_total = false, seen[SNAPSHOT_BUCKETS] = {false};
	int64_t end_ms = 0, bucket_requests = 0, bucket_errors = 0;

	m.bucket_width_ms = plan->bucket_width_ms;
	m.bucket_count = plan->bucket_count;
	for (int i = 0; i < m.bucket_count; i++) {
		m.buckets[i].requests = 0;
		m.buckets[i].errors = 0;
		m.buckets[i].avg_ms = -1;
	}
	for (int r = 0; r < rows; r++) {
		const char *const *row = values + (size_t)r * REQUEST_COL_COUNT;
		int64_t requests, errors;
		double avg;
		if (parse_count(row[REQUEST_COL_REQUESTS], column_names[REQUEST_COL_REQUESTS],
		                &requests, err, errlen) < 0 ||
		    parse_count(row[REQUEST_COL_ERRORS], column_names[REQUEST_COL_ERRORS], &errors,
		                err, errlen) < 0 ||
		    parse_ms(row[REQUEST_COL_AVG_MS], column_names[REQUEST_COL_AVG_MS], &avg, err,
		             errlen) < 0)
			return -1;
		if (errors > requests) {
			snprintf(err, errlen, "%" PRId64 " errors out of %" PRId64 " requests",
			         errors, requests);
			return -1;
		}
		if (requests == 0)
			avg = -1;

		if (!row[REQUEST_COL_BUCKET]) {
			if (have_total) {
				snprintf(err, errlen, "two total rows");
				return -1;
			}
			have_total = true;
			int64_t end = 0;
			if (!row[REQUEST_COL_END_MS] ||
			    text_parse_int64(row[REQUEST_COL_END_MS], &end) < 0 || end <= 0)
				return bad_value(column_names[REQUEST_COL_END_MS],
				                 row[REQUEST_COL_END_MS] ? row[REQUEST_COL_END_MS]
				                                         : "NULL",
				                 err, errlen);
			end_ms = end;
			m.requests = requests;
			m.errors = errors;
			m.avg_ms = avg;
			if (parse_ms(row[REQUEST_COL_P95_MS], column_names[REQUEST_COL_P95_MS],
			             &m.p95_ms, err, errlen) < 0 ||
			    parse_ms(row[REQUEST_COL_P99_MS], column_names[REQUEST_COL_P99_MS],
			             &m.p99_ms, err, errlen) < 0)
				return -1;
			if (requests == 0)
				m.p95_ms = m.p99_ms = -1;
			m.error_rate = requests > 0 ? (double)errors / (double)requests : -1;
			continue;
		}

		int64_t k;
		if (text_parse_int64(row[REQUEST_COL_BUCKET], &k) < 0 || k < 0 ||
		    k >= m.bucket_count)
			return bad_value(column_names[REQUEST_COL_BUCKET], row[REQUEST_COL_BUCKET],
			                 err, errlen);
		if (seen[k]) {
			snprintf(err, errlen, "bucket %" PRId64 " appears twice", k);
			return -1;
		}
		seen[k] = true;
		m.buckets[k].requests = requests;
		m.buckets[k].errors = errors;
		m.buckets[k].avg_ms = avg;
		bucket_requests += requests;
		bucket_errors += errors;
	}
	if (!have_total) {
		snprintf(err, errlen, "no total row in the reply");
		return -1;
	}
	if (bucket_requests != m.requests || bucket_errors != m.errors) {
		snprintf(err, errlen,
		         "buckets hold %" PRId64 " requests and %" PRId64
		         " errors, the total %" PRId64 " and %" PRId64,
		         bucket_requests, bucket_errors, m.requests, m.errors);
		return -1;
	}
	fill_bucket_starts(&m, end_ms);
	m.check.state = CHECK_OK;
	*out = m;
	return 0;
}

/* pg_relation_size needs no privilege on the table, and $1::regclass fails
 * with 42P01 when it does not exist, so this also tells a missing table
 * apart before the metrics query runs. indkey[0] is the first key column
 * (0 for an expression). */
const char REQUEST_LOG_INDEX_SQL[] =
    "/* opsdeck */ SELECT EXISTS (SELECT 1 FROM pg_index i"
    " JOIN pg_class c ON c.oid = i.indexrelid"
    " JOIN pg_am am ON am.oid = c.relam"
    " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
    " WHERE i.indrelid = $1::regclass AND a.attname = $2 AND i.indisvalid"
    " AND i.indpred IS NULL AND am.amname IN ('btree', 'brin')),"
    " pg_relation_size($1::regclass)";

int request_log_parse_index(const char *const values[REQUEST_INDEX_COL_COUNT],
                            const struct request_log_names *quoted, struct request_metrics *out,
                            char *err, size_t errlen)
{
	const char *found = values[REQUEST_INDEX_COL_FOUND];
	int64_t bytes = 0;
	if (!found || (strcmp(found, "t") != 0 && strcmp(found, "f") != 0))
		return bad_value("index found", found ? found : "NULL", err, errlen);
	if (parse_count(values[REQUEST_INDEX_COL_BYTES], "table size", &bytes, err, errlen) < 0)
		return -1;
	out->timestamp_index_missing = found[0] == 'f';
	out->index_hint[0] = '\0';
	if (!out->timestamp_index_missing)
		return 1;

	char hint[SNAPSHOT_TEXT];
	snprintf(hint, sizeof(hint), "CREATE INDEX CONCURRENTLY ON %s (%s);", quoted->table,
	         quoted->timestamp);
	sanitize_text(out->index_hint, sizeof(out->index_hint), hint);
	if (bytes <= REQUEST_LOG_UNINDEXED_MAX_BYTES)
		return 1;
	char size[32];
	text_format_bytes(size, sizeof(size), (uint64_t)bytes);
	check_set_error(&out->check, CHECK_UNHEALTHY,
	                "request log not read: %s (%s) has no index on %s, and reading all of it "
	                "every poll would load the database: run %s",
	                quoted->table, size, quoted->timestamp, out->index_hint);
	return 0;
}

void request_log_describe_error(const char *sqlstate, const char *message,
                                const struct request_log_names *quoted, char *err, size_t errlen)
{
	const char *state = sqlstate ? sqlstate : "";
	const char *why = message && *message ? message : "unknown error";
	if (strcmp(state, "42P01") == 0 || strcmp(state, "3F000") == 0)
		snprintf(err, errlen, "request log not found: %s", why);
	else if (strcmp(state, "42703") == 0)
		snprintf(err, errlen,
		         "request log not found: %s (expected Prisma's columns %s, %s, %s)", why,
		         quoted->timestamp, quoted->duration, quoted->status);
	else if (strcmp(state, "42501") == 0)
		snprintf(err, errlen,
		         "request log not readable: %s (GRANT SELECT ON %s to this role)", why,
		         quoted->table);
	else
		snprintf(err, errlen, "request log: %s", why);
}
