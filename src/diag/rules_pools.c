/* rules_pools.c - the rules on connection pools: do the app's Prisma pools
 * fit in the slots PostgreSQL has left for them (see rule.h,
 * model/connections.h). */
#include "diag/rule.h"

#include <stdio.h>
#include <string.h>

/* [app] instances × connection_limit against the usable slots less the
 * connections that are not the app's. High when even one instance's pool
 * does not fit, else medium. Not with pgbouncer=true: then the limit is of
 * the connections to PgBouncer, which pools them itself. */
void rule_pool_fit(const struct rule_context *ctx)
{
	const struct pg_connections *c = &ctx->now->connections;
	if (c->check.state != CHECK_OK || c->pgbouncer)
		return;
	struct pool_fit fit;
	pool_fit_compute(c, &fit);
	if (fit.fits)
		return;
	enum issue_severity severity = fit.limit > fit.available ? SEVERITY_HIGH : SEVERITY_MEDIUM;
	struct issue *i = rule_add_issue(ctx, ISSUE_POOL_FIT, severity, NULL);
	if (!i)
		return;
	int others = c->total - c->app_connections;
	MESSAGE(i,
	        "%d %s × connection_limit %d%s = %ld > %d available (%d usable, %d held by "
	        "others)",
	        c->instances, c->instances == 1 ? "instance" : "instances", fit.limit,
	        fit.defaulted ? " (Prisma's default: physical CPUs × 2 + 1)" : "", fit.need,
	        fit.available, c->usable, others > 0 ? others : 0);
	RECOMMEND(i,
	          "Set connection_limit in DATABASE_URL to at most %d (%d / %d instances), raise "
	          "max_connections, or put PgBouncer in front (pgbouncer=true); otherwise "
	          "requests wait for connections and time out (P2024).",
	          c->instances > 0 ? fit.available / c->instances : fit.available, fit.available,
	          c->instances);
}
