/* rules_history.c - the rule on the flight recorder's history (see
 * rule.h): a history that cannot be written is a warning, since the next
 * incident would leave no record behind. */
#include "diag/rule.h"

void rule_history(const struct rule_context *ctx)
{
	const struct history_status *h = &ctx->now->history;
	/* only a history in use: a recorder runs or has written (a host
	 * where nobody records has nothing to lose) */
	if (!h->looked || !h->enabled || !h->problem[0] || (!h->recorder_pid && !h->records))
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_HISTORY_UNWRITABLE, SEVERITY_LOW, NULL);
	if (!i)
		return;
	MESSAGE(i, "The history cannot be written: %s", h->problem);
	RECOMMEND(i,
	          "Free space or fix the permissions of [history] dir (%s); opsdeck record "
	          "keeps polling meanwhile, but nothing is recorded.",
	          h->dir);
}
