/* request_endpoints.c - the request log by path: query and parsing (see
 * request_endpoints.h). Pure: no libpq, no clock. */
#include "probe/request_endpoints.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/redact.h"
#include "probe/pg_parse.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

/* One pass over the window: the GROUP BY sorts its rows by path once (in
 * the "C" collation: bytewise, several times cheaper than a locale's) and
 * each path's percentile_cont sorts only that path's durations. The
 * ranking runs over the groups (one row a path): two top-N sorts (LIMIT)
 * and one sum, not window functions over every path. The path is cut
 * before grouping so a long one costs no more than a short one, and its
 * query string dropped so /x?id=1 and /x?id=2 are one endpoint (and a
 * token in it never leaves the server). The CTE is read three times, so
 * PostgreSQL keeps its rows (one a path) rather than reading the window
 * again. Measured against the metrics query in bench/metrics_query. */
char *request_endpoints_sql(const struct request_log_names *q, const char *path)
{
	if (!pg_is_quoted_identifier(q->table) || !pg_is_quoted_identifier(q->timestamp) ||
	    !pg_is_quoted_identifier(q->duration) || !pg_is_quoted_identifier(q->status) || !path ||
	    !pg_is_quoted_identifier(path))
		return NULL;
	struct strbuf b;
	strbuf_init(&b, 0);
	strbuf_printf(&b,
	              "/* opsdeck */ WITH g AS (SELECT left(split_part(%s::text, '?', 1), %d)"
	              " COLLATE \"C\" AS p, count(*) AS n, count(*) FILTER (WHERE %s >= 500) AS e,"
	              " percentile_cont(0.95) WITHIN GROUP (ORDER BY %s) AS p95",
	              path, ENDPOINT_PATH * 2, q->status, q->duration);
	strbuf_printf(&b,
	              " FROM %s WHERE %s >= (now() AT TIME ZONE 'UTC') - $1::bigint"
	              " * interval '1 millisecond' GROUP BY 1)",
	              q->table, q->timestamp);
	strbuf_puts(&b,
	            " SELECT top.p, top.n, top.e, top.p95, t.paths, t.all_n, t.all_e FROM"
	            " ((SELECT * FROM g WHERE e > 0 ORDER BY e DESC, n DESC, p LIMIT $2::int)"
	            " UNION (SELECT * FROM g ORDER BY p95 DESC, n DESC, p LIMIT $2::int)) AS top"
	            " CROSS JOIN (SELECT count(*) AS paths, sum(n) AS all_n, sum(e) AS all_e"
	            " FROM g) AS t");
	return strbuf_take(&b);
}

void request_endpoints_params(int64_t window_ms,
                              char params[REQUEST_ENDPOINTS_PARAM_COUNT][REQUEST_LOG_PARAM_SIZE])
{
	snprintf(params[0], REQUEST_LOG_PARAM_SIZE, "%" PRId64, window_ms);
	snprintf(params[1], REQUEST_LOG_PARAM_SIZE, "%d", ENDPOINTS_TOP);
}

static int bad_cell(const char *what, const char *value, char *err, size_t errlen)
{
	char shown[32];
	sanitize_text(shown, sizeof(shown), value ? value : "NULL");
	snprintf(err, errlen, "bad %s value \"%s\"", what, shown);
	return -1;
}

static int cell_count(const char *value, const char *what, int64_t *out, char *err, size_t errlen)
{
	if (!value || text_parse_int64(value, out) < 0 || *out < 0)
		return bad_cell(what, value, err, errlen);
	return 0;
}

static int by_errors(const void *a, const void *b)
{
	const struct endpoint_stat *x = a, *y = b;
	if (x->errors != y->errors)
		return x->errors > y->errors ? -1 : 1;
	if (x->requests != y->requests)
		return x->requests > y->requests ? -1 : 1;
	return strcmp(x->path, y->path);
}

static int by_p95(const void *a, const void *b)
{
	const struct endpoint_stat *x = a, *y = b;
	if (x->p95_ms != y->p95_ms)
		return x->p95_ms > y->p95_ms ? -1 : 1;
	if (x->requests != y->requests)
		return x->requests > y->requests ? -1 : 1;
	return strcmp(x->path, y->path);
}

/* Keeps the first ENDPOINTS_TOP of all[0..n) in cmp's order (errors > 0
 * only when only_errors); returns how many. */
static int rank_into(struct endpoint_stat *dst, struct endpoint_stat *all, int n, bool only_errors,
                     int (*cmp)(const void *, const void *))
{
	qsort(all, (size_t)n, sizeof(*all), cmp);
	int kept = 0;
	for (int i = 0; i < n && kept < ENDPOINTS_TOP; i++)
		if (!only_errors || all[i].errors > 0)
			dst[kept++] = all[i];
	return kept;
}

int request_endpoints_parse(const char *const *values, int rows, struct endpoint_breakdown *b,
                            char *err, size_t errlen)
{
	struct endpoint_breakdown out = *b;
	struct endpoint_stat *all = xcalloc((size_t)(rows > 0 ? rows : 1), sizeof(*all));
	int rc = -1;
	out.requests = out.errors = out.paths = 0;
	for (int r = 0; r < rows; r++) {
		const char *const *row = values + (size_t)r * REQUEST_ENDPOINT_COL_COUNT;
		struct endpoint_stat *e = &all[r];
		int64_t paths, total, total_errors;
		const char *p95 = row[REQUEST_ENDPOINT_COL_P95_MS];
		if (cell_count(row[REQUEST_ENDPOINT_COL_REQUESTS], "requests", &e->requests, err,
		               errlen) < 0 ||
		    cell_count(row[REQUEST_ENDPOINT_COL_ERRORS], "errors", &e->errors, err,
		               errlen) < 0 ||
		    cell_count(row[REQUEST_ENDPOINT_COL_PATHS], "paths", &paths, err, errlen) < 0 ||
		    cell_count(row[REQUEST_ENDPOINT_COL_ALL_REQUESTS], "total requests", &total,
		               err, errlen) < 0 ||
		    cell_count(row[REQUEST_ENDPOINT_COL_ALL_ERRORS], "total errors", &total_errors,
		               err, errlen) < 0)
			goto done;
		if (!p95 || text_parse_double(p95, &e->p95_ms) < 0 || e->p95_ms < 0) {
			bad_cell("p95", p95, err, errlen);
			goto done;
		}
		if (e->errors > e->requests || e->requests > total || total_errors > total ||
		    e->errors > total_errors || rows > paths) {
			snprintf(err, errlen,
			         "the figures do not add up (%" PRId64 " errors of %" PRId64
			         " requests, totals %" PRId64 " of %" PRId64 ")",
			         e->errors, e->requests, total_errors, total);
			goto done;
		}
		if (r > 0 &&
		    (total != out.requests || total_errors != out.errors || paths != out.paths)) {
			snprintf(err, errlen, "the totals differ between rows");
			goto done;
		}
		out.requests = total;
		out.errors = total_errors;
		out.paths = paths;
		endpoint_path_set(e->path, sizeof(e->path), row[REQUEST_ENDPOINT_COL_PATH]);
	}
	out.error_count = rank_into(out.by_errors, all, rows, true, by_errors);
	out.slow_count = rank_into(out.by_p95, all, rows, false, by_p95);
	out.state = ENDPOINTS_OK;
	out.why[0] = '\0';
	*b = out;
	rc = 0;
done:
	free(all);
	return rc;
}

void request_endpoints_describe_error(const char *sqlstate, const char *message, const char *table,
                                      struct endpoint_breakdown *b)
{
	const char *why = message && *message ? message : "unknown error";
	char line[ENDPOINTS_WHY];
	if (sqlstate && strcmp(sqlstate, "42703") == 0) {
		b->state = ENDPOINTS_NOT_AVAILABLE;
		snprintf(line, sizeof(line),
		         "breakdown not available: %s has no column %s (set [database] "
		         "request_path_column)",
		         table, b->column);
	} else {
		b->state = ENDPOINTS_FAILED;
		snprintf(line, sizeof(line), "breakdown not read: %s", why);
	}
	sanitize_text(b->why, sizeof(b->why), line);
	redact_text(b->why, sizeof(b->why));
}
