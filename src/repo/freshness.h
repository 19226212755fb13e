/* freshness.h - how fresh the backups at [backup] target are, for the
 * backup check: the newest complete database backup (its manifest read and
 * matched) and the unfinished writes, through the catalog
 * (repo/catalog.h). Text in the result is redacted and sanitised.
 */
#ifndef OPSDECK_REPO_FRESHNESS_H
#define OPSDECK_REPO_FRESHNESS_H

#include <stdatomic.h>

#include "config/config.h"

/* Fills out (model/snapshot.h) from a quick listing of [backup] target;
 * leaves it "not listed" when no target is configured. For one-shot
 * commands and the dashboard's occasional look, not every poll. cancel
 * (may be NULL), once set, stops the listing at once. */
struct backup_status;
void backup_probe(const struct config *cfg, const atomic_int *cancel, struct backup_status *out);

#endif
