/* backup_drill.h - `opsdeck backup drill [KEY]`: proves that a database
 * backup restores.
 *
 * The backup (KEY, or the newest complete database backup at the target)
 * is restored by the restore engine (job/restore.h) into a scratch database
 * opsdeck_drill_<time>; the restored database is checked (job/drill_check.h:
 * each table's count(*) against the manifest's rows, the newest Prisma
 * migration, [backup] drill_sql); the scratch database is then dropped
 * whatever happened, also after a cancellation (a signal). The result goes
 * to the state file (job/drill_state.h), and an attempt and an outcome
 * record to the audit log (action "backup-drill"; no attempt record, no
 * drill).
 */
#ifndef OPSDECK_JOB_BACKUP_DRILL_H
#define OPSDECK_JOB_BACKUP_DRILL_H

#include <stdbool.h>

#include "config/config.h"
#include "job/backup.h"
#include "model/drill.h"

#define DRILL_DATABASE_PREFIX "opsdeck_drill_"

struct drill_report {
	struct drill_result result;
	char scratch[64];   /* the scratch database's name */
	char *details;      /* one line per check (sanitised), owned: free it */
	bool refused;       /* nothing ran: configuration, no backup, the audit log */
	bool cancelled;     /* a signal stopped it */
	bool left_behind;   /* the scratch database could not be dropped */
	char message[1024]; /* one line: the summary, or why it failed */
};

/* target: a URL, or NULL for [backup] target; key: NULL for the newest
 * complete database backup. 0 only when the backup restored and every check
 * matched; -1 otherwise, with out->message (and out->refused when nothing
 * ran). Free out with drill_report_free. */
int backup_drill(const struct config *cfg, const char *target, const char *key,
                 const struct backup_hooks *hooks, struct drill_report *out);

void drill_report_free(struct drill_report *r);

/* The scratch database's name for a drill starting at wall_ms:
 * opsdeck_drill_YYYYMMDD_HHMMSS_mmm (UTC), a plain identifier. Pure. */
void drill_scratch_name(char *dst, size_t size, int64_t wall_ms);

#endif
