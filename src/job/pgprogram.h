/* pgprogram.h - how opsdeck starts PostgreSQL's client programs (pg_dump,
 * psql, pg_restore): the connection in a conninfo string built from the
 * parsed URL, never holding the password, which goes in the child's
 * environment (PGPASSWORD) where other users cannot read it; internal to
 * job/.
 */
#ifndef OPSDECK_JOB_PGPROGRAM_H
#define OPSDECK_JOB_PGPROGRAM_H

#include "config/pgurl.h"
#include "util/strbuf.h"

/* The program to run: $env_name when set and not empty, else fallback
 * (looked up in PATH). */
const char *pgprogram_path(const char *env_name, const char *fallback);

/* url as a conninfo string into b (appended): every keyword but the
 * password, values quoted; application_name replaced by `application`
 * when not NULL, dbname by `dbname` when not NULL. */
void pgprogram_conninfo(struct strbuf *b, const struct pgurl *url, const char *application,
                        const char *dbname);

/* The child's environment: ours without PGPASSWORD, plus the URL's
 * password; NULL when out of memory (never an environment missing it).
 * Free with pgprogram_environment_free, which wipes the password. */
char **pgprogram_environment(const struct pgurl *url);
void pgprogram_environment_free(char **env);

#endif
