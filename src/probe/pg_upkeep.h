/* pg_upkeep.h - the replication and upkeep query and the parsing of its
 * reply. Pure: no libpq here (tests/unit/probe/test_pg_upkeep.c);
 * probe_pg_upkeep.c sends the query.
 *
 * One round trip: PG_UPKEEP_SQL returns one row of one column, a JSON
 * object built by the server (json_build_object), so the lists (standbys,
 * slots, tables) come capped and ordered with the scalar figures. Functions
 * that only work on a primary (pg_current_wal_lsn) or only on a standby
 * (pg_last_wal_replay_lsn and friends) sit behind pg_is_in_recovery() in a
 * CASE, so the same query serves both. Parameters: $1 how many standbys and
 * slots, $2 how many tables.
 */
#ifndef OPSDECK_PROBE_PG_UPKEEP_H
#define OPSDECK_PROBE_PG_UPKEEP_H

#include <stddef.h>

#include "model/pg_upkeep.h"

extern const char PG_UPKEEP_SQL[];

/* Parses the reply (the JSON text of the one cell) into out, whose check
 * the caller sets. Strings are sanitised and cut; absent or null figures
 * stay unknown (-1). Returns 0, or -1 with err when the text is not the
 * object the query builds. */
int pg_upkeep_parse(const char *json, struct pg_upkeep_status *out, char *err, size_t errlen);

#endif
