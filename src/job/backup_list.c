/* backup_list.c - the list verb: the backups and the unfinished writes at
 * a target (see backup.h), through the catalog (repo/catalog.h). */
#include "job/backup.h"

#include <stdlib.h>

#include "job/audit.h"
#include "job/backup_common.h"
#include "repo/catalog.h"
#include "repo/sink.h"

int backup_list(const struct config *cfg, const char *target, struct backup_entry **entries,
                size_t *count, char *err, size_t errlen)
{
	*entries = NULL;
	*count = 0;
	struct sink *sink = sink_open(backup_target_of(cfg, target), cfg, err, errlen);
	if (!sink)
		return -1;
	int rc = catalog_list(sink, true, entries, count, err, errlen);
	sink_free(sink);
	return rc;
}

void backup_status_probe(const struct config *cfg, const atomic_int *cancel,
                         struct backup_status *out)
{
	char(*keys)[512] = calloc(BACKUP_LEFT_BEHIND_MAX, sizeof(*keys));
	size_t n = keys ? audit_left_behind(cfg->recovery.audit_log, cfg->backup.target, keys,
	                                    BACKUP_LEFT_BEHIND_MAX)
	                : 0;
	backup_probe(cfg, cancel, keys, n, out);
	free(keys);
}

int backup_list_unfinished(const struct config *cfg, const char *target,
                           struct sink_entry **entries, size_t *count, char *err, size_t errlen)
{
	*entries = NULL;
	*count = 0;
	struct sink *sink = sink_open(backup_target_of(cfg, target), cfg, err, errlen);
	if (!sink)
		return -1;
	int rc = catalog_unfinished(sink, entries, count, err, errlen);
	sink_free(sink);
	return rc;
}
