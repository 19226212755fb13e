/* actions.h - how the recovery actions of the registry (model/action.h)
 * run (DESIGN.md "Recovery actions (contract)").
 *
 * An action has a dry run that touches nothing and prints exactly what the
 * run would touch (keys matched, sessions listed, the command line), and a
 * run. Both write their lines through action_say(), which collects them in
 * the run's output and, under a job (runner.h), reports each as progress.
 * action_execute() is the one way in: it refuses in read-only mode, writes
 * the audit attempt (no record, no action), runs, and writes the outcome.
 * Whoever calls it has already asked for confirmation.
 *
 * Actions do their own I/O (hiredis, libpq, posix_spawn) on the calling
 * thread, each call bounded by app.timeout (restart_command by
 * restart_timeout); never on the UI thread.
 */
#ifndef OPSDECK_JOB_ACTIONS_H
#define OPSDECK_JOB_ACTIONS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "job/runner.h"
#include "model/action.h"
#include "model/issue.h"
#include "model/snapshot.h"
#include "util/strbuf.h"

/* The re-check after a run (job/recheck.h), for a caller that wants one:
 * what was there before, how to probe again, and what it found. All
 * borrowed; the outputs are set by action_execute. */
struct action_recheck {
	void (*probe)(const struct config *cfg, struct snapshot *out); /* a whole snapshot */
	const struct snapshot *before;
	const struct diagnosis *before_issues;
	const char *focus_id; /* the issue it was started from, or NULL */
	int attempts;         /* probes while a relevant issue is still present */
	struct strbuf *out;   /* receives the before -> after lines */
	int still_present;    /* set: how many relevant issues are still present */
};

/* One execution of an action. Filled by the caller; `out` collects every
 * line said (may be NULL); `job` is set when it runs under runner.h. */
struct action_run {
	const struct config *cfg; /* borrowed */
	int pid;                  /* for ACTION_NEEDS_PID / ACTION_TAKES_PID, else 0 */
	/* terminate-blocker: the backend_start (µs) of the pid as the operator
	 * was shown it (dry run, dialog), 0 when none was shown; a dry run that
	 * picks the pid sets pid and this. A run refuses a pid whose backend
	 * started at another time (a different backend). */
	int64_t backend_start_us;
	/* Set by an action that refused because its target changed since it
	 * was shown (gone, blocks no one, another backend): the CLI exits 1. */
	bool target_changed;
	bool force;               /* terminate-blocker: a superuser's session, when the
	                             configured role is a superuser too */
	struct job *job;          /* may be NULL */
	const atomic_int *cancel; /* may be NULL: set (by a signal) to stop between steps */
	struct strbuf *out;       /* may be NULL */
	/* Called with each line as it is said (the CLI prints it live); may
	 * be NULL. */
	void (*on_line)(const char *line, void *arg);
	void *on_line_arg;
	/* May be NULL; otherwise a run that worked is re-checked before its
	 * outcome is recorded, and the outcome carries the result. */
	struct action_recheck *recheck;
	uint64_t done;     /* units done so far (keys, sessions) */
	char summary[256]; /* the run's one-line result: "removed 27 keys" */
};

/* How an action of the registry (model/action.h) runs. Each returns 0, or
 * -1 with the reason in err, or ACTION_RUN_REFUSED (with the reason) when
 * the target turns out to be one the action must never touch: nothing was
 * changed. */
struct action_ops {
	int (*dry_run)(struct action_run *run, char *err, size_t errlen);
	int (*run)(struct action_run *run, char *err, size_t errlen);
};

/* The functions of the action with this id, never NULL for a row of
 * ACTIONS[]. */
const struct action_ops *action_ops_of(enum action_id id);

#define ACTION_RUN_REFUSED (-2)

/* Whether the action can run with this configuration (read-only mode
 * aside): true, or false with why not in `why` ("restart_command is not
 * configured"). */
bool action_available(const struct action *a, const struct config *cfg, char *why, size_t whylen);

/* Why read-only mode (--read-only or [recovery] read_only) refuses to run
 * the action, as one line: the text of the refusal everywhere it is shown. */
void action_read_only_reason(const struct action *a, char *dst, size_t size);

/* The audit target of an action: the backend's redacted URL, or the restart
 * command. */
void action_target(const struct action *a, const struct config *cfg, char *dst, size_t size);

enum action_status {
	ACTION_OK = 0,
	ACTION_FAILED,    /* ran and failed (or could not reach its backend) */
	ACTION_REFUSED,   /* read-only mode, not available, or no audit record */
	ACTION_CANCELLED, /* cancelled through its job */
	/* It ran, and its re-check shows an issue it addresses still present:
	 * "ran, issue still present", not a plain ok. */
	ACTION_STILL_PRESENT,
};

/* How a status reads in the audit log: "ok", "failed", "refused",
 * "cancelled", "still-present". */
const char *action_status_word(enum action_status st);

/* How a run that went through reads to the operator: "done", or "ran,
 * issue still present". */
const char *action_status_outcome(enum action_status st);

/* Audits and runs (or dry-runs) the action. Refused without running when
 * read_only is set (a dry run is allowed: it changes nothing), when the
 * action is not available, or when the audit attempt cannot be written.
 * A run that worked is re-checked when run->recheck is set: ACTION_OK when
 * no issue it addresses is left, ACTION_STILL_PRESENT otherwise; the audit
 * outcome's detail carries the re-check's lines. err receives the reason of
 * anything but ACTION_OK and ACTION_STILL_PRESENT; run->summary the result
 * line. */
enum action_status action_execute(const struct action *a, struct action_run *run, bool dry_run,
                                  char *err, size_t errlen);

/* Records that the operator declined the confirmation after the dry run:
 * an attempt and its outcome "declined", joined by id, so the audit trail
 * shows who backed off. Nothing runs. 0, or -1 with the reason in err. */
int action_record_declined(const struct action *a, struct action_run *run, char *err,
                           size_t errlen);

/* From an action: one line of output (sanitised, redacted) into run->out
 * and, under a job, as its progress. */
void action_say(struct action_run *run, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool action_cancelled(const struct action_run *run);

/* One of the app's sessions, as the PostgreSQL actions see them. */
struct action_session {
	int pid;
	char user[64];
	char application[64];
	int64_t age_ms;  /* in its current state */
	char state[32];  /* "active", "idle in transaction", ... */
	char role[16];   /* "blocker" (others wait on its locks), "waiting", or "" */
	char query[128]; /* head of its query, sanitised */
};

/* Lists the app's sessions that are not idle, with the same exclusions as
 * cancel-query and terminate-query, so the operator can pick a pid: the
 * sessions that block others first (pg_blocking_pids), then the waiting
 * ones, then the others; active before idle in transaction, oldest first. Reads only; not an
 * action, not audited. Returns how many were stored in out (at most max), or -1 with the reason in
 * err. */
int action_list_sessions(const struct config *cfg, struct action_session *out, int max, char *err,
                         size_t errlen);

/* Pure helpers, exposed for the tests. */

/* Splits a command line into argv as a POSIX shell would split words:
 * blanks separate, '...' is literal, "..." keeps \" \\ \$ \` escapes,
 * a backslash outside quotes escapes the next character. No expansion of
 * any kind ($, *, ~, ;, |, > are ordinary characters). Returns the number of
 * words and an allocated NULL-terminated argv (free with
 * action_argv_free), or -1 with the reason in err (an unbalanced quote, a
 * trailing backslash, no words). */
int action_split_command(const char *line, char ***argv_out, char *err, size_t errlen);
void action_argv_free(char **argv);

/* Writes argv as one line a shell would split back into the same words
 * (each word single-quoted when it needs it). */
void action_argv_format(char *const argv[], char *dst, size_t size);

/* Escapes Redis glob metacharacters (* ? [ ] \) in a key prefix so that
 * SCAN MATCH "<escaped>*" matches exactly the keys starting with it.
 * Returns 0, or -1 when dst is too small (a cut pattern would match more). */
int action_glob_escape(const char *prefix, char *dst, size_t size);

#endif
