/* backup.c - the "backup" row: the newest complete backup at [backup]
 * target, for the diagnosis's freshness rule. Listing a target costs
 * requests, so it is probed seldom; of the outputs only Prometheus shows
 * it (its age, for an alert on a stale backup). */
#include "check/check.h"
#include "job/backup.h"

static void backup_row_probe(const struct config *cfg, const struct check_probe_context *ctx,
                             struct snapshot *out)
{
	backup_status_probe(cfg, ctx->cancel, &out->backup);
}

static const struct prom_family F_LISTING_OK = {
    "opsdeck_backup_listing_ok", "gauge",
    "1 when the backups at [backup] target could be listed, 0 when not."};
static const struct prom_family F_LAST_SUCCESS = {
    "opsdeck_backup_last_success_timestamp_seconds", "gauge",
    "When the newest complete database backup was taken (Unix time; 0: none)."};
static const struct prom_family F_UNFINISHED = {
    "opsdeck_backup_unfinished", "gauge",
    "Backup writes begun and never finished (multipart uploads, .partial files)."};

/* Nothing without a target, or when it was not listed in this poll. */
static void backup_row_prometheus(const struct snapshot *s, struct prom *p)
{
	const struct backup_status *b = &s->backup;
	if (!b->listed)
		return;
	prom_sample(p, &F_LISTING_OK, NULL, b->error[0] ? 0 : 1);
	if (b->error[0])
		return;
	prom_sample(p, &F_LAST_SUCCESS, NULL, (double)b->newest_ms / 1000.0);
	prom_sample(p, &F_UNFINISHED, NULL, b->unfinished);
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
    .prometheus = backup_row_prometheus,
};
