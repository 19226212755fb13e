/* endpoints.h - the request log grouped by path: the endpoints with the most
 * 5xx and the worst p95 over the window. Plain data, no I/O.
 *
 * Bounded: at most ENDPOINTS_TOP of each list, paths cut to ENDPOINT_PATH
 * bytes. A path is stored as the probe read it without its query string
 * (which can carry tokens), sanitised and redacted (endpoint_path_set), so a
 * renderer may print it as is. The totals are those of the breakdown's own
 * query, so a share ("3,000 of 3,012 errors") always adds up even where
 * the breakdown is refreshed less often than the metrics (the dashboard).
 */
#ifndef OPSDECK_MODEL_ENDPOINTS_H
#define OPSDECK_MODEL_ENDPOINTS_H

#include <stddef.h>
#include <stdint.h>

#define ENDPOINTS_TOP 5
#define ENDPOINT_PATH 96
#define ENDPOINTS_WHY 256

enum endpoints_state {
	ENDPOINTS_NOT_READ = 0,  /* no traffic, or the request log was not read */
	ENDPOINTS_OK,            /* the lists below are filled */
	ENDPOINTS_NOT_AVAILABLE, /* the table has no such path column: not a failure */
	ENDPOINTS_FAILED,        /* the query failed: see why; not a failed check either */
};

/* "ok", "not_read", "not_available", "failed" (JSON). */
const char *endpoints_state_name(enum endpoints_state state);

struct endpoint_stat {
	char path[ENDPOINT_PATH];
	int64_t requests;
	int64_t errors; /* statusCode >= 500 */
	double p95_ms;  /* percentile_cont(0.95) of the path's durations */
};

struct endpoint_breakdown {
	enum endpoints_state state;
	char column[64];         /* the configured path column */
	char why[ENDPOINTS_WHY]; /* NOT_AVAILABLE / FAILED: for people; else "" */
	int64_t requests;        /* over the window, all paths */
	int64_t errors;          /* 5xx over the window, all paths */
	int64_t paths;           /* distinct paths in the window */
	int error_count;         /* most 5xx first; only paths with a 5xx */
	struct endpoint_stat by_errors[ENDPOINTS_TOP];
	int slow_count; /* worst p95 first */
	struct endpoint_stat by_p95[ENDPOINTS_TOP];
};

/* Clears b and records the column it is read from (sanitised). */
void endpoints_reset(struct endpoint_breakdown *b, const char *column);

/* Stores a path as it may be shown: the query string (from '?') and the
 * fragment left out, controls replaced (sanitize_text), secrets redacted,
 * cut to size; NULL (SQL NULL) reads "(no path)". */
void endpoint_path_set(char *dst, size_t size, const char *raw);

/* The endpoint with the most 5xx, or NULL; the one with the worst p95, or
 * NULL. Borrowed from b. */
const struct endpoint_stat *endpoints_worst_errors(const struct endpoint_breakdown *b);
const struct endpoint_stat *endpoints_slowest(const struct endpoint_breakdown *b);

/* The worst endpoints by 5xx for a message, at most `max` of them, each
 * path cut to 48 bytes: "/api/checkout: 3,000 of 3,012 errors, /api/cart:
 * 12 of 3,012 errors"; "" when none. */
void endpoints_errors_text(const struct endpoint_breakdown *b, int max, char *dst, size_t size);

/* The slowest endpoint for a message: "/api/search (p95 2400 ms over 1,250
 * requests)"; "" when none. */
void endpoints_slowest_text(const struct endpoint_breakdown *b, char *dst, size_t size);

#endif
