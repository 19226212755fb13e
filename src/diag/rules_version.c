/* rules_version.c - the rules on what is deployed (see rule.h). */
#include "diag/rule.h"

#include <stdio.h>
#include <string.h>

#include "util/text.h"

/* version_url lists several instances and they do not all serve the same
 * build: a deploy that reached some of them. */
static void rule_version_drift(const struct rule_context *ctx)
{
	const struct version_status *v = &ctx->now->version;
	const struct version_instance *first = NULL;
	char others[512] = "";
	size_t used = 0;
	for (int k = 0; k < v->instance_count; k++) {
		const struct version_instance *inst = &v->instances[k];
		if (!inst->version[0])
			continue;
		if (first == NULL) {
			first = inst;
			continue;
		}
		bool same = strcmp(inst->version, first->version) == 0 &&
		            strcmp(inst->commit_hash, first->commit_hash) == 0;
		if (!same && used < sizeof(others))
			used += (size_t)snprintf(others + used, sizeof(others) - used, "%s%s on %s",
			                         used ? ", " : "", inst->version, inst->url);
	}
	if (first == NULL || !others[0])
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_VERSION_DRIFT, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	MESSAGE(i, "App instances serve different versions: %s on %s, but %s", first->version,
	        first->url, others);
	RECOMMEND(i, "Finish the deploy on every instance (or roll the others back), then check "
	             "that each serves the same build.");
}

void rule_version(const struct rule_context *ctx)
{
	rule_version_drift(ctx);
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
