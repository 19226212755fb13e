/* audit.h - the audit log: one JSON line per attempt and per outcome of
 * every action (recovery actions, backups).
 *
 * Records are appended to [recovery] audit_log with O_APPEND and a single
 * write(2) each, so concurrent opsdeck processes never interleave lines; the
 * file is created 0600. If a record cannot be written, the caller must not
 * run the action: an action nobody can account for does not happen.
 */
#ifndef OPSDECK_JOB_AUDIT_H
#define OPSDECK_JOB_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AUDIT_ID_SIZE 37

struct audit_record {
	const char *id;        /* joins an attempt to its outcome (audit_new_id) */
	const char *phase;     /* "attempt" or "outcome" */
	const char *action;    /* "clear-cache", "backup-db", ... */
	const char *target;    /* what it acts on, redacted */
	const char *arguments; /* e.g. the command line or pid, redacted; may be NULL */
	bool dry_run;
	const char *result;  /* outcome: ok, failed, refused, cancelled, declined,
	                      still-present; NULL: attempt */
	const char *detail;  /* one line, may be NULL */
	int64_t duration_ms; /* outcome only; -1 otherwise */
	/* outcome of a backup only, may be NULL: the key (relative to target) of
	 * a write its cleanup could not remove (repo/sink.h sink_leftover);
	 * written as "left_behind" when set */
	const char *left_behind;
};

/* A fresh random id (UUID v4 text). */
void audit_new_id(char id[AUDIT_ID_SIZE]);

/* Appends one record, filling time (UTC ISO-8601), user (SUDO_USER or the
 * login name), uid, ssh_client (from SSH_CONNECTION) and host. Every string
 * is redacted (config/redact.h) before it is written. Returns 0, or -1 with
 * the reason (naming the file) in err. */
int audit_write(const char *path, const struct audit_record *r, char *err, size_t errlen);

/* One phase of the run that `run` describes (its id, action, target,
 * arguments, dry_run and left_behind; its phase, result, detail and
 * duration_ms are ignored): the attempt when result is NULL, else the
 * outcome with result, detail and duration_ms. As audit_write. */
int audit_write_phase(const char *path, const struct audit_record *run, const char *result,
                      const char *detail, int64_t duration_ms, char *err, size_t errlen);

/* The outcome of run with message as its detail. When the record cannot
 * be written, "; the audit log was not written: WHY" is added to message
 * (size bytes) and -1 returned: a run nobody can account for is no
 * success. */
int audit_write_outcome(const char *path, const struct audit_record *run, const char *result,
                        int64_t duration_ms, char *message, size_t size);

/* A run that never started, and why (result "refused", "declined"): its
 * attempt (with run->detail) and, when that was written, its outcome with
 * detail (duration 0). As audit_write. */
int audit_write_not_run(const char *path, const struct audit_record *run, const char *result,
                        const char *detail, char *err, size_t errlen);

/* Whether the log as it stands can take records, creating and changing
 * nothing (for `status` and `opsdeck audit`): 0 when it can, or does not
 * exist yet; -1 with the problem, naming the file, in `problem` when it is
 * not a regular file, is a symbolic link, has a mode looser than 0600 (it
 * is reported, never tightened) or cannot be written. audit_write refuses
 * such a log too. */
int audit_inspect(const char *path, char *problem, size_t len);

/* The keys that backup outcomes on target recorded as left behind, newest
 * first, from the last AUDIT_TAIL_BYTES of the log (a missing or unreadable
 * log has none): what the diagnosis names at once instead of waiting for an
 * unfinished write to grow old. Stores at most max keys of keysize bytes
 * each (sanitised) and returns how many. */
#define AUDIT_TAIL_BYTES (256 * 1024)
size_t audit_left_behind(const char *path, const char *target, char (*keys)[512], size_t max);

/* One record read back from the log; texts sanitised, at most the sizes
 * below. */
struct audit_entry {
	int64_t at_ms; /* its time; -1 when it has none */
	char phase[16];
	char action[32];
	char result[24];
	char target[256];
	char detail[512];
	char user[64];
	char id[AUDIT_ID_SIZE];
	bool dry_run;
	int64_t duration_ms; /* -1 when not recorded */
};

/* One line of the log as a record: 0, or -1 when it is not a JSON object. */
int audit_entry_parse(const char *line, struct audit_entry *e);

/* Whether a record is worth telling people about: the outcome of a run
 * (not a dry run, not a declined confirmation). */
bool audit_entry_told(const struct audit_entry *e);

/* Every record of the log at path, oldest first, given to `each` (non-zero
 * stops); a line that is not a record is skipped. Returns how many were
 * given (0 when the log does not exist), or -1 with why in err. */
int audit_each_entry(const char *path, int (*each)(const struct audit_entry *e, void *ctx),
                     void *ctx, char *err, size_t errlen);

#endif
