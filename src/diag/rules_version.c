/* rules_version.c - the rules on what is deployed (see rule.h). */
#include "diag/rule.h"

#include <stdio.h>
#include <string.h>

#include "util/text.h"

void rule_version(const struct rule_context *ctx)
{
	const struct version_status *v = &ctx->now->version;
	if (v->check.state == CHECK_UNHEALTHY) {
		struct issue *i = rule_add_issue(ctx, ISSUE_VERSION_UNKNOWN, SEVERITY_LOW, NULL);
		if (!i)
			return;
		MESSAGE(i, "The deployed version is unknown: %s", v->check.error);
		RECOMMEND(i, "Run opsdeck version-file in the build, and check that the app serves "
		             "/api/version.");
		return;
	}
	if (v->check.state != CHECK_OK || v->source != VERSION_SOURCE_URL || !v->file_version[0])
		return;
	bool version_differs = strcmp(v->version, v->file_version) != 0;
	bool commit_differs = v->commit_hash[0] && v->file_commit_hash[0] &&
	                      strcmp(v->commit_hash, v->file_commit_hash) != 0;
	if (!version_differs && !commit_differs)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_VERSION_MISMATCH, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	MESSAGE(i, "The app serves %s (%s) but version_file says %s (%s): a half-done deploy?",
	        v->version, v->commit_hash[0] ? v->commit_hash : "-", v->file_version,
	        v->file_commit_hash[0] ? v->file_commit_hash : "-");
	RECOMMEND(i, "Finish the deploy or restart the app so it serves the build on disk.");
}
