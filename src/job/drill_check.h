/* drill_check.h - what a backup drill checks in the database it restored
 * (job/backup_drill.c): each table's count(*) against the rows the
 * manifest recorded at backup time, the newest Prisma migration, and the
 * [backup] drill_sql queries (job/drill_sql.h). Internal to job/.
 */
#ifndef OPSDECK_JOB_DRILL_CHECK_H
#define OPSDECK_JOB_DRILL_CHECK_H

#include <stdatomic.h>

#include "client/pg_session.h"
#include "model/drill.h"
#include "repo/manifest.h"
#include "util/strbuf.h"

/* How long one check's query may take (a count(*) of a large table). */
#define DRILL_QUERY_TIMEOUT_MS (30 * 60 * 1000LL)

/* Runs the checks on s (connected to the restored database), each query
 * against its own deadline, stopping between queries once cancel (may be
 * NULL) is set. Fills r->tables_compared (DRILL_TABLES_NOT_COMPARED when m
 * recorded none), r->newest_migration, and, at the first thing that does
 * not match, r->why; every finding is one line in details (sanitised).
 * Returns 0 when everything matched, -1 otherwise. */
int drill_check_run(struct pg_session *s, const struct manifest *m, const char *drill_sql,
                    const atomic_int *cancel, struct drill_result *r, struct strbuf *details);

#endif
