/* rules_redis.c - the rules on Redis' memory, evictions and saves (see rule.h). */
#include "diag/rule.h"

#include <stdio.h>
#include <string.h>

#include "util/text.h"

void rule_redis_memory(const struct rule_context *ctx)
{
	const struct redis_status *r = &ctx->now->redis;
	double limit = ctx->cfg->thresholds.redis_memory_ratio;
	double percent = redis_memory_percent(r);
	if (r->check.state != CHECK_OK || percent < 0 || percent <= limit * 100)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_REDIS_MEMORY, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	char used[32], max[32];
	text_format_bytes(used, sizeof(used), (uint64_t)r->used_memory);
	text_format_bytes(max, sizeof(max), (uint64_t)r->maxmemory);
	MESSAGE(i, "Redis uses %s of its %s maxmemory (%.0f%%, limit %.0f%%)", used, max, percent,
	        limit * 100);
	RECOMMEND(i, "Raise maxmemory, give cache keys a TTL, or clear the cache; at the limit "
	             "Redis evicts keys or refuses writes, depending on maxmemory-policy.");
}

void rule_redis_evictions(const struct rule_context *ctx)
{
	const struct redis_status *r = &ctx->now->redis;
	if (r->check.state != CHECK_OK || r->evicted_keys <= 0)
		return;
	const struct redis_status *before = ctx->previous ? &ctx->previous->redis : NULL;
	bool have_trend =
	    before && before->check.state == CHECK_OK && before->evicted_keys <= r->evicted_keys;
	if (have_trend && before->evicted_keys == r->evicted_keys)
		return; /* nothing evicted since the last poll */
	struct issue *i = rule_add_issue(ctx, ISSUE_REDIS_EVICTIONS,
	                                 have_trend ? SEVERITY_MEDIUM : SEVERITY_LOW, NULL);
	if (!i)
		return;
	if (have_trend)
		MESSAGE(i, "Redis is evicting keys: %lld since the last poll (%lld in all)",
		        (long long)(r->evicted_keys - before->evicted_keys),
		        (long long)r->evicted_keys);
	else
		MESSAGE(i, "Redis has evicted %lld %s since it started", (long long)r->evicted_keys,
		        text_plural(r->evicted_keys, "key", "keys"));
	RECOMMEND(i, "The cache is too small for its working set: raise maxmemory or shorten "
	             "TTLs.");
}

void rule_redis_bgsave(const struct rule_context *ctx)
{
	const struct redis_status *r = &ctx->now->redis;
	if (r->check.state != CHECK_OK || r->last_bgsave_ok)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_REDIS_BGSAVE, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	MESSAGE(i, "Redis's last background save failed");
	RECOMMEND(i, "Read the Redis log: usually a full disk or a permission problem on its "
	             "dir; with stop-writes-on-bgsave-error Redis refuses writes until a save "
	             "succeeds.");
}
