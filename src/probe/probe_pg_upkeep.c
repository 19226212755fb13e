/* probe_pg_upkeep.c - PostgreSQL replication and upkeep (pg_upkeep.h): its
 * own connection to [database] url, beside the database probe's, so the two
 * run in parallel and a poll takes no longer; a statement_timeout, then the
 * one query. Never run in read-write mode: the query only reads. */
#include "probe/probe.h"

#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/pg_session.h"
#include "config/pgurl.h"
#include "probe/pg_upkeep.h"
#include "probe/slow_queries.h"
#include "util/clock.h"
#include "util/xalloc.h"

/* The query on an open session. Returns 0, or -1 with err. */
static int pg_upkeep_exchange(struct pg_session *s, int64_t timeout_ms,
                              struct pg_upkeep_status *out, char *err, size_t errlen)
{
	int rc = -1;
	PGresult *rows = NULL;
	char *set = xasprintf(SLOW_QUERIES_MARKER " SET statement_timeout = %" PRId64,
	                      timeout_ms > 0 ? timeout_ms : 1);
	char standbys[16], tables[16];
	snprintf(standbys, sizeof(standbys), "%d", PG_UPKEEP_STANDBYS);
	snprintf(tables, sizeof(tables), "%d", PG_UPKEEP_TABLES);
	const char *params[2] = {standbys, tables};

	if (pg_session_query(s, set, 0, NULL, &rows, NULL, err, errlen) < 0)
		goto done;
	PQclear(rows);
	rows = NULL;
	int64_t start_us = clock_monotonic_us();
	if (pg_session_query(s, PG_UPKEEP_SQL, 2, params, &rows, NULL, err, errlen) < 0)
		goto done;
	out->check.latency_ms = (double)(clock_monotonic_us() - start_us) / 1000.0;
	if (!rows || PQntuples(rows) != 1 || PQnfields(rows) != 1 || PQgetisnull(rows, 0, 0)) {
		snprintf(err, errlen, "the upkeep query returned %d rows",
		         rows ? PQntuples(rows) : 0);
		goto done;
	}
	rc = pg_upkeep_parse(PQgetvalue(rows, 0, 0), out, err, errlen);
done:
	PQclear(rows);
	free(set);
	return rc;
}

void probe_pg_upkeep(const struct config *cfg, struct pg_upkeep_status *out)
{
	struct pgurl u;
	struct pg_session s = {.conn = NULL};
	char err[SNAPSHOT_TEXT];
	bool parsed = false;

	pg_upkeep_reset(out);
	if (probe_pg_open(cfg, &out->check, &u, &parsed, &s) < 0)
		goto done;
	if (pg_upkeep_exchange(&s, cfg->app.timeout_ms, out, err, sizeof(err)) < 0) {
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
