/* rules_upkeep.c - the rules on PostgreSQL upkeep: transaction ID age
 * towards wraparound, the buffer cache hit ratio and tables full of dead
 * tuples (see rule.h). */
#include "diag/rule.h"

#include <stdio.h>

#include "util/text.h"

/* Past this share of the wraparound horizon PostgreSQL is close to refusing
 * writes (it stops 3 million XIDs before it, warns 40 million before). */
#define XID_HIGH_RATIO 0.9

/* Fewer block reads than this between polls say nothing about the cache. */
#define CACHE_MIN_BLOCKS 1000

/* A table with fewer dead tuples than this is not worth a vacuum yet
 * (autovacuum's own base threshold is 50 rows plus a share). */
#define DEAD_MIN_TUPLES 1000

void rule_xid_wraparound(const struct rule_context *ctx)
{
	const struct pg_upkeep_status *u = &ctx->now->pg_upkeep;
	double limit = ctx->cfg->thresholds.xid_age_ratio;
	double ratio = pg_upkeep_xid_ratio(u);
	if (u->check.state != CHECK_OK || ratio < 0 || ratio <= limit)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_XID_WRAPAROUND,
	                                 ratio >= XID_HIGH_RATIO ? SEVERITY_HIGH : SEVERITY_MEDIUM,
	                                 u->xid_database[0] ? u->xid_database : NULL);
	if (!i)
		return;
	char freeze[64] = "";
	if (u->freeze_max_age > 0)
		snprintf(freeze, sizeof(freeze), ", %.1fx autovacuum_freeze_max_age %lld",
		         (double)u->xid_age / (double)u->freeze_max_age,
		         (long long)u->freeze_max_age);
	MESSAGE(i,
	        "Oldest transaction ID age %lld in database %s: %.0f%% of the way to wraparound "
	        "(limit %.0f%%%s)",
	        (long long)u->xid_age, u->xid_database[0] ? u->xid_database : "(unknown)",
	        ratio * 100, limit * 100, freeze);
	RECOMMEND(i, "Autovacuum is not freezing fast enough: run VACUUM (FREEZE, VERBOSE) on "
	             "the oldest tables of that database, and end what holds the horizon back "
	             "(long transactions, prepared transactions, stale replication slots). At "
	             "wraparound PostgreSQL stops taking writes.");
}

void rule_cache_hit(const struct rule_context *ctx)
{
	const struct pg_upkeep_status *u = &ctx->now->pg_upkeep;
	const struct pg_upkeep_status *before = ctx->previous ? &ctx->previous->pg_upkeep : NULL;
	double limit = ctx->cfg->thresholds.cache_hit_ratio;
	/* Only between two polls: the figures since the statistics were reset
	 * count every bulk load and every nightly pg_dump, which read the
	 * tables from disk, so a one-shot check would warn all day after a
	 * backup. */
	if (u->check.state != CHECK_OK || before == NULL || before->check.state != CHECK_OK)
		return;
	int64_t blocks = 0;
	double ratio = pg_upkeep_hit_ratio(u, before, &blocks);
	if (ratio < 0 || ratio >= limit || blocks < CACHE_MIN_BLOCKS)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_CACHE_HIT, SEVERITY_LOW, NULL);
	if (!i)
		return;
	/* Sorts and hashes that spill to disk read it too: say so when the
	 * polls show it. */
	char temp[96] = "";
	int64_t spilled = pg_upkeep_temp_delta(u, before);
	if (spilled > 0) {
		char bytes[32];
		text_format_bytes(bytes, sizeof(bytes), (uint64_t)spilled);
		snprintf(temp, sizeof(temp), "; %s written to temporary files since the last poll",
		         bytes);
	}
	MESSAGE(i, "Buffer cache hit ratio %.1f%% (limit %.0f%%) over %lld block reads%s",
	        ratio * 100, limit * 100, (long long)blocks, temp);
	RECOMMEND(i,
	          "Queries read from disk: look at the slow queries for sequential scans "
	          "that want an index, or give shared_buffers more memory (about a quarter "
	          "of RAM)%s.",
	          temp[0] ? "; raise work_mem for the sorts that spill" : "");
}

void rule_dead_tuples(const struct rule_context *ctx)
{
	const struct pg_upkeep_status *u = &ctx->now->pg_upkeep;
	double limit = ctx->cfg->thresholds.dead_tuple_ratio;
	if (u->check.state != CHECK_OK)
		return;
	const struct pg_table_dead *worst = NULL;
	int over = 0;
	for (int k = 0; k < u->table_count; k++) {
		const struct pg_table_dead *t = &u->tables[k];
		if (t->dead_tuples < DEAD_MIN_TUPLES || t->dead_ratio <= limit)
			continue;
		over++;
		if (!worst || t->dead_tuples > worst->dead_tuples)
			worst = t;
	}
	if (!worst)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_DEAD_TUPLES, SEVERITY_LOW, worst->name);
	if (!i)
		return;
	MESSAGE(i, "Table %s has %lld dead tuples, %.0f%% of its rows (limit %.0f%%)%s",
	        worst->name, (long long)worst->dead_tuples, worst->dead_ratio * 100, limit * 100,
	        over > 1 ? "; more tables are over the limit" : "");
	RECOMMEND(i,
	          "Autovacuum is behind on it: run VACUUM (VERBOSE) %s, end long transactions "
	          "that keep the dead rows visible, and lower its "
	          "autovacuum_vacuum_scale_factor.",
	          worst->name);
}
