/* rules_database.c - the rules on PostgreSQL's sessions: connections, idle transactions, locks (see
 * rule.h). */
#include "diag/rule.h"

#include <stdio.h>
#include <string.h>

#include "util/text.h"

/* Slots: the usable ones (max_connections less the reserved) once the
 * connection groups were read, else max_connections. The message names the
 * applications holding the most. */
void rule_connections(const struct rule_context *ctx)
{
	const struct pg_status *pg = &ctx->now->database;
	const struct pg_connections *c = &ctx->now->connections;
	double ratio = ctx->cfg->thresholds.connections_ratio;
	if (pg->check.state != CHECK_OK || pg->max_connections <= 0)
		return;
	bool grouped = c->check.state == CHECK_OK;
	int slots = grouped ? c->usable : pg->max_connections;
	if ((double)pg->connections_total <= ratio * slots)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_CONNECTIONS, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	char top[160] = "";
	const struct conn_groups *apps = &c->by[CONN_BY_APPLICATION];
	for (int a = 0; grouped && a < apps->count && a < 3; a++) {
		size_t len = strlen(top);
		snprintf(top + len, sizeof(top) - len, "%s%s %d", a ? ", " : "; most held by ",
		         apps->items[a].name, apps->items[a].count);
	}
	MESSAGE(i,
	        "%d of %d %sPostgreSQL connections in use (limit %.0f%%): %d active, %d idle, %d "
	        "idle in transaction%s",
	        pg->connections_total, slots, grouped ? "usable " : "", ratio * 100,
	        pg->connections_active, pg->connections_idle, pg->connections_idle_in_tx, top);
	RECOMMEND(i, "Lower the app's pool size (connection_limit) or put PgBouncer in front; "
	             "sessions idle in transaction hold connections for nothing.");
}

void rule_idle_in_transaction(const struct rule_context *ctx)
{
	const struct pg_status *pg = &ctx->now->database;
	int64_t limit = ctx->cfg->thresholds.idle_in_tx_ms;
	if (pg->check.state != CHECK_OK || pg->longest_idle_in_tx_s * 1000 <= (double)limit)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_IDLE_IN_TRANSACTION, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	char age[32], lim[32];
	text_format_duration(age, sizeof(age), (int64_t)(pg->longest_idle_in_tx_s * 1000));
	text_format_duration(lim, sizeof(lim), limit);
	MESSAGE(i, "A session has been idle in transaction for %s (limit %s); %d such %s", age, lim,
	        pg->connections_idle_in_tx,
	        text_plural(pg->connections_idle_in_tx, "session", "sessions"));
	RECOMMEND(i, "It holds locks and blocks vacuum: end it so the app's pool reconnects, "
	             "and set idle_in_transaction_session_timeout.");
}

void rule_lock_waiters(const struct rule_context *ctx)
{
	const struct pg_status *pg = &ctx->now->database;
	int64_t limit = ctx->cfg->thresholds.lock_waiters;
	if (pg->check.state != CHECK_OK || pg->lock_waiters < limit)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_LOCK_WAITERS, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	MESSAGE(i, "%d backend%s waiting on a lock", pg->lock_waiters,
	        pg->lock_waiters == 1 ? " is" : "s are");
	const struct lock_status *l = &ctx->now->locks;
	const struct lock_root *root = locks_top_root(l);
	if (!l->probed)
		RECOMMEND(i,
		          "The blocking chain could not be read (%s); a long transaction or a "
		          "migration is the usual cause.",
		          l->error[0] ? l->error : "no data");
	else if (root && l->sessions[root->session].hidden && !l->role_sees_all)
		RECOMMEND(i,
		          "They wait behind pid %d, whose session is hidden from role %s: %s %s "
		          "shows it; terminate-blocker can end it.",
		          root->pid, l->role, LOCKS_HIDDEN_GRANT, l->role);
	else if (root)
		RECOMMEND(i,
		          "The root blocker is pid %d (issue root_blocker:%d%s): end it with "
		          "terminate-blocker.",
		          root->pid, root->pid, l->root_count > 1 ? ", and others" : "");
	else if (l->cycle_sessions > 0)
		RECOMMEND(i,
		          "%d sessions wait on each other in a cycle: PostgreSQL breaks the "
		          "deadlock by itself after deadlock_timeout.",
		          l->cycle_sessions);
	else if (l->hidden_blockers > 0 && !l->role_sees_all)
		RECOMMEND(i, "Their blocker is hidden from role %s: %s %s shows it.", l->role,
		          LOCKS_HIDDEN_GRANT, l->role);
	else
		RECOMMEND(i, "The blocker has already let go, or waits itself: the next poll shows "
		             "the chain.");
}
