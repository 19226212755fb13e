/* pg_connections.c - the grouping query and its parser (see
 * pg_connections.h). Pure: no libpq here.
 *
 * One scan of pg_stat_activity for the client backends, grouped four ways
 * at once (GROUPING SETS) and cut to the top CONN_TOP of each in the
 * server, so the reply is bounded whatever the number of sessions: at most
 * 4 × CONN_TOP + 5 rows.
 */
#include "probe/pg_connections.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/redact.h"
#include "util/sanitize.h"

#define STR_(x) #x
#define STR(x)  STR_(x)

const char PG_CONNECTIONS_SQL[] =
    "WITH a AS (SELECT coalesce(nullif(application_name, ''), '(none)') AS app,"
    " coalesce(usename::text, '(none)') AS usr,"
    " coalesce(host(client_addr), 'local') AS cli,"
    " coalesce(state, '(none)') AS st,"
    " (usename = $1 AND application_name IS DISTINCT FROM 'opsdeck') AS mine"
    " FROM pg_stat_activity WHERE backend_type = 'client backend'),"
    " g AS (SELECT CASE WHEN grouping(app) = 0 THEN 'application'"
    " WHEN grouping(usr) = 0 THEN 'user' WHEN grouping(cli) = 0 THEN 'client'"
    " WHEN grouping(st) = 0 THEN 'state' ELSE 'total' END AS d,"
    " coalesce(app, usr, cli, st) AS k, count(*) AS n,"
    " count(*) FILTER (WHERE mine) AS m,"
    " row_number() OVER (PARTITION BY grouping(app), grouping(usr), grouping(cli),"
    " grouping(st) ORDER BY count(*) DESC, coalesce(app, usr, cli, st)) AS r"
    " FROM a GROUP BY GROUPING SETS ((app), (usr), (cli), (st), ()))"
    " SELECT d, k, n::text FROM g WHERE r <= " STR(
        CONN_TOP) " AND d <> 'total'"
                  " UNION ALL SELECT 'total', NULL, coalesce((SELECT n FROM g WHERE d = 'total'), "
                  "0)::text"
                  " UNION ALL SELECT 'app', NULL, coalesce((SELECT m FROM g WHERE d = 'total'), "
                  "0)::text"
                  " UNION ALL SELECT 'max_connections', NULL, current_setting('max_connections')"
                  " UNION ALL SELECT 'superuser_reserved_connections', NULL,"
                  " current_setting('superuser_reserved_connections')"
                  " UNION ALL SELECT 'reserved_connections', NULL,"
                  " current_setting('reserved_connections', true)";

static int parse_int(const char *text, const char *what, int *out, char *err, size_t errlen)
{
	if (!text) {
		*out = 0;
		return 0;
	}
	char *end = NULL;
	long v = strtol(text, &end, 10);
	if (end == text || *end || v < 0 || v > INT_MAX) {
		snprintf(err, errlen, "connections: %s is not a count", what);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static int dimension_of(const char *name)
{
	for (int d = 0; d < CONN_DIMENSIONS; d++)
		if (strcmp(name, conn_dimension_name((enum conn_dimension)d)) == 0)
			return d;
	return -1;
}

int pg_connections_parse(const char *const *values, int rows, struct pg_connections *out, char *err,
                         size_t errlen)
{
	for (int d = 0; d < CONN_DIMENSIONS; d++)
		memset(&out->by[d], 0, sizeof(out->by[d]));
	out->total = out->app_connections = out->max_connections = 0;
	out->superuser_reserved = out->reserved = 0;
	int sums[CONN_DIMENSIONS] = {0};

	for (int r = 0; r < rows; r++) {
		const char *dim = values[(size_t)r * PG_CONNECTIONS_COL_COUNT];
		const char *name = values[(size_t)r * PG_CONNECTIONS_COL_COUNT + 1];
		const char *count = values[(size_t)r * PG_CONNECTIONS_COL_COUNT + 2];
		int n;
		if (!dim) {
			snprintf(err, errlen, "connections: a row has no dimension");
			return -1;
		}
		if (parse_int(count, dim, &n, err, errlen) < 0)
			return -1;
		int d = dimension_of(dim);
		if (d >= 0) {
			struct conn_groups *g = &out->by[d];
			if (g->count >= CONN_TOP)
				continue; /* the query cuts; a longer reply is not trusted */
			struct conn_group *item = &g->items[g->count++];
			sanitize_text(item->name, sizeof(item->name), name ? name : "(none)");
			redact_text(item->name, sizeof(item->name));
			item->count = n;
			sums[d] += n;
		} else if (strcmp(dim, "total") == 0) {
			out->total = n;
		} else if (strcmp(dim, "app") == 0) {
			out->app_connections = n;
		} else if (strcmp(dim, "max_connections") == 0) {
			out->max_connections = n;
		} else if (strcmp(dim, "superuser_reserved_connections") == 0) {
			out->superuser_reserved = n;
		} else if (strcmp(dim, "reserved_connections") == 0) {
			out->reserved = n;
		}
		/* an unknown dimension from a newer opsdeck's query: ignored */
	}
	for (int d = 0; d < CONN_DIMENSIONS; d++) {
		int other = out->total - sums[d];
		out->by[d].other = other > 0 ? other : 0;
	}
	out->usable =
	    conn_usable_slots(out->max_connections, out->superuser_reserved, out->reserved);
	return 0;
}
