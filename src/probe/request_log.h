/* request_log.h - the app's request log: the metrics query, the index check,
 * and the parsing of what they return. Pure: no libpq here, so everything is
 * tested on plain strings (tests/unit/test_request_log.c); probe_pg.c sends
 * the queries.
 *
 * The table is Prisma's `model RequestLog` (table name from
 * [database] request_log); its columns keep Prisma's names, "timestamp",
 * "duration" (ms) and "statusCode". Prisma stores a DateTime in
 * `timestamp(3) without time zone` as UTC wall-clock time, so the window is
 * `"timestamp" >= (now() AT TIME ZONE 'UTC') - window`, whatever the
 * server's or the session's TimeZone.
 *
 * SQL is never pasted together from configuration text: identifiers reach
 * request_log_sql() already quoted (PQescapeIdentifier, which needs a
 * connection, so the caller does it) and values travel as parameters.
 */
#ifndef OPSDECK_PROBE_REQUEST_LOG_H
#define OPSDECK_PROBE_REQUEST_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "model/snapshot.h"

/* Prisma's column names (fixed; only the table is configurable). */
#define REQUEST_LOG_TIMESTAMP_COLUMN "timestamp"
#define REQUEST_LOG_DURATION_COLUMN  "duration"
#define REQUEST_LOG_STATUS_COLUMN    "statusCode"

/* Without an index on "timestamp" every poll reads the whole table. Up to
 * this size that is still cheap (a few ms) and the metrics are computed;
 * above it they are not, so the dashboard never turns into the database's
 * top consumer: the check says why and what index to create. */
#define REQUEST_LOG_UNINDEXED_MAX_BYTES (64LL * 1024 * 1024)

/* The names, each already a quoted identifier ("RequestLog"). Borrowed. */
struct request_log_names {
	const char *table;
	const char *timestamp;
	const char *duration;
	const char *status;
};

/* How the window is cut into sparkline buckets: width = max(1 minute,
 * window / SNAPSHOT_BUCKETS) rounded up to a whole ms, count = enough
 * buckets to cover the window (at most SNAPSHOT_BUCKETS). The buckets end at
 * the server's now(); the oldest may reach back before the window's start
 * when the window is not a whole number of buckets (it then only holds the
 * window's part). */
struct request_log_plan {
	int64_t window_ms;
	int64_t bucket_width_ms;
	int bucket_count;
};

/* window_ms > 0 (the configuration guarantees it; anything less counts as
 * one minute). */
void request_log_plan(int64_t window_ms, struct request_log_plan *out);

/* The metrics query: one statement that reads the window once and returns
 * one total row (bucket NULL, always there, even without requests) and one
 * row per non-empty bucket, with the columns of enum request_log_column. Parameters, as text:
 * $1 window in ms, $2 bucket width in ms, $3 bucket count (see
 * request_log_params). Returns an allocated string (the caller frees it),
 * or NULL if a name is not a quoted identifier (a programming error). */
char *request_log_sql(const struct request_log_names *quoted);

#define REQUEST_LOG_PARAM_COUNT 3
#define REQUEST_LOG_PARAM_SIZE  24
void request_log_params(const struct request_log_plan *plan,
                        char params[REQUEST_LOG_PARAM_COUNT][REQUEST_LOG_PARAM_SIZE]);

/* The window query of the dashboard's incremental path (request_window.h):
 * per (Unix minute, duration) the count and the 5xx count, for the rows of
 * the window's oldest minute from the window's start (now() - $1 ms) and
 * the rows from max($2, the minute after it) on, each range read once
 * through the "timestamp" index, then one hashed GROUP BY; plus one row,
 * minute NULL, carrying now() in Unix ms (floored). Parameters, as text: $1
 * window in ms, $2 since (Unix ms, UTC wall clock; 0 for the whole window).
 * Columns of enum request_window_column. Allocated, or NULL as
 * request_log_sql. */
char *request_log_window_sql(const struct request_log_names *quoted);

#define REQUEST_LOG_WINDOW_PARAM_COUNT 2
void request_log_window_params(int64_t window_ms, int64_t since_ms,
                               char params[REQUEST_LOG_WINDOW_PARAM_COUNT][REQUEST_LOG_PARAM_SIZE]);

enum request_log_column {
	REQUEST_COL_BUCKET,   /* 0..count-1, oldest first; NULL on the total row */
	REQUEST_COL_REQUESTS, /* count(*) */
	REQUEST_COL_ERRORS,   /* statusCode >= 500 */
	REQUEST_COL_AVG_MS,   /* NULL without requests */
	REQUEST_COL_P95_MS,   /* NULL without requests; read on the total row only */
	REQUEST_COL_P99_MS,   /* NULL without requests; read on the total row only */
	REQUEST_COL_END_MS,   /* the server's now(), Unix ms; read on the total row only */
	REQUEST_COL_COUNT
};

/* Resets out for a probe of `table` (configured name, unquoted) over the
 * plan: check pending, no traffic (-1 figures), every bucket present and
 * empty, starting so the last ends at now_ms (wall clock). */
void request_log_reset(struct request_metrics *out, const char *table,
                       const struct request_log_plan *plan, int64_t now_ms);

/* Parses the metrics query's rows: values[row * REQUEST_COL_COUNT + column]
 * is the text of a cell or NULL. Fills the figures and the buckets of out
 * (which request_log_reset prepared; empty buckets stay 0 / -1) and, on
 * success, sets check.state OK. Returns 0, or -1 with the reason in err and
 * out's figures untouched if a value is malformed, a bucket is out of range
 * or repeated, or the buckets do not add up to the total. */
int request_log_parse(const char *const *values, int rows, const struct request_log_plan *plan,
                      struct request_metrics *out, char *err, size_t errlen);

/* The index check, run before the metrics query: $1 the quoted table name
 * (read as regclass, so a missing table fails here with SQLSTATE 42P01),
 * $2 the timestamp column's plain name. One row, columns of enum
 * request_log_index_column. A valid, non-partial btree or BRIN index whose
 * first column is the timestamp serves the window; nothing else does. */
extern const char REQUEST_LOG_INDEX_SQL[];

enum request_log_index_column {
	REQUEST_INDEX_COL_FOUND, /* "t" or "f" */
	REQUEST_INDEX_COL_BYTES, /* pg_relation_size of the table */
	REQUEST_INDEX_COL_COUNT
};

/* Parses the index check's row. Without an index, sets
 * timestamp_index_missing and index_hint (the CREATE INDEX CONCURRENTLY to
 * run). Returns 1 when the metrics query may run, 0 when it must not (no
 * index and a table above REQUEST_LOG_UNINDEXED_MAX_BYTES: check is then
 * UNHEALTHY with the reason), -1 with err on a malformed row. */
int request_log_parse_index(const char *const values[REQUEST_INDEX_COL_COUNT],
                            const struct request_log_names *quoted, struct request_metrics *out,
                            char *err, size_t errlen);

/* The operator's line for a failed request-log query: `sqlstate` is the
 * server's SQLSTATE ("" when the failure was not the server's: a timeout, a
 * lost connection) and `message` the reason as the probe has it. A missing
 * table or column (42P01, 42703) reads "request log not found: ...", a
 * missing privilege (42501) names the GRANT to run. Writes err. */
void request_log_describe_error(const char *sqlstate, const char *message,
                                const struct request_log_names *quoted, char *err, size_t errlen);

#endif
