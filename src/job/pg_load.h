/* pg_load.h - a dump fed to psql (plain format) or pg_restore (custom
 * format) through a pipe, without a temporary file; internal to job/.
 *
 * psql runs with -X, ON_ERROR_STOP=1 and --single-transaction, pg_restore
 * with --exit-on-error, --single-transaction and --no-owner, both with
 * --no-password, connected as pgprogram.h says (password in the
 * environment). The program is psql / pg_restore from PATH, or
 * $OPSDECK_PSQL / $OPSDECK_PG_RESTORE. It runs in a process group of its
 * own; its stdout is discarded, its stderr kept (the first
 * PG_LOAD_STDERR_CAP bytes) to explain a failure, sanitised and redacted.
 */
#ifndef OPSDECK_JOB_PG_LOAD_H
#define OPSDECK_JOB_PG_LOAD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "config/pgurl.h"

#define PG_LOAD_STDERR_CAP 8192

struct pg_load;

/* Starts the loader into database dbname on url's server. cancel (may be
 * NULL, borrowed), once non-zero, ends a write or the wait for the loader
 * with "cancelled". NULL with why. */
struct pg_load *pg_load_start(const struct pgurl *url, const char *dbname, bool custom,
                              const atomic_int *cancel, char *err, size_t errlen);

/* Writes data to the loader's stdin (waiting while the pipe is full).
 * -1 with why when the loader has stopped reading (it failed: its stderr
 * says why). */
int pg_load_write(struct pg_load *l, const void *data, size_t len, char *err, size_t errlen);

/* The end of the dump: closes stdin and waits. 0 only when the loader
 * exited with status 0; else -1 with how it ended and its stderr. */
int pg_load_finish(struct pg_load *l, char *err, size_t errlen);

/* Stops the loader if it still runs (SIGTERM to its group, SIGKILL after
 * 2 s) and frees l; NULL is a no-op. */
void pg_load_free(struct pg_load *l);

#endif
