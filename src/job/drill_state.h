/* drill_state.h - where the last backup drill's result is kept: one small
 * JSON file, backup-drill.json, in the directory of the audit log
 * ([recovery] audit_log, whose default config/paths.h gives), so that it
 * sits with the record of who ran the drill and needs no key of its own.
 *
 * The file is replaced whole (a temporary file in the same directory,
 * fsync, rename), mode 0600, so a reader never sees half a result. It
 * holds the last drill and when one last passed:
 *   {"drill_state_version": 1,
 *    "last": {"time": "...", "time_ms": N, "key": "...", "result": "ok",
 *             "why": "", "rto_ms": N, "size_bytes": N, "tables_compared": N,
 *             "newest_migration": "..."},
 *    "last_success_ms": N}
 * tables_compared is null when the counts were not compared.
 */
#ifndef OPSDECK_JOB_DRILL_STATE_H
#define OPSDECK_JOB_DRILL_STATE_H

#include <stddef.h>

#include "config/config.h"
#include "model/drill.h"

#define DRILL_STATE_FILE "backup-drill.json"
#define DRILL_STATE_MAX  (64 * 1024)

/* The state file's path for cfg (allocated), or NULL when no audit log is
 * configured. */
char *drill_state_path(const struct config *cfg);

/* The result as the file's JSON text (allocated, never NULL). Pure. */
char *drill_state_to_json(const struct drill_result *r);

/* Parses the file's text into r, every string sanitised; 0, or -1 with the
 * reason in err. Pure. */
int drill_state_parse(const char *text, size_t len, struct drill_result *r, char *err,
                      size_t errlen);

/* Fills out for the snapshot: NOT_CONFIGURED without a backup target or an
 * audit log; OK with out->last from the file (at_ms 0 when there is none
 * yet); UNHEALTHY with the reason when it cannot be read. */
void drill_state_read(const struct config *cfg, struct drill_status *out);

/* Records r as the last drill, keeping the last success of the file when r
 * failed. 0, or -1 with the reason in err. */
int drill_state_record(const struct config *cfg, struct drill_result *r, char *err, size_t errlen);

#endif
