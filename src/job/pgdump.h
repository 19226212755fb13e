/* pgdump.h - pg_dump as a stream: started without a shell, read as it runs.
 *
 * pg_dump is started with posix_spawnp and an argv that never holds the
 * password: the connection (host, port, user, dbname, sslmode...) goes in a
 * conninfo string built from the parsed URL (Prisma's own parameters already
 * dropped by config/pgurl.h), the password in the child's environment
 * (PGPASSWORD), which other users cannot read. The child gets its own
 * process group, so a terminal's Ctrl-C reaches opsdeck, which then stops
 * pg_dump itself. Its stderr is kept (the last PGDUMP_STDERR_CAP bytes'
 * worth) to explain a failure. The program is `pg_dump` from PATH, or
 * $OPSDECK_PG_DUMP.
 */
#ifndef OPSDECK_JOB_PGDUMP_H
#define OPSDECK_JOB_PGDUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config/pgurl.h"

#define PGDUMP_STDERR_CAP 8192
#define PGDUMP_AGAIN      (-2)

struct pgdump;

/* Starts pg_dump for url's database, plain SQL or (custom) -Fc -Z0 (opsdeck
 * compresses). NULL with a reason when it cannot be started. */
struct pgdump *pgdump_start(const struct pgurl *url, bool custom, char *err, size_t errlen);

/* Reads dump bytes: > 0 bytes read, 0 at the end of the dump, -1 error,
 * PGDUMP_AGAIN when nothing came within timeout_ms (so the caller can look
 * at cancellation). */
ssize_t pgdump_read(struct pgdump *d, void *buf, size_t len, int timeout_ms, char *err,
                    size_t errlen);

/* After the end of the dump: waits for pg_dump to exit. 0 only when it
 * exited with status 0; else -1 and err says how it ended, with its stderr. */
int pgdump_wait(struct pgdump *d, char *err, size_t errlen);

/* Stops pg_dump (SIGTERM, then SIGKILL after 2 s), reaps it and frees d.
 * NULL is a no-op; after pgdump_wait it only frees. */
void pgdump_free(struct pgdump *d);

/* "pg_dump (PostgreSQL) 15.8" into buf, or "" when it cannot run. */
void pgdump_program_version(char *buf, size_t len);

/* The server's version and the database's size (pg_database_size) over one
 * pg_session, connect and query within timeout_ms; -1 with a reason (one
 * line, password masked) when it cannot connect or the query fails. */
int pgdump_server_info(const struct pgurl *url, int64_t timeout_ms, char *version, size_t vlen,
                       uint64_t *db_size, char *err, size_t errlen);

#endif
