/* backup_common.h - what the backup verbs (backup_db.c, backup_files.c,
 * backup_list.c, backup_verify.c) share; internal to job/.
 *
 * A backup run: open the sink, backup_hooks_to_sink, pick its name
 * (repo/backup_name.h), backup_begin (the audit attempt record, then the
 * target made ready), the work, then backup_end with the outcome.
 */
#ifndef OPSDECK_JOB_BACKUP_COMMON_H
#define OPSDECK_JOB_BACKUP_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "job/backup.h"

#define BACKUP_PROGRESS_EVERY_MS 250

struct sink;

/* target, or [backup] target when target is NULL or "". */
const char *backup_target_of(const struct config *cfg, const char *target);

/* The hooks' cancel, abandon and log, on the sink (before any writer opens). */
void backup_hooks_to_sink(const struct backup_hooks *h, struct sink *sink);
bool backup_hooks_cancelled(const struct backup_hooks *h);
void backup_hooks_progress(const struct backup_hooks *h, const struct backup_progress *p);

/* Adds to err what a failed cleanup left at the target (an upload that
 * could not be aborted, a .partial that could not be removed) and where to
 * see it, and sets r->left_behind, so that the result, the audit record and
 * the diagnosis name it. sink may be NULL. */
void backup_note_leftover(struct sink *sink, struct backup_result *r, char *err, size_t errlen);

/* One audit record of action on target: the attempt when result is NULL,
 * else the outcome ("ok", "failed", ...) with detail, duration_ms and what
 * was left behind (may be NULL). 0, or -1 with why in err. */
int backup_audit(const struct config *cfg, const char *id, const char *action, const char *target,
                 const char *result, const char *detail, int64_t duration_ms,
                 const char *left_behind, char *err, size_t errlen);

/* Writes the audit attempt record of action on target (detail may be
 * NULL) and makes the target ready for writing (sink_prepare). What that
 * took (a directory created) goes to the log hook, else stays in note for
 * backup_end. 0; or -1 with why in err: *audited stays false and
 * r->refused is set when the audit log cannot take the record. */
int backup_begin(const struct config *cfg, const char *id, const char *action, const char *target,
                 const char *detail, struct sink *sink, const struct backup_hooks *hooks,
                 bool *audited, char *note, size_t notelen, struct backup_result *r, char *err,
                 size_t errlen);

/* Finishes r->message (note added, redacted) and, when audited, writes the
 * outcome record ("ok", "cancelled" after r->cancelled, "failed"). Returns
 * rc, or -1 when the outcome cannot be recorded (said in r->message): a
 * backup nobody can account for is no success. */
int backup_end(const struct config *cfg, const char *id, const char *action, const char *target,
               bool audited, const char *note, int rc, struct backup_result *r);

#endif
