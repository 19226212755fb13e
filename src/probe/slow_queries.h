/* slow_queries.h - slow statements from pg_stat_statements: the queries, the
 * choice of columns, the parsing of the rows and the classification of what
 * can go wrong. Pure: no libpq here (tests/unit/test_slow_queries.c);
 * probe_pg.c sends the queries.
 *
 * Two steps, two round trips:
 * 1. SLOW_QUERIES_CATALOG_SQL: is the extension installed in this database,
 *    in which schema, and which columns does its view have? pg_stat_statements
 *    1.8 (PostgreSQL 13) renamed mean_time/total_time to
 *    mean_exec_time/total_exec_time; the view's attributes decide, not the
 *    server version (an old extension version can sit on a new server until
 *    ALTER EXTENSION ... UPDATE).
 * 2. slow_queries_sql(): the statements of this database that ever took
 *    longer than the threshold in all (total time above it), heaviest first,
 *    opsdeck's own left out (every statement opsdeck sends starts with
 *    SLOW_QUERIES_MARKER) and so is pg_dump's COPY ... TO stdout (opsdeck's
 *    backups). pg_stat_statements has no application_name, so the marker
 *    and the COPY form are what tell them apart.
 *
 * pg_stat_statements only grows: its figures are since the last reset. A
 * caller that polls keeps a slow_queries_baseline, and a statement is slow
 * when its calls over the last SLOW_QUERIES_WINDOW_MS to twice that (since
 * the older of two baselines, renewed in turn) averaged over the threshold,
 * so the list empties a minute or two after the slow statement stops and
 * does not flicker between polls. A one-shot verb has no earlier poll and
 * reads the whole view, labelled SLOW_SPAN_SINCE_RESET.
 *
 * Query texts are data: they are sanitised (one line, no control
 * characters, no invalid UTF-8) before they reach the Snapshot.
 */
#ifndef OPSDECK_PROBE_SLOW_QUERIES_H
#define OPSDECK_PROBE_SLOW_QUERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/snapshot.h"

/* The comment every statement opsdeck sends starts with. */
#define SLOW_QUERIES_MARKER "/* opsdeck */"

/* What pg_stat_statements shows in place of a text the role may not see. */
#define SLOW_QUERIES_HIDDEN_TEXT "<insufficient privilege>"

/* No parameters. One row per column of the view (ordered), each with the
 * database and role names; a single row with NULL schema when the extension
 * is not installed in this database. */
extern const char SLOW_QUERIES_CATALOG_SQL[];

enum slow_queries_catalog_column {
	SLOW_CATALOG_COL_DATABASE, /* current_database() */
	SLOW_CATALOG_COL_ROLE,     /* current_user */
	SLOW_CATALOG_COL_SCHEMA,   /* the extension's schema, NULL when not installed */
	SLOW_CATALOG_COL_COLUMN,   /* one column of the view, NULL when none */
	SLOW_CATALOG_COL_COUNT
};

/* What the catalog query found. The column names point to static strings. */
struct slow_queries_catalog {
	char database[128];
	char role[128];
	bool installed;
	char schema[128];         /* raw name: quote it before use */
	const char *mean_column;  /* "mean_exec_time" or "mean_time" */
	const char *total_column; /* "total_exec_time" or "total_time" */
};

/* Picks the mean and total columns from the view's column names: the PG 13+
 * pair when the view has it, else the older pair. Returns 0, or -1 when the
 * view has neither pair. */
int slow_queries_pick_columns(const char *const *columns, size_t count, const char **mean,
                              const char **total);

/* Parses the catalog query's rows (values[row * SLOW_CATALOG_COL_COUNT +
 * column], NULL for SQL NULL) into cat. Returns 0 (also when the extension is
 * not installed: cat->installed tells), or -1 with err when the reply is
 * malformed or the view has neither column pair. */
int slow_queries_parse_catalog(const char *const *values, int rows,
                               struct slow_queries_catalog *cat, char *err, size_t errlen);

/* The list query over <schema>.pg_stat_statements, the identifiers already
 * quoted (PQescapeIdentifier). Parameters, as text: $1 threshold in ms, $2
 * how many rows at most (SLOW_QUERIES_TRACKED), $3 how many characters of
 * text. Returns an allocated string (the caller frees it) or NULL if a name
 * is not a quoted identifier. Columns as in enum slow_queries_column. */
char *slow_queries_sql(const char *quoted_schema, const char *quoted_mean,
                       const char *quoted_total);

#define SLOW_QUERIES_PARAM_COUNT 3
#define SLOW_QUERIES_PARAM_SIZE  24
void slow_queries_params(int64_t threshold_ms,
                         char params[SLOW_QUERIES_PARAM_COUNT][SLOW_QUERIES_PARAM_SIZE]);

enum slow_queries_column {
	SLOW_COL_QUERY, /* text, NULL when the server has none */
	SLOW_COL_CALLS,
	SLOW_COL_TOTAL_MS,
	SLOW_COL_MEAN_MS,
	SLOW_COL_KEY,    /* "userid:queryid"; NULL when the queryid is hidden */
	SLOW_COL_BLOCKS, /* shared_blks_hit + shared_blks_read */
	SLOW_COL_COUNT
};

/* How many statements the list query returns and a baseline remembers. */
#define SLOW_QUERIES_TRACKED 100

/* The cumulative figures of earlier polls, by statement: state kept by a
 * caller that polls (the dashboard's worker), one per connection target.
 * Zero it (or slow_queries_baseline_init) before the first poll. */
struct slow_queries_seen {
	char key[48]; /* SLOW_COL_KEY */
	int64_t calls;
	double total_ms;
	int64_t blocks;
};
/* The counters of one poll. */
struct slow_queries_counters {
	bool valid;       /* a poll has filled it */
	int64_t taken_ms; /* that poll's monotonic clock */
	int count;
	struct slow_queries_seen rows[SLOW_QUERIES_TRACKED];
};

/* How long a baseline serves before the newer one takes its place. */
#define SLOW_QUERIES_WINDOW_MS 60000

struct slow_queries_baseline {
	struct slow_queries_counters older; /* what the figures are counted from */
	struct slow_queries_counters newer; /* taken at most a window ago: next older */
};

void slow_queries_baseline_init(struct slow_queries_baseline *b);

/* Resets out before a probe: check pending, no rows, the threshold. */
void slow_queries_reset(struct slow_query_status *out, int64_t threshold_ms);

/* Sets out for an extension that is not installed in cat->database:
 * SLOW_QUERY_NOT_INSTALLED, check UNHEALTHY, the CREATE EXTENSION to run. */
void slow_queries_not_installed(const struct slow_queries_catalog *cat,
                                struct slow_query_status *out);

/* Parses the list query's rows (values[row * SLOW_COL_COUNT + column]) into
 * out: the statements whose mean over the span exceeds out->threshold_ms,
 * slowest first, at most SNAPSHOT_SLOW_QUERIES, texts sanitised with runs of
 * white space folded into one space.
 *
 * The span: with baseline NULL the whole view (SLOW_SPAN_SINCE_RESET); with
 * a baseline not yet filled, none (SLOW_SPAN_BASELINE: no statement listed,
 * both baselines taken); else the calls since the older baseline's poll
 * (SLOW_SPAN_WINDOW, span_ms = now_ms - its time): a statement it
 * lacks, or whose counters went back (a reset), counts from zero. On
 * success, once the newer baseline is SLOW_QUERIES_WINDOW_MS old it becomes
 * the older and these rows at now_ms the newer.
 *
 * A text shown as <insufficient privilege> keeps its timings, is marked
 * text_hidden, and makes the problem SLOW_QUERY_NO_PRIVILEGE, with the
 * GRANT to run in check.error (the check itself is OK: the view was read).
 * Returns 0, or -1 with err, out and the baseline untouched when a value is
 * malformed. */
int slow_queries_parse(const char *const *values, int rows, const struct slow_queries_catalog *cat,
                       struct slow_queries_baseline *baseline, int64_t now_ms,
                       struct slow_query_status *out, char *err, size_t errlen);

/* Classifies a failed query (catalog or list): `sqlstate` is the server's
 * ("" when the failure was not the server's), `message` the reason. The
 * library not being preloaded ("pg_stat_statements must be loaded via
 * shared_preload_libraries", SQLSTATE 55000) is SLOW_QUERY_NOT_PRELOADED,
 * anything else SLOW_QUERY_FAILED; check UNHEALTHY with a line that says
 * what to do. */
void slow_queries_describe_error(const char *sqlstate, const char *message,
                                 struct slow_query_status *out);

#endif
