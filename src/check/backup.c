/* backup.c - the "backup" row: the newest complete backup at [backup]
 * target, for the diagnosis's freshness rule. Listing a target costs
 * requests, so it is probed seldom and rendered by no output. */
#include "check/check.h"
#include "job/backup.h"

static void backup_row_probe(const struct config *cfg, const struct check_probe_context *ctx,
                             struct snapshot *out)
{
	backup_status_probe(cfg, ctx->cancel, &out->backup);
}

const struct check_class check_backup = {
    .key = "backup",
    .title = "Backup",
    .section = "backup",
    .offset = offsetof(struct snapshot, backup),
    .size = sizeof(struct backup_status),
    .has_common = false,
    .group = CHECK_GROUP_RECORD,
    .schedule = CHECK_SELDOM,
    .probe = backup_row_probe,
};
