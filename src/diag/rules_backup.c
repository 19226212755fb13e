/* rules_backup.c - the rules on backups (see rule.h). */
#include "diag/rule.h"

#include <stdio.h>
#include <string.h>

#include "util/text.h"

#define BACKUP_MAX_AGE_MS (24 * 3600 * 1000LL)

/* No successful database backup in the last 24 h (or none at all, or the
 * target cannot be listed), when a target is configured and was listed. */
void rule_backup_stale(const struct rule_context *ctx)
{
	const struct backup_status *b = &ctx->now->backup;
	if (!b->listed)
		return;
	if (b->error[0]) {
		struct issue *i = rule_add_issue(ctx, ISSUE_BACKUP_STALE, SEVERITY_MEDIUM, NULL);
		if (!i)
			return;
		MESSAGE(i, "Backup freshness unknown: the backups at %s cannot be listed: %s",
		        b->target, b->error);
		RECOMMEND(i, "Check the target, its credentials (AWS_*) and the endpoint; then run "
		             "opsdeck backup list.");
		return;
	}
	if (b->newest_ms <= 0) {
		struct issue *i = rule_add_issue(ctx, ISSUE_BACKUP_STALE, SEVERITY_MEDIUM, NULL);
		if (!i)
			return;
		MESSAGE(i, "No complete database backup at %s", b->target);
		RECOMMEND(i, "Run opsdeck backup db (or press b), and schedule it (cron, a systemd "
		             "timer) at least daily.");
		return;
	}
	int64_t age = ctx->now->taken_at_ms - b->newest_ms;
	if (age <= BACKUP_MAX_AGE_MS)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_BACKUP_STALE, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	char when[32];
	text_format_duration(when, sizeof(when), age);
	MESSAGE(i, "No successful database backup in the last 24 h: the newest, %s, is %s old",
	        b->newest_key, when);
	RECOMMEND(i, "Run opsdeck backup db now, then find out why the scheduled backup stopped "
	             "(its log, the audit log).");
}

#define UNFINISHED_MAX_AGE_MS (3600 * 1000LL)

/* Writes left unfinished at the target for over an hour (a kill, an S3 or
 * disk failure): S3 keeps charging for the parts of a multipart upload until
 * it is aborted, and .partial files take disk space. Low: no backup is lost. */
void rule_backup_unfinished(const struct rule_context *ctx)
{
	const struct backup_status *b = &ctx->now->backup;
	if (!b->listed || b->unfinished == 0 || b->unfinished_oldest_ms <= 0)
		return;
	int64_t age = ctx->now->taken_at_ms - b->unfinished_oldest_ms;
	/* one a backup's cleanup recorded as left behind is known dead now */
	if (age <= UNFINISHED_MAX_AGE_MS && b->left_behind == 0)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_BACKUP_UNFINISHED, SEVERITY_LOW, NULL);
	if (!i)
		return;
	char when[32];
	text_format_duration(when, sizeof(when), age);
	bool s3 = strncmp(b->target, "s3://", 5) == 0;
	const char *what = s3 ? (b->unfinished == 1 ? "upload" : "uploads")
	                      : (b->unfinished == 1 ? "partial file" : "partial files");
	if (b->left_behind)
		MESSAGE(i,
		        "%u unfinished %s at %s; %s, left behind by a backup whose cleanup "
		        "failed (see opsdeck audit), will never complete",
		        b->unfinished, what, b->target, b->left_behind_key);
	else
		MESSAGE(i, "%u unfinished %s at %s; the oldest, %s, began %s ago", b->unfinished,
		        what, b->target, b->unfinished_oldest_key, when);
	if (s3 && b->left_behind)
		RECOMMEND(i, "Abort it (opsdeck backup list shows the upload id; aws s3api "
		             "abort-multipart-upload) and give the bucket a lifecycle rule "
		             "AbortIncompleteMultipartUpload.");
	else if (s3)
		RECOMMEND(i,
		          "If no backup has been running that long, abort them (opsdeck backup "
		          "list shows the upload ids; aws s3api abort-multipart-upload) and give "
		          "the bucket a lifecycle rule AbortIncompleteMultipartUpload.");
	else
		RECOMMEND(i, "If no backup has been running that long, remove the .partial files "
		             "(opsdeck backup list shows them): they are never a usable backup.");
}
