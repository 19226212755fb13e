/* pgbouncer.h - reading PgBouncer's SHOW POOLS and SHOW STATS into
 * model/pgbouncer.h. Pure: no libpq here (probe_pgbouncer.c talks to the
 * admin console).
 *
 * Columns are found by name, so PgBouncer versions that add columns (or lack
 * maxwait_us, avg_wait_time) are read alike. The admin console's own pool
 * (database "pgbouncer") is left out.
 */
#ifndef OPSDECK_PROBE_PGBOUNCER_H
#define OPSDECK_PROBE_PGBOUNCER_H

#include <stddef.h>

#include "model/pgbouncer.h"

/* The admin console's commands; it speaks the simple query protocol only. */
#define PGBOUNCER_SHOW_POOLS "SHOW POOLS"
#define PGBOUNCER_SHOW_STATS "SHOW STATS"

/* One result as text: names[cols], values[row * cols + col] (NULL for a
 * NULL cell). */
struct pgbouncer_table {
	int rows;
	int cols;
	const char *const *names;
	const char *const *values;
};

/* Fills the pools and totals of out (not its check) from SHOW POOLS and,
 * when stats is not NULL, the avg_wait_time of SHOW STATS. Names are
 * sanitised and redacted. Returns 0, or -1 with a reason in err when a
 * needed column is missing or a cell is not a number. */
int pgbouncer_parse(const struct pgbouncer_table *pools, const struct pgbouncer_table *stats,
                    struct pgbouncer_status *out, char *err, size_t errlen);

#endif
