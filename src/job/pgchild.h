/* pgchild.h - a PostgreSQL client program (pg_dump, psql, pg_restore)
 * running as a child in its own process group: its stderr collected, its
 * exit awaited, its failure told in one line, and the whole group stopped
 * when it is no longer wanted; internal to job/. The stdin or stdout pipe
 * that carries the data is its owner's (pgdump.c, pg_load.c).
 */
#ifndef OPSDECK_JOB_PGCHILD_H
#define OPSDECK_JOB_PGCHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/strbuf.h"

struct pgchild {
	const char *name; /* "pg_dump", "psql", "pg_restore": for messages */
	pid_t pid;        /* -1 until started */
	int err_fd;       /* its stderr, non-blocking; -1 at EOF */
	bool reaped;
	int status; /* waitpid's, once reaped */
	/* the start of its stderr: the first error is the reason */
	struct strbuf stderr_text;
};

/* A child not started yet, keeping at most stderr_cap bytes of stderr. */
void pgchild_init(struct pgchild *c, const char *name, size_t stderr_cap);

/* Reads what its stderr holds now; closes it at EOF. */
void pgchild_read_stderr(struct pgchild *c);

/* Reads its stderr to the end (blocking). */
void pgchild_drain_stderr(struct pgchild *c);

/* Waits for its exit: timeout_ms < 0 for as long as it takes, else at
 * most that long (0: a look). 0 reaped, -1 not (yet). */
int pgchild_reap(struct pgchild *c, int64_t timeout_ms);

/* Reaped with exit status 0. */
bool pgchild_succeeded(const struct pgchild *c);

/* Why it failed, in one line: "psql exited with status 3: ERROR: ...",
 * "... was killed by signal 9", or (not reaped) "... stopped reading the
 * dump"; its stderr sanitised and redacted. */
void pgchild_describe(const struct pgchild *c, char *err, size_t errlen);

/* Closes its stderr; a child still running is sent SIGTERM with its whole
 * group, SIGKILL after 2 s, and reaped; the text is freed. */
void pgchild_stop(struct pgchild *c);

#endif
