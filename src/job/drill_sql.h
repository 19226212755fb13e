/* drill_sql.h - [backup] drill_sql: the operator's own checks of a drill's
 * restored database, and what makes one pass. Pure.
 *
 * drill_sql holds one or more SQL queries separated by ';' (a ';' inside a
 * '...' string, a "..." identifier, a $tag$...$tag$ body or a -- comment
 * does not split). Each runs on its own in the scratch database and passes
 * when it returns at least one row whose first column is neither false
 * nor NULL:
 *     drill_sql = SELECT count(*) > 0 FROM "User"; SELECT 1 FROM "Order" LIMIT 1
 */
#ifndef OPSDECK_JOB_DRILL_SQL_H
#define OPSDECK_JOB_DRILL_SQL_H

#include <stdbool.h>
#include <stddef.h>

#define DRILL_SQL_MAX 32

/* Splits text into at most max statements, each trimmed and allocated
 * (the caller frees each); empty ones are skipped. Returns how many, or -1
 * with the reason in err when there are more than max or a quote is left
 * open. */
int drill_sql_split(const char *text, char **out, size_t max, char *err, size_t errlen);

/* Whether a query's result passes: rows > 0 and its first value (text as
 * libpq gives it, NULL for SQL NULL) is not NULL and not false ("f"). */
bool drill_sql_passes(int rows, const char *first_value);

#endif
