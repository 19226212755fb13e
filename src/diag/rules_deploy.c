/* rules_deploy.c - the rule linking problems to the deploy before them
 * (see rule.h): a problem that a deploy can cause (model/deploy.h) which
 * began within 15 minutes after the deployed version changed is most
 * likely the deploy's doing, and rolling back is the quickest way out. */
#include "diag/rule.h"

#include <stdio.h>

#include "util/clock.h"
#include "util/text.h"

void rule_after_deploy(const struct rule_context *ctx)
{
	const struct deploy_status *d = &ctx->now->deploy;
	int64_t now = ctx->now->taken_at_ms;
	if (d->at_ms <= 0 || d->problem_at_ms == DEPLOY_PROBLEMS_BEFORE || now < d->at_ms)
		return;
	/* the first poll with such a problem, or this one when it is the first */
	int64_t began = d->problem_at_ms > 0 ? d->problem_at_ms : now;
	if (began - d->at_ms > DEPLOY_LINK_WINDOW_MS)
		return;
	char problems[256] = "";
	size_t used = 0;
	for (int k = 0; k < ctx->out->count; k++) {
		const struct issue *p = &ctx->out->issues[k];
		if (!deploy_can_cause(p->type) || used >= sizeof(problems))
			continue;
		char title[96];
		issue_title(p, title, sizeof(title));
		used += (size_t)snprintf(problems + used, sizeof(problems) - used, "%s%s",
		                         used ? ", " : "", title);
	}
	if (!problems[0])
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_AFTER_DEPLOY, SEVERITY_MEDIUM, d->to);
	if (!i)
		return;
	char after[32], at[32];
	text_format_duration(after, sizeof(after), began - d->at_ms);
	clock_format_iso8601(at, sizeof(at), d->at_ms);
	MESSAGE(i, "%s began %s after deploy %s -> %s%s%s%s", problems, after, d->from, d->to,
	        d->commit[0] ? " (commit " : "", d->commit, d->commit[0] ? ")" : "");
	RECOMMEND(i,
	          "If the deploy caused it, roll back to %s; compare the app's log before and "
	          "after %s, and the changes in %s.",
	          d->from, at, d->to);
}
