/* catalog.h - what backups a target holds, read through an open sink
 * (repo/sink.h) and checked against their manifests (repo/manifest.h).
 *
 * A backup is complete only when its manifest exists and what is stored
 * matches it (as pgBackRest's backup.manifest). Used by the list verb
 * (job/backup.h) and the freshness probe (repo/freshness.h). Keys and
 * problems may hold any byte but NUL: sanitise before showing them.
 */
#ifndef OPSDECK_REPO_CATALOG_H
#define OPSDECK_REPO_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "repo/sink.h"

struct backup_entry {
	char *key;           /* the object (db) or the directory (files) */
	char kind[8];        /* "db" or "files" */
	uint64_t size;       /* stored bytes (files: all objects under the directory) */
	int64_t modified_ms; /* wall clock */
	bool complete;       /* its manifest exists and what is stored matches it */
	/* Why a backup with a manifest is not complete after all: the object
	 * is not the size the manifest recorded ("104857600 bytes stored, the
	 * manifest says 318767104": truncated), a file of a files backup is
	 * missing or of another size, the manifest cannot be read. "" else.
	 * May hold names from outside: sanitise before showing it. */
	char problem[256];
};

/* The backups in an open sink, newest first; with check, each one whose
 * manifest exists is checked against it (catalog_check; a manifest that
 * cannot be read makes it incomplete, with why). 0, or -1 with why when
 * the sink cannot be listed. Free with backup_entries_free. */
int catalog_list(struct sink *sink, bool check, struct backup_entry **entries, size_t *count,
                 char *err, size_t errlen);

/* Checks a backup whose manifest exists against it: a db object's listed
 * size must be the manifest's bytes_out (a truncated object is not a
 * backup); a files backup must have every file the manifest names, each of
 * the recorded size (objs: the listing, sorted by key; may be NULL for a db
 * backup). When not, complete becomes false and problem says why. Returns
 * -1 with why in err when the manifest cannot be read (the entry is then
 * left as it was), else 0. */
int catalog_check(struct sink *sink, struct backup_entry *e, const struct sink_entry *objs,
                  size_t n, char *err, size_t errlen);

/* The unfinished writes of an open sink (sink_ops.unfinished), oldest
 * first; none when the driver cannot tell. Free with sink_entries_free. */
int catalog_unfinished(struct sink *sink, struct sink_entry **entries, size_t *count, char *err,
                       size_t errlen);

void backup_entries_free(struct backup_entry *entries, size_t count);

#endif
