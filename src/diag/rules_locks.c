/* rules_locks.c - the rules on blocking chains: one issue per root blocker
 * (the session that holds the others up), and deadlocks counted between
 * polls (see rule.h, model/locks.h). */
#include "diag/rule.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "util/text.h"

/* At most this many root-blocker issues: the rest are in the Locks data. */
#define ROOT_BLOCKER_ISSUES 3

/* Drops `name` from the issue's suggested actions. */
static void issue_drop_action(struct issue *i, const char *name)
{
	int o = 0;
	for (int k = 0; k < i->action_count; k++)
		if (strcmp(i->actions[k], name) != 0)
			memmove(i->actions[o++], i->actions[k], sizeof(i->actions[0]));
	i->action_count = o;
}

static enum issue_severity root_blocker_severity(const struct lock_root *r,
                                                 const struct config_thresholds *t)
{
	if (r->waiters_total >= t->blocker_waiters ||
	    r->oldest_wait_s * 1000 >= (double)t->blocker_wait_ms)
		return SEVERITY_HIGH;
	return SEVERITY_MEDIUM;
}

void rule_root_blocker(const struct rule_context *ctx)
{
	const struct lock_status *l = &ctx->now->locks;
	if (!l->probed || ctx->now->database.check.state != CHECK_OK)
		return;
	for (int k = 0; k < l->root_count && k < ROOT_BLOCKER_ISSUES && k < LOCKS_MAX_ROOTS; k++) {
		const struct lock_root *r = &l->roots[k];
		const struct lock_session *x = &l->sessions[r->session];
		char subject[16];
		snprintf(subject, sizeof(subject), "%d", r->pid);
		struct issue *i =
		    rule_add_issue(ctx, ISSUE_ROOT_BLOCKER,
		                   root_blocker_severity(r, &ctx->cfg->thresholds), subject);
		if (!i)
			return;
		char line[256];
		locks_describe_root(l, r, line, sizeof(line));
		MESSAGE(i, "%s", line);
		if (strcmp(x->state, "active") != 0)
			issue_drop_action(i, ACTION_NAME_CANCEL_QUERY);
		if (x->hidden && !l->role_sees_all)
			RECOMMEND(i,
			          "Its query is hidden from role %s (%s %s shows it). End it with "
			          "terminate-blocker --pid %d if the transaction can be lost.",
			          l->role, LOCKS_HIDDEN_GRANT, l->role, r->pid);
		else if (strcmp(x->state, "active") == 0)
			RECOMMEND(
			    i,
			    "It is running \"%.80s\": cancel-query --pid %d stops that query; "
			    "terminate-blocker ends the session and releases every lock it holds.",
			    x->query, r->pid);
		else
			RECOMMEND(
			    i,
			    "It runs no query (last: \"%.80s\"), so cancelling does nothing: "
			    "terminate-blocker ends it and rolls its transaction back; then find "
			    "why %s leaves transactions open.",
			    x->query, x->application_name[0] ? x->application_name : "the app");
	}
}

void rule_deadlocks(const struct rule_context *ctx)
{
	const struct lock_status *l = &ctx->now->locks;
	const struct lock_status *p = ctx->previous ? &ctx->previous->locks : NULL;
	if (!l->probed || !p || !p->probed || p->deadlocks_total < 0 || l->deadlocks_total < 0 ||
	    l->deadlocks_total <= p->deadlocks_total)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_DEADLOCKS, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	int64_t n = l->deadlocks_total - p->deadlocks_total;
	MESSAGE(i, "%" PRId64 " %s since the previous poll (%" PRId64 " in total)", n,
	        text_plural(n, "deadlock", "deadlocks"), l->deadlocks_total);
	RECOMMEND(i, "PostgreSQL ended one transaction of each; the server log names the "
	             "statements (log_lock_waits = on helps). Take locks in the same order in "
	             "the app.");
}
