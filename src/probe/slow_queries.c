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
 * text (the server could not read its texts file) is kept. */
char *slow_queries_sql(const char *quoted_schema, const char *quoted_mean, const char *quoted_total)
{
	if (!pg_is_quoted_identifier(quoted_schema) || !pg_is_quoted_identifier(quoted_mean) ||
	    !pg_is_quoted_identifier(quoted_total))
		return NULL;
	struct strbuf b;
	strbuf_init(&b, 0);
	strbuf_printf(&b,
	              SLOW_QUERIES_MARKER " SELECT left(s.query, $3::int), s.calls, s.%s, s.%s"
	                                  " FROM %s.pg_stat_statements s"
	                                  " WHERE s.%s > $1::float8"
	                                  " AND s.dbid = (SELECT oid FROM pg_database"
	                                  " WHERE datname = current_database())"
	                                  " AND (s.query IS NULL OR s.query NOT LIKE '",
	              quoted_total, quoted_mean, quoted_schema, quoted_mean);
	strbuf_printf(&b, "%s%%') ORDER BY s.%s DESC LIMIT $2::int", SLOW_QUERIES_MARKER,
	              quoted_mean);
	return strbuf_take(&b);
}

void slow_queries_params(int64_t threshold_ms,
                         char params[SLOW_QUERIES_PARAM_COUNT][SLOW_QUERIES_PARAM_SIZE])
{
	snprintf(params[0], SLOW_QUERIES_PARAM_SIZE, "%" PRId64, threshold_ms);
	snprintf(params[1], SLOW_QUERIES_PARAM_SIZE, "%d", SNAPSHOT_SLOW_QUERIES);
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

int slow_queries_parse(const char *const *values, int rows, const struct slow_queries_catalog *cat,
                       struct slow_query_status *out, char *err, size_t errlen)
{
	/* Large (about 10 KB): built in place in a copy only on success. */
	struct slow_query items[SNAPSHOT_SLOW_QUERIES];
	int count = 0;
	bool hidden = false;

	for (int r = 0; r < rows && count < SNAPSHOT_SLOW_QUERIES; r++) {
		const char *const *row = values + (size_t)r * SLOW_COL_COUNT;
		struct slow_query *q = &items[count];
		memset(q, 0, sizeof(*q));
		if (!row[SLOW_COL_CALLS] || text_parse_int64(row[SLOW_COL_CALLS], &q->calls) < 0 ||
		    q->calls < 0)
			return bad_value("calls", row[SLOW_COL_CALLS], err, errlen);
		if (!row[SLOW_COL_TOTAL_MS] ||
		    text_parse_double(row[SLOW_COL_TOTAL_MS], &q->total_ms) < 0 || q->total_ms < 0)
			return bad_value("total time", row[SLOW_COL_TOTAL_MS], err, errlen);
		if (!row[SLOW_COL_MEAN_MS] ||
		    text_parse_double(row[SLOW_COL_MEAN_MS], &q->mean_ms) < 0 || q->mean_ms < 0)
			return bad_value("mean time", row[SLOW_COL_MEAN_MS], err, errlen);

		const char *text = row[SLOW_COL_QUERY];
		if (!text) {
			snprintf(q->query, sizeof(q->query), "<query text unavailable>");
		} else if (strcmp(text, SLOW_QUERIES_HIDDEN_TEXT) == 0) {
			snprintf(q->query, sizeof(q->query), "%s", SLOW_QUERIES_HIDDEN_TEXT);
			q->text_hidden = true;
			hidden = true;
		} else {
			clean_query(q->query, sizeof(q->query), text);
		}
		count++;
	}

	/* Only the count items filled in above are copied; cppcheck 2.10 takes
	 * the loop-not-entered path to mean all of them. */
	/* cppcheck-suppress uninitvar */
	memcpy(out->items, items, (size_t)count * sizeof(items[0]));
	out->count = count;
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
	return 0;
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
