/* backup_prune.h - `opsdeck backup prune`: the retention policy
 * (repo/retention.h) applied to a target, and the clean-up of writes left
 * unfinished (DESIGN.md "Backups").
 *
 * backup_prune_plan reads the target and decides, changing nothing: each
 * backup kept or deleted and why, and the unfinished writes (S3 multipart
 * uploads, file:// NAME.partial files) older than 24 h that go. The dry run
 * shows the plan; backup_prune_run carries it out, deleting each backup's
 * manifest BEFORE its object(s), so that a prune cut short never leaves
 * something that looks complete and is not.
 *
 * backup_prune_run refuses in read-only mode and when the audit log cannot
 * take its attempt record, and writes an outcome record with the counts.
 */
#ifndef OPSDECK_JOB_BACKUP_PRUNE_H
#define OPSDECK_JOB_BACKUP_PRUNE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "job/backup.h"
#include "repo/retention.h"
#include "repo/sink.h"

/* An unfinished write older than this is abandoned: prune removes it. */
#define PRUNE_UNFINISHED_MAX_AGE_MS (24 * 3600 * 1000LL)

struct prune_backup {
	char *key; /* owned; the object (db) or the directory (files) */
	char kind[8];
	uint64_t size;
	int64_t created_ms; /* from its name, else when it was last written */
	bool complete;
	char problem[256]; /* a damaged backup: why (catalog.h), else "" */
	bool keep;
	char reason[160]; /* repo/retention.h */
};

struct prune_plan {
	char target[1024]; /* as shown to people */
	struct retention_policy policy;
	struct prune_backup *backups; /* newest first */
	size_t count;
	struct sink_entry *objects; /* the listing, sorted by key */
	size_t object_count;
	struct sink_entry *unfinished; /* oldest first */
	size_t unfinished_count;
	size_t stale_count; /* the first stale_count of unfinished are older than 24 h */
	size_t delete_count;
	uint64_t delete_bytes;
};

/* The policy of cfg, or -1 with why (naming the file) when every key of
 * it is 0 or unset: a prune with no policy is refused. */
int backup_prune_policy(const struct config *cfg, struct retention_policy *p, char *err,
                        size_t errlen);

/* Reads target (NULL: [backup] target) and decides as of now_ms. Nothing
 * changes. 0, or -1 with why (empty policy, target unreadable, a manifest
 * that cannot be read: nothing is decided on a partial view). Free with
 * backup_prune_plan_free, also after a failure. */
int backup_prune_plan(const struct config *cfg, const char *target, int64_t now_ms,
                      struct prune_plan *plan, char *err, size_t errlen);
void backup_prune_plan_free(struct prune_plan *plan);

struct prune_result {
	size_t deleted;         /* backups */
	uint64_t deleted_bytes; /* of them */
	size_t removed;         /* unfinished writes */
	size_t failed;          /* deletions or removals that failed */
	bool refused;           /* nothing ran: read-only mode, no audit record */
	bool cancelled;
	char message[1024]; /* one line: the summary, or why it failed */
};

/* Carries out the plan on target (as planned): each deleted backup's
 * manifest, then its object(s), then the stale unfinished writes; one line
 * per step through hooks->log (may be NULL), cancel between steps. 0 when
 * everything went, -1 otherwise (r->message says why). */
int backup_prune_run(const struct config *cfg, const char *target, const struct prune_plan *plan,
                     const struct backup_hooks *hooks, struct prune_result *r);

/* Records that the operator declined after seeing the plan: an attempt
 * and its outcome "declined", so the audit trail shows who backed off.
 * Nothing is deleted. 0, or -1 with why. */
int backup_prune_declined(const struct config *cfg, const char *target,
                          const struct prune_plan *plan, char *err, size_t errlen);

#endif
