/* probe_pg_upkeep.c - PostgreSQL replication and upkeep (pg_upkeep.h): one
 * query on the database probe's session (probe_pg.c), which already bounds
 * each statement with statement_timeout. The query only reads. */
#include "probe/probe.h"

#include <libpq-fe.h>
#include <stdio.h>

#include "client/pg_session.h"
#include "probe/pg_upkeep.h"
#include "util/clock.h"

void pg_upkeep_read(struct pg_session *s, struct pg_upkeep_status *out)
{
	char err[SNAPSHOT_TEXT] = "";
	PGresult *rows = NULL;
	char standbys[16], tables[16];
	snprintf(standbys, sizeof(standbys), "%d", PG_UPKEEP_STANDBYS);
	snprintf(tables, sizeof(tables), "%d", PG_UPKEEP_TABLES);
	const char *params[2] = {standbys, tables};

	int64_t start_us = clock_monotonic_us();
	if (pg_session_query(s, PG_UPKEEP_SQL, 2, params, &rows, NULL, err, sizeof(err)) < 0)
		goto failed;
	out->check.latency_ms = (double)(clock_monotonic_us() - start_us) / 1000.0;
	if (!rows || PQntuples(rows) != 1 || PQnfields(rows) != 1 || PQgetisnull(rows, 0, 0)) {
		snprintf(err, sizeof(err), "the upkeep query returned %d rows",
		         rows ? PQntuples(rows) : 0);
		goto failed;
	}
	if (pg_upkeep_parse(PQgetvalue(rows, 0, 0), out, err, sizeof(err)) < 0)
		goto failed;
	out->check.state = CHECK_OK;
	PQclear(rows);
	return;
failed:
	check_set_error(&out->check, CHECK_UNHEALTHY, "%s", err);
	PQclear(rows);
}
