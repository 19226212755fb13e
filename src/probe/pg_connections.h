/* pg_connections.h - the one query that groups PostgreSQL's client
 * connections (model/connections.h), and the parsing of its rows. Pure.
 *
 * PG_CONNECTIONS_SQL takes one parameter, the app's user (the URL's), and
 * returns rows of three text columns, (dimension, name, count): for each of
 * "application", "user", "client" and "state" its CONN_TOP largest groups,
 * the largest first; then one row each for "total", "app" (connections of
 * the app's user that are not opsdeck's own), "max_connections",
 * "superuser_reserved_connections" and "reserved_connections" (NULL before
 * PostgreSQL 16).
 */
#ifndef OPSDECK_PROBE_PG_CONNECTIONS_H
#define OPSDECK_PROBE_PG_CONNECTIONS_H

#include <stddef.h>

#include "model/connections.h"

extern const char PG_CONNECTIONS_SQL[];

#define PG_CONNECTIONS_COL_COUNT 3

/* values[row * 3 + column] is a cell's text or NULL. Fills the groups,
 * totals and slots of out (not the check, nor the pool fields). Names are
 * sanitised and redacted. Returns 0, or -1 with a reason in err when a row
 * is malformed. */
int pg_connections_parse(const char *const *values, int rows, struct pg_connections *out, char *err,
                         size_t errlen);

#endif
