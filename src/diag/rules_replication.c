/* rules_replication.c - the rules on PostgreSQL replication: standby lag,
 * seen from the primary or from the standby itself, and replication slots
 * that keep WAL for nobody (see rule.h). */
#include "diag/rule.h"

#include <stdio.h>

#include "util/text.h"

/* Ten times the limit is no longer "behind" but "not following". */
#define LAG_HIGH_FACTOR 10

static enum issue_severity lag_severity(double lag_ms, int64_t limit_ms)
{
	return lag_ms >= (double)limit_ms * LAG_HIGH_FACTOR ? SEVERITY_HIGH : SEVERITY_MEDIUM;
}

/* The standby itself: replay behind the primary, or paused. */
static void replication_lag_standby(const struct rule_context *ctx,
                                    const struct pg_upkeep_status *u)
{
	int64_t limit = ctx->cfg->thresholds.replication_lag_ms;
	double lag_ms = u->replay_lag_s * 1000;
	if (u->replay_lag_s < 0 || lag_ms <= (double)limit)
		return;
	struct issue *i =
	    rule_add_issue(ctx, ISSUE_REPLICATION_LAG, lag_severity(lag_ms, limit), "standby");
	if (!i)
		return;
	char lag[32], lim[32], pending[32];
	text_format_duration(lag, sizeof(lag), (int64_t)lag_ms);
	text_format_duration(lim, sizeof(lim), limit);
	text_format_bytes(pending, sizeof(pending),
	                  u->replay_pending_bytes > 0 ? (uint64_t)u->replay_pending_bytes : 0);
	MESSAGE(i,
	        "This standby replays %s behind the primary (limit %s), %s received and not "
	        "replayed%s",
	        lag, lim, pending, u->replay_paused ? "; replay is paused" : "");
	if (u->replay_paused)
		RECOMMEND(i, "Replay was paused (pg_wal_replay_pause): resume it with SELECT "
		             "pg_wal_replay_resume() unless someone paused it on purpose; reads "
		             "here are stale until then.");
	else
		RECOMMEND(i, "Reads from this standby are stale: look for long queries here that "
		             "conflict with replay (max_standby_streaming_delay) and for disk or "
		             "CPU saturation; send reads to the primary until it catches up.");
}

void rule_replication_lag(const struct rule_context *ctx)
{
	const struct pg_upkeep_status *u = &ctx->now->pg_upkeep;
	if (u->check.state != CHECK_OK)
		return;
	if (u->in_recovery) {
		replication_lag_standby(ctx, u);
		return;
	}
	int64_t limit = ctx->cfg->thresholds.replication_lag_ms;
	int behind = 0;
	const struct pg_standby *worst = NULL;
	for (int k = 0; k < u->standby_count; k++) {
		const struct pg_standby *s = &u->standbys[k];
		if (s->replay_lag_s * 1000 <= (double)limit)
			continue;
		behind++;
		if (!worst || s->replay_lag_s > worst->replay_lag_s)
			worst = s;
	}
	if (!worst)
		return;
	double lag_ms = worst->replay_lag_s * 1000;
	struct issue *i = rule_add_issue(ctx, ISSUE_REPLICATION_LAG, lag_severity(lag_ms, limit),
	                                 worst->name[0] ? worst->name : "standby");
	if (!i)
		return;
	char lag[32], lim[32], bytes[32];
	text_format_duration(lag, sizeof(lag), (int64_t)lag_ms);
	text_format_duration(lim, sizeof(lim), limit);
	text_format_bytes(bytes, sizeof(bytes),
	                  worst->replay_behind_bytes > 0 ? (uint64_t)worst->replay_behind_bytes
	                                                 : 0);
	MESSAGE(i, "Standby %s%s%s replays %s behind (limit %s, %s of WAL); %d of %d %s behind",
	        worst->name[0] ? worst->name : "(unnamed)", worst->client[0] ? " at " : "",
	        worst->client, lag, lim, bytes, behind, u->standby_total,
	        text_plural(u->standby_total, "standby", "standbys"));
	RECOMMEND(i, "Reads from it are stale and a failover to it would lose or wait for that "
	             "much: check the standby (SELECT pg_is_wal_replay_paused(), its disk and "
	             "CPU) and the network; keep reads on the primary until it catches up.");
}

void rule_replication_slot(const struct rule_context *ctx)
{
	const struct pg_upkeep_status *u = &ctx->now->pg_upkeep;
	int64_t limit = ctx->cfg->thresholds.slot_retained_bytes;
	if (u->check.state != CHECK_OK)
		return;
	for (int k = 0; k < u->slot_count; k++) {
		const struct pg_slot *s = &u->slots[k];
		if (s->active || s->retained_bytes <= limit)
			continue;
		enum issue_severity sev =
		    s->retained_bytes >= limit * LAG_HIGH_FACTOR ? SEVERITY_HIGH : SEVERITY_MEDIUM;
		struct issue *i = rule_add_issue(ctx, ISSUE_REPLICATION_SLOT, sev, s->name);
		if (!i)
			return;
		char kept[32], lim[32];
		text_format_bytes(kept, sizeof(kept), (uint64_t)s->retained_bytes);
		text_format_bytes(lim, sizeof(lim), (uint64_t)limit);
		MESSAGE(i, "Inactive %s replication slot %s retains %s of WAL (limit %s)", s->type,
		        s->name, kept, lim);
		RECOMMEND(i,
		          "The WAL directory grows until the disk fills and the primary stops. "
		          "Bring its consumer back, or if it is gone for good drop it: SELECT "
		          "pg_drop_replication_slot('%s'); set max_slot_wal_keep_size as a cap.",
		          s->name);
	}
}
