/* backup_list.c - the list verb: the backups and the unfinished writes at
 * a target (see backup.h), through the catalog (repo/catalog.h). */
#include "job/backup.h"

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
