/* rules_pools.c - the rules on connection pools: do the app's Prisma pools
 * fit in the slots PostgreSQL has left for them (see rule.h,
 * model/connections.h). */
#include "diag/rule.h"

#include <stdio.h>
#include <string.h>

#include "util/text.h"

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

/* The admin console was configured but did not answer SHOW POOLS. */
void rule_pgbouncer_down(const struct rule_context *ctx)
{
	const struct pgbouncer_status *g = &ctx->now->pgbouncer;
	if (g->check.state != CHECK_UNHEALTHY)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_PGBOUNCER_DOWN, SEVERITY_HIGH, NULL);
	if (!i)
		return;
	MESSAGE(i, "PgBouncer's admin console is unreachable: %s", g->check.error);
	RECOMMEND(i, "Check that PgBouncer runs and that the user of pgbouncer_admin_url is in "
	             "its admin_users or stats_users; the app connects through it.");
}

/* What holds a pool's server connections, for the recommendations. */
static void pool_recommend(struct issue *i, const struct pgbouncer_pool *p)
{
	RECOMMEND(i,
	          "Find what holds the %d server connection%s (long transactions, idle in "
	          "transaction: see the locks and running queries), or raise default_pool_size "
	          "/ reserve_pool_size in pgbouncer.ini within PostgreSQL's max_connections.",
	          p->sv_active, p->sv_active == 1 ? "" : "s");
}

static bool over_max_wait(const struct rule_context *ctx, const struct pgbouncer_pool *p)
{
	return p->maxwait_us > ctx->cfg->thresholds.pgbouncer_max_wait_ms * 1000;
}

/* Clients of a pool wait for a server connection, none for too long yet:
 * medium, one issue per pool. */
void rule_pgbouncer_waiting(const struct rule_context *ctx)
{
	const struct pgbouncer_status *g = &ctx->now->pgbouncer;
	if (g->check.state != CHECK_OK)
		return;
	for (int k = 0; k < g->pool_count; k++) {
		const struct pgbouncer_pool *p = &g->pools[k];
		if (p->cl_waiting <= 0 || over_max_wait(ctx, p))
			continue;
		char name[2 * PGBOUNCER_NAME_LEN + 2], wait[32];
		pgbouncer_pool_name(p, name, sizeof(name));
		text_format_duration(wait, sizeof(wait), p->maxwait_us / 1000);
		struct issue *i =
		    rule_add_issue(ctx, ISSUE_PGBOUNCER_WAITING, SEVERITY_MEDIUM, name);
		if (!i)
			return;
		MESSAGE(i,
		        "PgBouncer pool %s: %d client%s waiting for a server connection (longest "
		        "%s; %d active, %d server connections busy)",
		        name, p->cl_waiting, p->cl_waiting == 1 ? "" : "s", wait, p->cl_active,
		        p->sv_active);
		pool_recommend(i, p);
	}
}

/* A pool's oldest waiting client has waited longer than [thresholds]
 * pgbouncer_max_wait: high, one issue per pool. */
void rule_pgbouncer_max_wait(const struct rule_context *ctx)
{
	const struct pgbouncer_status *g = &ctx->now->pgbouncer;
	if (g->check.state != CHECK_OK)
		return;
	for (int k = 0; k < g->pool_count; k++) {
		const struct pgbouncer_pool *p = &g->pools[k];
		if (!over_max_wait(ctx, p))
			continue;
		char name[2 * PGBOUNCER_NAME_LEN + 2], wait[32], limit[32];
		pgbouncer_pool_name(p, name, sizeof(name));
		text_format_duration(wait, sizeof(wait), p->maxwait_us / 1000);
		text_format_duration(limit, sizeof(limit),
		                     ctx->cfg->thresholds.pgbouncer_max_wait_ms);
		struct issue *i =
		    rule_add_issue(ctx, ISSUE_PGBOUNCER_MAX_WAIT, SEVERITY_HIGH, name);
		if (!i)
			return;
		MESSAGE(i,
		        "PgBouncer pool %s: a client has waited %s for a server connection (over "
		        "%s; %d waiting, %d server connections busy)",
		        name, wait, limit, p->cl_waiting, p->sv_active);
		pool_recommend(i, p);
	}
}
