/* rules_backup_drill.c - the rules on backup drills (see rule.h): a backup
 * that was never restored is a hope, so a drill that failed is an error
 * and none passing within [backup] drill_max_age a warning. */
#include "diag/rule.h"

#include "util/text.h"

#define DRILL_RECOMMENDATION "opsdeck backup drill"

/* The last drill failed: the backups may not restore. High: the one thing
 * a backup is for may not work. */
void rule_backup_drill_failed(const struct rule_context *ctx)
{
	const struct drill_status *d = &ctx->now->backup_drill;
	if (d->check.state != CHECK_OK || d->last.at_ms <= 0 || d->last.ok)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_BACKUP_DRILL_FAILED, SEVERITY_HIGH, NULL);
	if (!i)
		return;
	char when[32];
	int64_t age = ctx->now->taken_at_ms - d->last.at_ms;
	text_format_duration(when, sizeof(when), age > 0 ? age : 0);
	MESSAGE(i, "The last backup drill, %s ago, failed: %s (backup %s)", when, d->last.why,
	        d->last.key);
	RECOMMEND(i,
	          "Find out why (opsdeck audit --since 7d; a mismatch names the table), fix it or "
	          "take a new backup (opsdeck backup db), then run " DRILL_RECOMMENDATION ".");
}

/* No drill passed within [backup] drill_max_age (or the drills cannot be
 * known). Not when the last one failed: rule_backup_drill_failed says more. */
void rule_backup_drill_stale(const struct rule_context *ctx)
{
	const struct drill_status *d = &ctx->now->backup_drill;
	if (d->check.state == CHECK_UNHEALTHY) {
		struct issue *i =
		    rule_add_issue(ctx, ISSUE_BACKUP_DRILL_STALE, SEVERITY_MEDIUM, NULL);
		if (!i)
			return;
		MESSAGE(i, "Backup drills unknown: %s", d->check.error);
		RECOMMEND(i, "Fix or remove the file, then run " DRILL_RECOMMENDATION ".");
		return;
	}
	if (d->check.state != CHECK_OK || (d->last.at_ms > 0 && !d->last.ok))
		return;
	int64_t limit = ctx->cfg->backup.drill_max_age_ms;
	int64_t age = ctx->now->taken_at_ms - d->last.last_success_ms;
	if (d->last.last_success_ms > 0 && age <= limit)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_BACKUP_DRILL_STALE, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	char max[32], when[32];
	text_format_duration(max, sizeof(max), limit);
	text_format_duration(when, sizeof(when), age > 0 ? age : 0);
	if (d->last.last_success_ms <= 0)
		MESSAGE(i, "No backup has been proven by a drill: no drill has passed yet");
	else
		MESSAGE(i,
		        "No backup drill passed in the last %s ([backup] drill_max_age): the last, "
		        "on %s, was %s ago",
		        max, d->last.key, when);
	RECOMMEND(i, "Run " DRILL_RECOMMENDATION " (it restores the newest backup into a scratch "
	             "database and drops it), and schedule it at least weekly.");
}
