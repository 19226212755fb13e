/* freshness.h - how fresh the backups at [backup] target are, for the
 * backup check: the newest complete database backup (its manifest read and
 * matched) and the unfinished writes, through the catalog
 * (repo/catalog.h). Text in the result is redacted and sanitised.
 */
#ifndef OPSDECK_REPO_FRESHNESS_H
#define OPSDECK_REPO_FRESHNESS_H

#include <stdatomic.h>
#include <stddef.h>

#include "config/config.h"

/* Fills out (model/snapshot.h) from a quick listing of [backup] target;
 * leaves it "not listed" when no target is configured. For one-shot
 * commands and the dashboard's occasional look, not every poll. cancel
 * (may be NULL), once set, stops the listing at once. left_behind: the
 * keys (left_count of them, newest first; NULL when none) that backups
 * recorded as left behind by a failed cleanup (job/audit.h
 * audit_left_behind); those still unfinished are counted in
 * out->left_behind. */
struct backup_status;
void backup_probe(const struct config *cfg, const atomic_int *cancel,
                  const char (*left_behind)[512], size_t left_count, struct backup_status *out);

#endif
