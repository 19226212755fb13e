/* probe_pgbouncer.c - PgBouncer's pools through its admin console
 * ([database] pgbouncer_admin_url, database "pgbouncer"): SHOW POOLS and
 * SHOW STATS on a connection of its own. The console takes the simple
 * query protocol only, so both go without parameters (PQsendQuery) and no
 * SET is sent first: the session's deadline bounds them. */
#include "probe/probe.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>

#include "client/pg_session.h"
#include "config/pgurl.h"
#include "probe/pgbouncer.h"
#include "util/clock.h"
#include "util/xalloc.h"

/* A result's column names and cells as text (NULL for NULL). */
struct table_copy {
	const char **names;
	const char **values;
	struct pgbouncer_table t;
};

static void table_of(const PGresult *res, struct table_copy *c)
{
	int rows = PQntuples(res), cols = PQnfields(res);
	c->names = xcalloc((size_t)cols + 1, sizeof(*c->names));
	c->values = xcalloc((size_t)rows * (size_t)cols + 1, sizeof(*c->values));
	for (int j = 0; j < cols; j++)
		c->names[j] = PQfname(res, j);
	for (int i = 0; i < rows; i++)
		for (int j = 0; j < cols; j++)
			c->values[(size_t)i * (size_t)cols + (size_t)j] =
			    PQgetisnull(res, i, j) ? NULL : PQgetvalue(res, i, j);
	c->t = (struct pgbouncer_table){rows, cols, c->names, c->values};
}

static void table_free(struct table_copy *c)
{
	free(c->names);
	free(c->values);
}

/* SHOW POOLS, then SHOW STATS (optional: a failure there leaves the
 * average wait unknown). Returns 0, or -1 with err. */
static int pgbouncer_exchange(struct pg_session *s, struct pgbouncer_status *out, char *err,
                              size_t errlen)
{
	PGresult *pools = NULL, *stats = NULL;
	char ignored[SNAPSHOT_TEXT];
	int64_t start_us = clock_monotonic_us();
	if (pg_session_query(s, PGBOUNCER_SHOW_POOLS, 0, NULL, &pools, NULL, err, errlen) < 0)
		return -1;
	out->check.latency_ms = (double)(clock_monotonic_us() - start_us) / 1000.0;
	if (!pools) {
		snprintf(err, errlen, "pgbouncer: SHOW POOLS returned no rows");
		return -1;
	}
	if (pg_session_query(s, PGBOUNCER_SHOW_STATS, 0, NULL, &stats, NULL, ignored,
	                     sizeof(ignored)) < 0) {
		PQclear(stats);
		stats = NULL;
	}
	struct table_copy p, st = {0};
	table_of(pools, &p);
	if (stats)
		table_of(stats, &st);
	int rc = pgbouncer_parse(&p.t, stats ? &st.t : NULL, out, err, errlen);
	table_free(&p);
	table_free(&st);
	PQclear(pools);
	PQclear(stats);
	return rc;
}

/* Why the row is not configured: with pgbouncer=true in [database] url the
 * app goes through PgBouncer, and the reason says which key would show its
 * pools. */
static const char *unset_reason(const struct config *cfg)
{
	const char *plain = "pgbouncer_admin_url is not set";
	struct pgurl u;
	char err[SNAPSHOT_TEXT];
	const char *url = cfg->database.url;
	if (!url || !url[0] ||
	    pgurl_parse(url, (long)cfg->app.timeout_ms, &u, err, sizeof(err)) < 0)
		return plain;
	bool through = u.pgbouncer != 0;
	pgurl_free(&u);
	return through ? "the database url has pgbouncer=true: set [database] pgbouncer_admin_url "
	                 "to read PgBouncer's pools"
	               : plain;
}

void probe_pgbouncer(const struct config *cfg, struct pgbouncer_status *out)
{
	struct pgurl u;
	struct pg_session s = {.conn = NULL};
	char err[SNAPSHOT_TEXT];
	bool parsed = false;

	pgbouncer_reset(out);
	if (probe_pg_open_url(cfg, cfg->database.pgbouncer_admin_url, unset_reason(cfg),
	                      &out->check, &u, &parsed, &s) < 0)
		goto done;
	if (pgbouncer_exchange(&s, out, err, sizeof(err)) < 0) {
		check_set_error(&out->check, CHECK_UNHEALTHY, "%s", err);
		goto done;
	}
	out->check.state = CHECK_OK;
done:
	pg_session_close(&s);
	if (parsed)
		pgurl_free(&u);
	out->check.checked_at_ms = clock_wall_ms();
}
