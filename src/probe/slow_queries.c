/* slow_queries.c - pg_stat_statements: the catalog and list queries, the
 * column choice, the row parsing and the error classification (see
 * slow_queries.h). Pure: no libpq, no clock. */
#include "probe/slow_queries.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/pg_parse.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

/* (SELECT 1) keeps one row when the extension is missing, so the database
 * and role names still arrive for the message. to_regclass finds the view in
 * the extension's schema whatever the search_path. */
const char SLOW_QUERIES_CATALOG_SQL[] =
    SLOW_QUERIES_MARKER " SELECT current_database(), current_user, n.nspname, a.attname"
                        " FROM (SELECT 1) AS one"
                        " LEFT JOIN pg_extension e ON e.extname = 'pg_stat_statements'"
                        " LEFT JOIN pg_namespace n ON n.oid = e.extnamespace"
                        " LEFT JOIN pg_attribute a"
                        " ON a.attrelid = to_regclass(quote_ident(n.nspname) || "
                        "'.pg_stat_statements')"
                        " AND a.attnum > 0 AND NOT a.attisdropped"
                        " ORDER BY a.attnum";

/* The column pairs, newest first. */
static const struct {
	const char *mean;
	const char *total;
} column_pairs[] = {
    {"mean_exec_time", "total_exec_time"}, /* pg_stat_statements 1.8+, PostgreSQL 13+ */
    {"mean_time", "total_time"},           /* before */
};

static bool has_column(const char *const *columns, size_t count, const char *name)
{
	for (size_t i = 0; i < count; i++)
		if (columns[i] && strcmp(columns[i], name) == 0)
			return true;
	return false;
}

int slow_queries_pick_columns(const char *const *columns, size_t count, const char **mean,
                              const char **total)
{
	for (size_t i = 0; i < sizeof(column_pairs) / sizeof(column_pairs[0]); i++) {
		if (has_column(columns, count, column_pairs[i].mean) &&
		    has_column(columns, count, column_pairs[i].total)) {
			*mean = column_pairs[i].mean;
			*total = column_pairs[i].total;
			return 0;
		}
	}
	*mean = *total = NULL;
	return -1;
}

int slow_queries_parse_catalog(const char *const *values, int rows,
                               struct slow_queries_catalog *cat, char *err, size_t errlen)
{
	memset(cat, 0, sizeof(*cat));
	if (rows < 1) {
		snprintf(err, errlen, "the catalog query returned no row");
		return -1;
	}
	const char *database = values[SLOW_CATALOG_COL_DATABASE];
	const char *role = values[SLOW_CATALOG_COL_ROLE];
	const char *schema = values[SLOW_CATALOG_COL_SCHEMA];
	sanitize_text(cat->database, sizeof(cat->database), database ? database : "?");
	sanitize_text(cat->role, sizeof(cat->role), role ? role : "?");
	if (!schema)
		return 0;
	cat->installed = true;
	/* Kept raw (not sanitised): it is quoted into SQL, not shown. */
	if (text_copy(cat->schema, schema, sizeof(cat->schema)) >= sizeof(cat->schema)) {
		snprintf(err, errlen, "the extension's schema name is too long");
		return -1;
	}

	const char **columns = xcalloc((size_t)rows, sizeof(*columns));
	size_t count = 0;
	for (int r = 0; r < rows; r++) {
		const char *column =
		    values[(size_t)r * SLOW_CATALOG_COL_COUNT + SLOW_CATALOG_COL_COLUMN];
		if (column)
			columns[count++] = column;
	}
	int rc = slow_queries_pick_columns(columns, count, &cat->mean_column, &cat->total_column);
	free(columns);
	if (rc < 0) {
		if (count == 0)
			snprintf(err, errlen, "the extension is installed but its view is missing");
		else
			snprintf(err, errlen,
			         "pg_stat_statements has neither mean_exec_time nor mean_time");
		return -1;
	}
	return 0;
}

/* Only this database's statements: the view shows every database's to a
 * role with pg_read_all_stats, and the operator looks at this app. A NULL
 * text (the server could not read its texts file) is kept. A statement
 * whose calls since any poll averaged over the threshold took longer than
 * it in all, so the total is the filter; the mean is decided in C. */
char *slow_queries_sql(const char *quoted_schema, const char *quoted_mean, const char *quoted_total)
{
	if (!pg_is_quoted_identifier(quoted_schema) || !pg_is_quoted_identifier(quoted_mean) ||
	    !pg_is_quoted_identifier(quoted_total))
		return NULL;
	struct strbuf b;
	strbuf_init(&b, 0);
	strbuf_printf(&b,
	              SLOW_QUERIES_MARKER " SELECT left(s.query, $3::int), s.calls, s.%s, s.%s,"
	                                  " s.userid::text || ':' || s.queryid::text,"
	                                  " s.shared_blks_hit + s.shared_blks_read"
	                                  " FROM %s.pg_stat_statements s"
	                                  " WHERE s.%s > $1::float8"
	                                  " AND s.dbid = (SELECT oid FROM pg_database"
	                                  " WHERE datname = current_database())"
	                                  " AND (s.query IS NULL OR (s.query NOT LIKE '",
	              quoted_total, quoted_mean, quoted_schema, quoted_total);
	strbuf_printf(&b,
	              "%s%%' AND s.query NOT ILIKE 'COPY %% TO stdout%%'))"
	              " ORDER BY s.%s DESC LIMIT $2::int",
	              SLOW_QUERIES_MARKER, quoted_total);
	return strbuf_take(&b);
}

void slow_queries_params(int64_t threshold_ms,
                         char params[SLOW_QUERIES_PARAM_COUNT][SLOW_QUERIES_PARAM_SIZE])
{
	snprintf(params[0], SLOW_QUERIES_PARAM_SIZE, "%" PRId64, threshold_ms);
	snprintf(params[1], SLOW_QUERIES_PARAM_SIZE, "%d", SLOW_QUERIES_TRACKED);
	/* Characters, not bytes: sanitize_bytes cuts to the buffer later. */
	snprintf(params[2], SLOW_QUERIES_PARAM_SIZE, "%d", SNAPSHOT_QUERY_TEXT - 1);
}

void slow_queries_reset(struct slow_query_status *out, int64_t threshold_ms)
{
	memset(out, 0, sizeof(*out));
	out->check.state = CHECK_PENDING;
	out->check.latency_ms = -1;
	out->problem = SLOW_QUERY_OK;
	out->threshold_ms = threshold_ms;
}

/* A role or database name as it would be typed into SQL: bare when it is a
 * plain lower-case identifier, else in double quotes. */
static void shown_identifier(char *dst, size_t size, const char *name)
{
	bool plain = (*name >= 'a' && *name <= 'z') || *name == '_';
	for (const char *c = name; plain && *c; c++)
		plain =
		    (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '$';
	if (plain) {
		snprintf(dst, size, "%s", name);
		return;
	}
	size_t o = 0;
	if (size < 3) {
		if (size)
			dst[0] = '\0';
		return;
	}
	dst[o++] = '"';
	for (const char *c = name; *c && o + 3 < size; c++) {
		if (*c == '"')
			dst[o++] = '"';
		dst[o++] = *c;
	}
	dst[o++] = '"';
	dst[o] = '\0';
}

void slow_queries_not_installed(const struct slow_queries_catalog *cat,
                                struct slow_query_status *out)
{
	char database[sizeof(cat->database) + 8];
	shown_identifier(database, sizeof(database), cat->database);
	out->problem = SLOW_QUERY_NOT_INSTALLED;
	out->count = 0;
	check_set_error(&out->check, CHECK_UNHEALTHY,
	                "pg_stat_statements is not installed in database %s: run CREATE EXTENSION "
	                "pg_stat_statements",
	                database);
}

/* Sanitises a query text into one short line: controls and invalid UTF-8
 * become '?' (sanitize_bytes), then every run of spaces one space. */
static void clean_query(char *dst, size_t size, const char *text)
{
	sanitize_text(dst, size, text);
	size_t o = 0;
	bool space = true; /* drops leading spaces */
	for (size_t i = 0; dst[i]; i++) {
		if (dst[i] == ' ') {
			if (space)
				continue;
			space = true;
		} else {
			space = false;
		}
		dst[o++] = dst[i];
	}
	while (o > 0 && dst[o - 1] == ' ')
		o--;
	dst[o] = '\0';
}

static int bad_value(const char *what, const char *value, char *err, size_t errlen)
{
	char shown[32];
	sanitize_text(shown, sizeof(shown), value ? value : "NULL");
	snprintf(err, errlen, "bad %s value \"%s\"", what, shown);
	return -1;
}

void slow_queries_baseline_init(struct slow_queries_baseline *b)
{
	memset(b, 0, sizeof(*b));
}

/* One row's figures (cumulative, or over the span), before its text is
 * looked at. */
struct slow_row {
	int row;
	int64_t calls;
	double total_ms;
	int64_t blocks;
};

/* The baseline's row for key, or NULL. */
static const struct slow_queries_seen *baseline_find(const struct slow_queries_counters *b,
                                                     const char *key)
{
	for (int i = 0; key && i < b->count; i++)
		if (strcmp(b->rows[i].key, key) == 0)
			return &b->rows[i];
	return NULL;
}

static int slow_row_by_mean(const void *a, const void *b)
{
	const struct slow_row *x = a, *y = b;
	double mx = x->total_ms / (double)x->calls, my = y->total_ms / (double)y->calls;
	return mx < my ? 1 : mx > my ? -1 : x->row - y->row;
}

/* Reads and checks the numbers of row r into its cumulative figures. */
static int parse_numbers(const char *const *row, int64_t *calls, double *total_ms, int64_t *blocks,
                         char *err, size_t errlen)
{
	double mean;
	if (!row[SLOW_COL_CALLS] || text_parse_int64(row[SLOW_COL_CALLS], calls) < 0 || *calls < 0)
		return bad_value("calls", row[SLOW_COL_CALLS], err, errlen);
	if (!row[SLOW_COL_TOTAL_MS] || text_parse_double(row[SLOW_COL_TOTAL_MS], total_ms) < 0 ||
	    *total_ms < 0)
		return bad_value("total time", row[SLOW_COL_TOTAL_MS], err, errlen);
	if (!row[SLOW_COL_MEAN_MS] || text_parse_double(row[SLOW_COL_MEAN_MS], &mean) < 0 ||
	    mean < 0)
		return bad_value("mean time", row[SLOW_COL_MEAN_MS], err, errlen);
	if (!row[SLOW_COL_BLOCKS] || text_parse_int64(row[SLOW_COL_BLOCKS], blocks) < 0 ||
	    *blocks < 0)
		return bad_value("blocks", row[SLOW_COL_BLOCKS], err, errlen);
	return 0;
}

/* Fills q from a row and its figures over the span; true when its text is
 * hidden from this role. */
static bool fill_item(struct slow_query *q, const char *const *row, const struct slow_row *f)
{
	memset(q, 0, sizeof(*q));
	q->calls = f->calls;
	q->total_ms = f->total_ms;
	q->mean_ms = f->total_ms / (double)f->calls;
	q->blocks_per_call = (double)f->blocks / (double)f->calls;
	const char *text = row[SLOW_COL_QUERY];
	if (!text) {
		snprintf(q->query, sizeof(q->query), "<query text unavailable>");
	} else if (strcmp(text, SLOW_QUERIES_HIDDEN_TEXT) == 0) {
		snprintf(q->query, sizeof(q->query), "%s", SLOW_QUERIES_HIDDEN_TEXT);
		q->text_hidden = true;
	} else {
		clean_query(q->query, sizeof(q->query), text);
	}
	return q->text_hidden;
}

/* Stores the cumulative figures of this poll's rows into b. */
static void baseline_store(struct slow_queries_counters *b, const char *const *values,
                           const struct slow_row *seen, int rows, int64_t now_ms)
{
	b->valid = true;
	b->taken_ms = now_ms;
	b->count = 0;
	for (int r = 0; r < rows && b->count < SLOW_QUERIES_TRACKED; r++) {
		const char *key = values[(size_t)r * SLOW_COL_COUNT + SLOW_COL_KEY];
		struct slow_queries_seen *to = &b->rows[b->count];
		/* no queryid: no delta for it next time */
		if (!key || text_copy(to->key, key, sizeof(to->key)) >= sizeof(to->key))
			continue;
		to->calls = seen[r].calls;
		to->total_ms = seen[r].total_ms;
		to->blocks = seen[r].blocks;
		b->count++;
	}
}

int slow_queries_parse(const char *const *values, int rows, const struct slow_queries_catalog *cat,
                       struct slow_queries_baseline *baseline, int64_t now_ms,
                       struct slow_query_status *out, char *err, size_t errlen)
{
	size_t n = rows > 0 ? (size_t)rows : 1;
	struct slow_row *seen = xcalloc(n, sizeof(*seen)); /* cumulative, by row */
	struct slow_row *slow = xcalloc(n, sizeof(*slow)); /* over the span, the slow ones */
	enum slow_query_span span = !baseline               ? SLOW_SPAN_SINCE_RESET
	                            : baseline->older.valid ? SLOW_SPAN_WINDOW
	                                                    : SLOW_SPAN_BASELINE;
	int candidates = 0, rc = -1;

	for (int r = 0; r < rows; r++) {
		const char *const *row = values + (size_t)r * SLOW_COL_COUNT;
		seen[r].row = r;
		if (parse_numbers(row, &seen[r].calls, &seen[r].total_ms, &seen[r].blocks, err,
		                  errlen) < 0)
			goto done;
		struct slow_row f = seen[r];
		if (span == SLOW_SPAN_BASELINE)
			continue;
		const struct slow_queries_seen *before =
		    span == SLOW_SPAN_WINDOW ? baseline_find(&baseline->older, row[SLOW_COL_KEY])
		                             : NULL;
		/* counters that went back were reset since: count from zero */
		if (before && before->calls <= f.calls && before->total_ms <= f.total_ms) {
			f.calls -= before->calls;
			f.total_ms -= before->total_ms;
			f.blocks = f.blocks >= before->blocks ? f.blocks - before->blocks : 0;
		}
		if (f.calls > 0 && f.total_ms / (double)f.calls > (double)out->threshold_ms)
			slow[candidates++] = f;
	}
	if (candidates > 1)
		qsort(slow, (size_t)candidates, sizeof(*slow), slow_row_by_mean);

	int count = candidates < SNAPSHOT_SLOW_QUERIES ? candidates : SNAPSHOT_SLOW_QUERIES;
	bool hidden = false;
	for (int i = 0; i < count; i++)
		hidden |= fill_item(&out->items[i], values + (size_t)slow[i].row * SLOW_COL_COUNT,
		                    &slow[i]);
	out->count = count;
	out->span = span;
	out->span_ms = span == SLOW_SPAN_WINDOW && baseline ? now_ms - baseline->older.taken_ms : 0;
	if (cat->mean_column)
		snprintf(out->mean_column, sizeof(out->mean_column), "%s", cat->mean_column);
	out->problem = SLOW_QUERY_OK;
	out->check.state = CHECK_OK;
	out->check.error[0] = '\0';
	if (hidden) {
		char role[sizeof(cat->role) + 8];
		shown_identifier(role, sizeof(role), cat->role);
		out->problem = SLOW_QUERY_NO_PRIVILEGE;
		check_set_error(&out->check, CHECK_OK,
		                "query texts of other roles are hidden from %s: run GRANT "
		                "pg_read_all_stats TO %s",
		                role, role);
	}
	if (baseline && span == SLOW_SPAN_BASELINE) {
		baseline_store(&baseline->older, values, seen, rows, now_ms);
		baseline->newer = baseline->older;
	} else if (baseline && now_ms - baseline->newer.taken_ms >= SLOW_QUERIES_WINDOW_MS) {
		baseline->older = baseline->newer;
		baseline_store(&baseline->newer, values, seen, rows, now_ms);
	}
	rc = 0;
done:
	free(seen);
	free(slow);
	return rc;
}

void slow_queries_describe_error(const char *sqlstate, const char *message,
                                 struct slow_query_status *out)
{
	const char *why = message && *message ? message : "unknown error";
	out->count = 0;
	if (sqlstate && strcmp(sqlstate, "55000") == 0 && strstr(why, "shared_preload_libraries")) {
		out->problem = SLOW_QUERY_NOT_PRELOADED;
		check_set_error(
		    &out->check, CHECK_UNHEALTHY,
		    "pg_stat_statements is installed but not loaded: add it to "
		    "shared_preload_libraries in postgresql.conf and restart PostgreSQL");
		return;
	}
	out->problem = SLOW_QUERY_FAILED;
	if (sqlstate && strcmp(sqlstate, "42501") == 0)
		check_set_error(&out->check, CHECK_UNHEALTHY,
		                "pg_stat_statements not readable: %s (GRANT pg_read_all_stats to "
		                "this role)",
		                why);
	else
		check_set_error(&out->check, CHECK_UNHEALTHY, "pg_stat_statements: %s", why);
}
