/* spawn.h - run a program without a shell and collect what it prints.
 *
 * opsdeck never runs a command through /bin/sh: programs are started with
 * posix_spawnp() and an argv, so no argument is ever parsed by a shell.
 */
#ifndef OPSDECK_UTIL_SPAWN_H
#define OPSDECK_UTIL_SPAWN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/strbuf.h"

struct spawn_result {
	int exit_status; /* exit code when exited normally, else -1 */
	int signal;      /* terminating signal, or 0 */
	int timed_out;   /* killed because the deadline passed */
	int cancelled;   /* killed because *cancel was set */
	int64_t duration_ms;
};

/* Runs argv[0] (looked up in PATH) with argv, in directory `cwd` (NULL: the
 * current one), stdin from /dev/null, in a process group of its own, and
 * waits until it exits, at most timeout_ms (<= 0: no limit) and only while
 * *cancel (may be NULL) stays 0. On timeout or cancel the whole group gets
 * SIGTERM, then SIGKILL after a second. stdout and stderr are collected
 * into `out` and `err` (either may be NULL to discard), each up to the
 * buffer's own cap; output that processes it left running still write is
 * not waited for.
 * Returns 0 when the program ran (look at `result` for how it ended), or -1
 * if it could not be started, with the reason in errbuf. */
int spawn_capture(char *const argv[], const char *cwd, int64_t timeout_ms, const atomic_int *cancel,
                  struct strbuf *out, struct strbuf *err, struct spawn_result *result, char *errbuf,
                  size_t errlen);

/* Starts argv[0] (looked up in PATH) with argv, in `cwd` (NULL: the current
 * directory), environment envp (NULL: ours), stdin from /dev/null, stdout
 * on out_fd and stderr on err_fd (both borrowed: the caller closes its
 * copies), default signal handling and an empty signal mask; in a process
 * group of its own when new_process_group (so kill(-pid) reaches what it
 * starts). Does not wait. Returns 0 with *pid set, or -1 with the reason in
 * errbuf. */
int spawn_start(char *const argv[], const char *cwd, char *const envp[], bool new_process_group,
                int out_fd, int err_fd, pid_t *pid, char *errbuf, size_t errlen);

/* The same with stdin on in_fd (borrowed, as out_fd; -1: /dev/null), for a
 * program fed through a pipe (psql reading a dump). */
int spawn_start_fed(char *const argv[], const char *cwd, char *const envp[], bool new_process_group,
                    int in_fd, int out_fd, int err_fd, pid_t *pid, char *errbuf, size_t errlen);

#endif
