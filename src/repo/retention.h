/* retention.h - which backups a retention policy keeps, as pure code (no
 * I/O, the clock given): what `opsdeck backup prune` deletes.
 *
 * The policy is [backup] keep_last, keep_daily, keep_weekly and
 * keep_monthly, with the union semantics of restic's `forget`: a backup
 * kept by any rule is kept. Within one series (the backups of one
 * database, or the files backups), newest first, and only complete ones:
 *   last N     the N newest;
 *   daily N    the newest of each of the last N days that have backups;
 *   weekly N   the same per ISO-8601 week (2026-W53, the week's own year);
 *   monthly N  the same per calendar month;
 * all in UTC. Whatever the policy, the newest complete backup of a series
 * is kept, and so is an incomplete one that changed within the last hour
 * (it may still be uploading). Every other incomplete backup goes.
 */
#ifndef OPSDECK_REPO_RETENTION_H
#define OPSDECK_REPO_RETENTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An incomplete backup that changed more recently than this is kept. */
#define RETENTION_INCOMPLETE_GRACE_MS (3600 * 1000LL)

struct retention_policy {
	int keep_last;
	int keep_daily;
	int keep_weekly;
	int keep_monthly;
};

struct retention_item {
	/* in, borrowed */
	const char *key;
	const char *series;  /* backups of one series are decided together */
	int64_t created_ms;  /* wall clock, when the backup began */
	int64_t modified_ms; /* wall clock, its last write */
	bool complete;
	/* out */
	bool keep;
	/* why it is kept ("last 2, daily 2026-12-01, monthly 2026-12", "newest
	 * complete", "incomplete, changed within the last hour") or goes
	 * ("not kept by the policy", "incomplete") */
	char reason[160];
};

/* Whether the policy keeps nothing at all (every key 0): prune refuses it. */
bool retention_policy_empty(const struct retention_policy *p);

/* Decides keep and reason for every item, any order on entry (the order is
 * kept), as of now_ms. Items of the same series (strcmp) are decided
 * together. 0, or -1 when out of memory (nothing decided: all kept). */
int retention_decide(const struct retention_policy *p, int64_t now_ms, struct retention_item *items,
                     size_t n);

#endif
