/* request_endpoints.h - the request log grouped by path (model/endpoints.h):
 * the query and the parsing of its rows. Pure: no libpq; probe_pg.c sends
 * the query after the metrics query, on the same connection.
 *
 * One statement reads the window once through the "timestamp" index (the
 * same range predicate as the metrics query), groups it by path without
 * the query string, and returns only the paths that rank in the top $2 by
 * 5xx (with at least one) or by p95, each row carrying the totals over
 * every path and how many paths there were. Identifiers reach it quoted
 * (PQescapeIdentifier); values travel as parameters.
 *
 * A table without the path column fails with SQLSTATE 42703: the breakdown
 * is then "not available" (request_endpoints_describe_error), never a
 * failed check.
 */
#ifndef OPSDECK_PROBE_REQUEST_ENDPOINTS_H
#define OPSDECK_PROBE_REQUEST_ENDPOINTS_H

#include <stddef.h>
#include <stdint.h>

#include "model/endpoints.h"
#include "probe/request_log.h"

/* The dashboard refreshes the breakdown at most this often (server time):
 * it reads the whole window, where the metrics read only the last minutes. */
#define REQUEST_ENDPOINTS_REFRESH_MS 30000

/* The query for names (every member quoted) and the quoted path column.
 * Parameters: $1 window in ms, $2 how many of each list. Allocated (the
 * caller frees it), or NULL when a name is not a quoted identifier. */
char *request_endpoints_sql(const struct request_log_names *quoted, const char *path_quoted);

#define REQUEST_ENDPOINTS_PARAM_COUNT 2
void request_endpoints_params(int64_t window_ms,
                              char params[REQUEST_ENDPOINTS_PARAM_COUNT][REQUEST_LOG_PARAM_SIZE]);

enum request_endpoints_column {
	REQUEST_ENDPOINT_COL_PATH,     /* text; NULL for rows without a path */
	REQUEST_ENDPOINT_COL_REQUESTS, /* of the path */
	REQUEST_ENDPOINT_COL_ERRORS,   /* 5xx of the path */
	REQUEST_ENDPOINT_COL_P95_MS,   /* of the path */
	REQUEST_ENDPOINT_COL_PATHS,    /* distinct paths in the window */
	REQUEST_ENDPOINT_COL_ALL_REQUESTS,
	REQUEST_ENDPOINT_COL_ALL_ERRORS,
	REQUEST_ENDPOINT_COL_COUNT
};

/* Parses the rows (values[row * REQUEST_ENDPOINT_COL_COUNT + column], text
 * or NULL) into b (reset by the caller; its column kept): the lists ranked
 * again here (most 5xx, then most requests, then path; worst p95 likewise),
 * each cut to ENDPOINTS_TOP, and state OK. No rows is an empty window.
 * Returns 0, or -1 with err and b untouched on a malformed reply. */
int request_endpoints_parse(const char *const *values, int rows, struct endpoint_breakdown *b,
                            char *err, size_t errlen);

/* Sets b from a failed query: 42703 (no such column) is NOT_AVAILABLE
 * with "no column ... in ...", anything else FAILED with the reason. */
void request_endpoints_describe_error(const char *sqlstate, const char *message, const char *table,
                                      struct endpoint_breakdown *b);

#endif
