/* drill_check.c - the checks of a restored database (see drill_check.h). */
#include "job/drill_check.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "job/drill_sql.h"
#include "repo/copy_count.h"
#include "util/clock.h"
#include "util/sanitize.h"
#include "util/text.h"
#include "util/xalloc.h"

#define SQLSTATE_UNDEFINED_TABLE "42P01"

/* The first failure's reason into r->why (later ones only in details). */
static void fail(struct drill_result *r, struct strbuf *details, const char *line)
{
	char clean[SNAPSHOT_TEXT];
	sanitize_text(clean, sizeof(clean), line);
	if (!r->why[0])
		text_copy(r->why, clean, sizeof(r->why));
	strbuf_printf(details, "  FAILED %s\n", clean);
}

static int query(struct pg_session *s, const char *sql, PGresult **rows, char sqlstate[6],
                 char *err, size_t errlen)
{
	s->deadline_ms = clock_monotonic_ms() + DRILL_QUERY_TIMEOUT_MS;
	*rows = NULL;
	return pg_session_query(s, sql, 0, NULL, rows, sqlstate, err, errlen);
}

static bool stopped(const atomic_int *cancel, struct drill_result *r, struct strbuf *details)
{
	if (!cancel || !atomic_load(cancel))
		return false;
	fail(r, details, "cancelled");
	return true;
}

/* count(*) of every table the manifest recorded. */
static int compare_counts(struct pg_session *s, const struct manifest *m, const atomic_int *cancel,
                          struct drill_result *r, struct strbuf *details)
{
	if (!m->tables_recorded) {
		r->tables_compared = DRILL_TABLES_NOT_COMPARED;
		strbuf_printf(details, "  row counts not compared: the manifest has none (%s)\n",
		              strcmp(m->format, "custom") == 0 ? "a custom-format dump"
		                                               : "a backup older than the counts");
		return 0;
	}
	int rc = 0;
	r->tables_compared = 0;
	for (size_t i = 0; i < m->table_count; i++) {
		const struct manifest_table *t = &m->tables[i];
		char line[1024], err[512];
		if (stopped(cancel, r, details))
			return -1;
		/* a name from the target reaches SQL only in pg_dump's own form */
		if (!copy_count_name_valid(t->name)) {
			text_printf(line, sizeof(line), "the manifest names a table oddly: %s",
			            t->name);
			fail(r, details, line);
			rc = -1;
			continue;
		}
		char *sql = xasprintf("SELECT count(*) FROM %s", t->name);
		PGresult *rows;
		int q = query(s, sql, &rows, NULL, err, sizeof(err));
		free(sql);
		if (q != 0 || !rows || PQntuples(rows) != 1) {
			text_printf(line, sizeof(line), "%s: cannot count its rows: %s", t->name,
			            q != 0 ? err : "no result");
			fail(r, details, line);
			PQclear(rows);
			rc = -1;
			if (s->broken)
				return -1;
			continue;
		}
		uint64_t got = strtoull(PQgetvalue(rows, 0, 0), NULL, 10);
		PQclear(rows);
		r->tables_compared++;
		if (got != t->rows) {
			text_printf(line, sizeof(line),
			            "%s: %" PRIu64 " %s, the manifest says %" PRIu64, t->name, got,
			            got == 1 ? "row" : "rows", t->rows);
			fail(r, details, line);
			rc = -1;
		}
	}
	if (rc == 0)
		strbuf_printf(details, "  row counts match in %d %s\n", r->tables_compared,
		              text_plural(r->tables_compared, "table", "tables"));
	return rc;
}

/* The newest applied Prisma migration, reported; none is not a failure (an
 * app without Prisma), a table that cannot be read is. */
static int newest_migration(struct pg_session *s, struct drill_result *r, struct strbuf *details)
{
	PGresult *rows;
	char sqlstate[6] = "", err[512];
	if (query(s,
	          "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL "
	          "AND rolled_back_at IS NULL ORDER BY finished_at DESC, migration_name DESC "
	          "LIMIT 1",
	          &rows, sqlstate, err, sizeof(err)) != 0) {
		PQclear(rows);
		if (strcmp(sqlstate, SQLSTATE_UNDEFINED_TABLE) == 0) {
			strbuf_printf(details, "  no _prisma_migrations table\n");
			return 0;
		}
		char line[600];
		text_printf(line, sizeof(line), "_prisma_migrations: %s", err);
		fail(r, details, line);
		return -1;
	}
	if (rows && PQntuples(rows) == 1)
		sanitize_text(r->newest_migration, sizeof(r->newest_migration),
		              PQgetvalue(rows, 0, 0));
	PQclear(rows);
	strbuf_printf(details, "  newest migration: %s\n",
	              r->newest_migration[0] ? r->newest_migration : "(none applied)");
	return 0;
}

/* [backup] drill_sql, each query on its own. */
static int run_drill_sql(struct pg_session *s, const char *drill_sql, const atomic_int *cancel,
                         struct drill_result *r, struct strbuf *details)
{
	char *queries[DRILL_SQL_MAX];
	char err[512], line[1024];
	int n = drill_sql_split(drill_sql, queries, DRILL_SQL_MAX, err, sizeof(err));
	if (n < 0) {
		text_printf(line, sizeof(line), "[backup] drill_sql: %s", err);
		fail(r, details, line);
		return -1;
	}
	int rc = 0;
	for (int i = 0; i < n; i++) {
		if (stopped(cancel, r, details)) {
			rc = -1;
			break;
		}
		PGresult *rows;
		int q = query(s, queries[i], &rows, NULL, err, sizeof(err));
		bool passes =
		    q == 0 && rows &&
		    drill_sql_passes(PQntuples(rows), PQntuples(rows) > 0 && PQnfields(rows) > 0 &&
		                                              !PQgetisnull(rows, 0, 0)
		                                          ? PQgetvalue(rows, 0, 0)
		                                          : NULL);
		PQclear(rows);
		if (passes) {
			strbuf_printf(details, "  drill_sql %d passed\n", i + 1);
			continue;
		}
		text_printf(line, sizeof(line), "drill_sql %d (%s): %s", i + 1, queries[i],
		            q != 0 ? err : "no row, or false or NULL");
		fail(r, details, line);
		rc = -1;
		if (s->broken)
			break;
	}
	for (int i = 0; i < n; i++)
		free(queries[i]);
	return rc;
}

int drill_check_run(struct pg_session *s, const struct manifest *m, const char *drill_sql,
                    const atomic_int *cancel, struct drill_result *r, struct strbuf *details)
{
	int rc = compare_counts(s, m, cancel, r, details);
	if (s->broken || (cancel && atomic_load(cancel)))
		return -1;
	if (newest_migration(s, r, details) != 0)
		rc = -1;
	if (s->broken)
		return -1;
	if (drill_sql && *drill_sql && run_drill_sql(s, drill_sql, cancel, r, details) != 0)
		rc = -1;
	return rc;
}
