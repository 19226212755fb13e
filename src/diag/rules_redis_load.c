/* rules_redis_load.c - the rules on Redis under load: slow commands,
 * latency spikes, persistence, rejected and blocked clients, noeviction at
 * the limit and replication (see rule.h and model/redis_load.h). */
#include "diag/rule.h"

#include <stdio.h>
#include <string.h>

#include "util/text.h"

/* The load figures when Redis answered this poll, else NULL. */
static const struct redis_load *load_of(const struct snapshot *s)
{
	return s && s->redis.check.state == CHECK_OK ? &s->redis_load : NULL;
}

static int64_t now_s(const struct rule_context *ctx)
{
	return ctx->now->taken_at_ms / 1000;
}

void rule_redis_noeviction(const struct rule_context *ctx)
{
	const struct redis_status *r = &ctx->now->redis;
	const struct redis_load *l = load_of(ctx->now);
	double limit = ctx->cfg->thresholds.redis_memory_ratio;
	double percent = redis_memory_percent(r);
	if (!l || percent < 0 || percent <= limit * 100 ||
	    strcmp(l->maxmemory_policy, "noeviction") != 0)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_REDIS_NOEVICTION, SEVERITY_HIGH, NULL);
	if (!i)
		return;
	MESSAGE(i,
	        "Redis is at %.0f%% of maxmemory with maxmemory-policy noeviction: writes "
	        "will fail with OOM at the limit",
	        percent);
	RECOMMEND(i, "Raise maxmemory, delete or expire keys (give cache keys a TTL), or, if "
	             "this Redis is only a cache, set maxmemory-policy allkeys-lru so it evicts "
	             "instead of refusing writes.");
}

void rule_redis_aof_write(const struct rule_context *ctx)
{
	const struct redis_load *l = load_of(ctx->now);
	if (!l || !l->aof_enabled || l->aof_last_write_ok)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_REDIS_AOF_WRITE, SEVERITY_HIGH, NULL);
	if (!i)
		return;
	MESSAGE(i,
	        "Redis cannot write its append-only file (%lld %s not saved); it refuses "
	        "writes until it can",
	        (long long)l->rdb_changes_since_last_save,
	        text_plural(l->rdb_changes_since_last_save, "change", "changes"));
	RECOMMEND(i, "Read the Redis log: usually a full disk or a permission problem on its "
	             "dir. Free space; Redis resumes writes once an AOF write succeeds.");
}

void rule_redis_fork(const struct rule_context *ctx)
{
	const struct redis_load *l = load_of(ctx->now);
	int64_t limit_ms = ctx->cfg->thresholds.redis_fork_ms;
	if (!l || l->latest_fork_usec < limit_ms * 1000)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_REDIS_FORK, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	MESSAGE(i,
	        "Redis's latest fork took %lld ms (limit %lld ms): it serves nothing while it "
	        "forks for a save or an AOF rewrite",
	        (long long)(l->latest_fork_usec / 1000), (long long)limit_ms);
	RECOMMEND(i, "Disable transparent huge pages, keep the data set per instance smaller, "
	             "and save less often (the save setting, auto-aof-rewrite-percentage); "
	             "vm.overcommit_memory=1 avoids failed forks.");
}

/* Whether a latency event happened since the previous poll saw it (an
 * event that poll did not see: within REDIS_LOAD_RECENT_S of this one). */
static bool latency_recent(const struct rule_context *ctx, const struct redis_latency_event *e)
{
	const struct redis_load *before = load_of(ctx->previous);
	if (before && before->latency_access == REDIS_ACCESS_OK)
		for (int k = 0; k < before->latency_count; k++)
			if (strcmp(before->latency[k].event, e->event) == 0)
				return e->at_s > before->latency[k].at_s;
	return e->at_s >= now_s(ctx) - REDIS_LOAD_RECENT_S;
}

/* What to do about a latency event, by its name (LATENCY DOCTOR's topics). */
static const char *latency_advice(const char *event)
{
	if (strncmp(event, "fork", 4) == 0)
		return "Forks stall Redis: disable transparent huge pages and save less often.";
	if (strncmp(event, "aof", 3) == 0)
		return "The disk under the AOF is slow: use appendfsync everysec, a faster disk, "
		       "or "
		       "no-appendfsync-on-rewrite yes.";
	if (strstr(event, "command"))
		return "Slow commands block every client: see the slow log (SLOWLOG GET) and "
		       "replace O(N) commands (KEYS, big HGETALL/SMEMBERS, long scripts).";
	if (strncmp(event, "expire", 6) == 0 || strncmp(event, "evict", 5) == 0)
		return "Many keys expire or are evicted at once: spread TTLs and give Redis more "
		       "memory.";
	return "Run LATENCY DOCTOR in redis-cli for an explanation of this event.";
}

void rule_redis_latency(const struct rule_context *ctx)
{
	const struct redis_load *l = load_of(ctx->now);
	int64_t limit_ms = ctx->cfg->thresholds.redis_latency_ms;
	if (!l || l->latency_access != REDIS_ACCESS_OK)
		return;
	const struct redis_latency_event *worst = NULL;
	int count = 0;
	for (int k = 0; k < l->latency_count; k++) {
		const struct redis_latency_event *e = &l->latency[k];
		if (e->latest_ms < limit_ms || !latency_recent(ctx, e))
			continue;
		count++;
		if (!worst || e->latest_ms > worst->latest_ms)
			worst = e;
	}
	if (!worst)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_REDIS_LATENCY, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	MESSAGE(i, "Redis latency spike: %s took %lld ms (worst %lld ms; %d %s over %lld ms)",
	        worst->event, (long long)worst->latest_ms, (long long)worst->max_ms, count,
	        text_plural(count, "event", "events"), (long long)limit_ms);
	RECOMMEND(i, "%s", latency_advice(worst->event));
}

void rule_redis_slow_commands(const struct rule_context *ctx)
{
	const struct redis_load *l = load_of(ctx->now);
	int64_t limit_us = ctx->cfg->thresholds.redis_slow_command_ms * 1000;
	if (!l || l->slowlog_access != REDIS_ACCESS_OK)
		return;
	int64_t total;
	int recent = redis_load_recent_slow(l, load_of(ctx->previous), now_s(ctx), &total);
	const struct redis_slow_entry *worst = NULL;
	int over = 0;
	for (int k = 0; k < recent; k++) {
		if (l->slowlog[k].duration_us < limit_us)
			continue;
		over++;
		if (!worst || l->slowlog[k].duration_us > worst->duration_us)
			worst = &l->slowlog[k];
	}
	if (!worst)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_REDIS_SLOW_COMMANDS, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	char key[REDIS_LOAD_KEY_TEXT + 16] = "";
	if (worst->first_key[0])
		snprintf(key, sizeof(key), " on %s", worst->first_key);
	MESSAGE(i, "Redis ran %d %s over %lld ms %s; slowest: %s%s, %lld ms", over,
	        text_plural(over, "command", "commands"), (long long)(limit_us / 1000),
	        ctx->previous ? "since the last poll" : "in the last 5 minutes", worst->command,
	        key, (long long)(worst->duration_us / 1000));
	RECOMMEND(i, "Redis runs one command at a time, so a slow one delays every client. "
	             "Replace O(N) commands (KEYS with SCAN, HGETALL/SMEMBERS/LRANGE of big "
	             "values, long Lua scripts) or split the values they read.");
}

void rule_redis_rejected(const struct rule_context *ctx)
{
	const struct redis_load *l = load_of(ctx->now);
	const struct redis_load *before = load_of(ctx->previous);
	if (!l || !before || !before->info_read ||
	    l->rejected_connections <= before->rejected_connections)
		return; /* no trend yet, nothing new, or Redis restarted */
	int64_t n = l->rejected_connections - before->rejected_connections;
	struct issue *i = rule_add_issue(ctx, ISSUE_REDIS_REJECTED, SEVERITY_HIGH, NULL);
	if (!i)
		return;
	MESSAGE(i, "Redis rejected %lld %s since the last poll (%lld clients connected)",
	        (long long)n, text_plural(n, "connection", "connections"),
	        (long long)ctx->now->redis.connected_clients);
	RECOMMEND(i, "Redis is at maxclients: find the client that leaks connections (CLIENT "
	             "LIST, grouped by addr/name), or raise maxclients and the open-files limit "
	             "of the Redis service.");
}

void rule_redis_blocked(const struct rule_context *ctx)
{
	const struct redis_load *l = load_of(ctx->now);
	int64_t limit = ctx->cfg->thresholds.redis_blocked_clients;
	if (!l || l->blocked_clients < limit)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_REDIS_BLOCKED, SEVERITY_LOW, NULL);
	if (!i)
		return;
	MESSAGE(i, "%lld Redis clients are blocked (BLPOP, XREAD BLOCK, WAIT...; limit %lld)",
	        (long long)l->blocked_clients, (long long)limit);
	RECOMMEND(i, "Queue workers waiting for jobs block by design; a growing number means "
	             "workers wait on a queue nobody feeds, or WAIT on replicas that do not "
	             "answer. CLIENT LIST shows their last command.");
}

/* On a replica: the link to its master. */
static void replica_side(const struct rule_context *ctx, const struct redis_load *l)
{
	int64_t lag_ms = ctx->cfg->thresholds.redis_replica_lag_ms;
	const char *master = l->master_addr[0] ? l->master_addr : "its master";
	if (!l->master_link_up) {
		struct issue *i =
		    rule_add_issue(ctx, ISSUE_REDIS_REPLICATION, SEVERITY_HIGH, "master_link");
		if (!i)
			return;
		if (l->master_link_down_since_s >= 0) {
			char down[32];
			text_format_duration(down, sizeof(down),
			                     l->master_link_down_since_s * 1000);
			MESSAGE(i,
			        "This Redis replica's link to %s is down (for %s): it serves stale "
			        "data",
			        master, down);
		} else {
			MESSAGE(i, "This Redis replica's link to %s is down: it serves stale data",
			        master);
		}
		RECOMMEND(i, "Check that the master is up and reachable from the replica and that "
		             "masterauth matches its password; the replica's log says why the "
		             "sync fails.");
		return;
	}
	if (l->master_last_io_s >= 0 && l->master_last_io_s * 1000 >= lag_ms) {
		struct issue *i =
		    rule_add_issue(ctx, ISSUE_REDIS_REPLICATION, SEVERITY_MEDIUM, "master_link");
		if (!i)
			return;
		MESSAGE(i, "This Redis replica has heard nothing from %s for %llds", master,
		        (long long)l->master_last_io_s);
		RECOMMEND(i, "The master may be stalled (a long command or fork) or the network "
		             "slow; reads from this replica are behind.");
	}
}

void rule_redis_replication(const struct rule_context *ctx)
{
	const struct redis_load *l = load_of(ctx->now);
	if (!l || !l->info_read)
		return;
	if (strcmp(ctx->now->redis.role, "slave") == 0) {
		replica_side(ctx, l);
		return;
	}
	int64_t lag_ms = ctx->cfg->thresholds.redis_replica_lag_ms;
	int64_t lag_bytes = ctx->cfg->thresholds.redis_replica_lag_bytes;
	for (int k = 0; k < l->replica_count; k++) {
		const struct redis_replica *r = &l->replicas[k];
		int64_t behind = redis_load_replica_behind(l, r);
		bool online = strcmp(r->state, "online") == 0;
		bool late = (r->lag_s >= 0 && r->lag_s * 1000 >= lag_ms) || behind >= lag_bytes;
		if (online && !late)
			continue;
		struct issue *i =
		    rule_add_issue(ctx, ISSUE_REDIS_REPLICATION, SEVERITY_MEDIUM, r->addr);
		if (!i)
			return;
		char bytes[32];
		text_format_bytes(bytes, sizeof(bytes), (uint64_t)behind);
		if (!online)
			MESSAGE(i, "Redis replica %s is %s, not online (%s behind)", r->addr,
			        r->state, bytes);
		else
			MESSAGE(i, "Redis replica %s is %s behind, last ack %llds ago", r->addr,
			        bytes, (long long)r->lag_s);
		RECOMMEND(i, "A replica in sync or far behind serves stale reads and would lose "
		             "writes on failover; check its network and load, and raise "
		             "client-output-buffer-limit replica if full syncs repeat.");
	}
}
