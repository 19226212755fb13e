/* pg_parse.h - turn the pg_stat_activity aggregate row into figures, and
 * check the identifiers spliced into SQL text. Pure.
 *
 * PG_ACTIVITY_SQL is the one query the PostgreSQL probe runs over
 * pg_stat_activity: it returns a single row with the columns in the order of
 * enum pg_activity_column, every value as text (NULL for "none").
 */
#ifndef OPSDECK_PROBE_PG_PARSE_H
#define OPSDECK_PROBE_PG_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/snapshot.h"

extern const char PG_ACTIVITY_SQL[];

enum pg_activity_column {
	PG_COL_TOTAL,
	PG_COL_ACTIVE,
	PG_COL_IDLE,
	PG_COL_IDLE_IN_TX,
	PG_COL_OTHER,
	PG_COL_LONGEST_IDLE_IN_TX_S,
	PG_COL_LONGEST_QUERY_S,
	PG_COL_LOCK_WAITERS,
	PG_COL_MAX_CONNECTIONS,
	PG_COL_SERVER_VERSION,
	PG_COL_SERVER_VERSION_NUM,
	PG_COL_COUNT
};

/* values[i] is column i's text or NULL. Returns 0, or -1 with a reason in
 * err if a value is malformed. */
int pg_activity_parse(const char *const values[PG_COL_COUNT], struct pg_status *out, char *err,
                      size_t errlen);

/* Whether s is a quoted identifier as PQescapeIdentifier writes it: "...",
 * with every inner '"' doubled. Only such text may be spliced into SQL. */
bool pg_is_quoted_identifier(const char *s);

#endif
