/* causes.c - links issues that co-occur to their likely cause and orders
 * the diagnosis cause-first (see diagnose.h).
 *
 * A link says that one kind of problem commonly produces another: sessions
 * stuck behind a lock make requests slow, a database that is down makes the
 * app fail. Links are between issue types and only apply when both issues
 * are present in the same diagnosis, so this stays as pure as the rules. When
 * an issue has several likely causes present, the root-most one is named:
 * lock waiters make the responses slow, but when a root blocker is known it
 * is the cause of both.
 */
#include "diag/causes.h"

#include <string.h>

#include "util/text.h"

struct cause_link {
	enum issue_type cause;
	enum issue_type effect;
};

/* Cause, effect. In order of preference when an effect has several causes
 * that are both root-most. */
static const struct cause_link LINKS[] = {
    {ISSUE_ROOT_BLOCKER, ISSUE_LOCK_WAITERS},
    {ISSUE_ROOT_BLOCKER, ISSUE_SLOW_QUERIES},
    {ISSUE_ROOT_BLOCKER, ISSUE_SLOW_RESPONSE},
    {ISSUE_ROOT_BLOCKER, ISSUE_P95_RESPONSE},
    {ISSUE_ROOT_BLOCKER, ISSUE_ERROR_RATE},
    {ISSUE_ROOT_BLOCKER, ISSUE_CONNECTIONS},
    {ISSUE_ROOT_BLOCKER, ISSUE_IDLE_IN_TRANSACTION},
    {ISSUE_ROOT_BLOCKER, ISSUE_PGBOUNCER_WAITING},
    {ISSUE_ROOT_BLOCKER, ISSUE_PGBOUNCER_MAX_WAIT},
    {ISSUE_DATABASE_DOWN, ISSUE_APP_DOWN},
    {ISSUE_DATABASE_DOWN, ISSUE_ERROR_RATE},
    {ISSUE_REDIS_DOWN, ISSUE_APP_DOWN},
    {ISSUE_REDIS_DOWN, ISSUE_ERROR_RATE},
    {ISSUE_REDIS_DOWN, ISSUE_SLOW_RESPONSE},
    {ISSUE_REDIS_DOWN, ISSUE_P95_RESPONSE},
    {ISSUE_LOCK_WAITERS, ISSUE_SLOW_QUERIES},
    {ISSUE_LOCK_WAITERS, ISSUE_SLOW_RESPONSE},
    {ISSUE_LOCK_WAITERS, ISSUE_P95_RESPONSE},
    {ISSUE_LOCK_WAITERS, ISSUE_ERROR_RATE},
    {ISSUE_LOCK_WAITERS, ISSUE_CONNECTIONS},
    {ISSUE_IDLE_IN_TRANSACTION, ISSUE_LOCK_WAITERS},
    {ISSUE_REDIS_MEMORY, ISSUE_REDIS_EVICTIONS},
    /* A fork stalls Redis: the latency spike and the slow responses follow. */
    {ISSUE_REDIS_FORK, ISSUE_REDIS_LATENCY},
    {ISSUE_REDIS_FORK, ISSUE_SLOW_RESPONSE},
    {ISSUE_REDIS_FORK, ISSUE_P95_RESPONSE},
    {ISSUE_REDIS_SLOW_COMMANDS, ISSUE_REDIS_LATENCY},
    {ISSUE_REDIS_SLOW_COMMANDS, ISSUE_SLOW_RESPONSE},
    {ISSUE_REDIS_SLOW_COMMANDS, ISSUE_P95_RESPONSE},
    {ISSUE_REDIS_LATENCY, ISSUE_SLOW_RESPONSE},
    {ISSUE_REDIS_LATENCY, ISSUE_P95_RESPONSE},
    /* Redis refusing writes or clients makes requests fail. */
    {ISSUE_REDIS_NOEVICTION, ISSUE_ERROR_RATE},
    {ISSUE_REDIS_AOF_WRITE, ISSUE_ERROR_RATE},
    {ISSUE_REDIS_REJECTED, ISSUE_ERROR_RATE},
    {ISSUE_SLOW_QUERIES, ISSUE_SLOW_RESPONSE},
    {ISSUE_SLOW_QUERIES, ISSUE_P95_RESPONSE},
    {ISSUE_POOL_FIT, ISSUE_CONNECTIONS},
    {ISSUE_CONNECTIONS, ISSUE_ERROR_RATE},
    {ISSUE_PGBOUNCER_MAX_WAIT, ISSUE_SLOW_RESPONSE},
    {ISSUE_PGBOUNCER_MAX_WAIT, ISSUE_P95_RESPONSE},
    {ISSUE_PGBOUNCER_MAX_WAIT, ISSUE_ERROR_RATE},
    {ISSUE_PGBOUNCER_WAITING, ISSUE_SLOW_RESPONSE},
    {ISSUE_PGBOUNCER_WAITING, ISSUE_P95_RESPONSE},
    {ISSUE_PGBOUNCER_DOWN, ISSUE_APP_DOWN},
    {ISSUE_PGBOUNCER_DOWN, ISSUE_ERROR_RATE},
    {ISSUE_REPLICATION_SLOT, ISSUE_STORAGE_FULL},
    {ISSUE_CACHE_HIT, ISSUE_SLOW_QUERIES},
    /* A deploy just before (model/deploy.h: what a deploy can cause). */
    {ISSUE_AFTER_DEPLOY, ISSUE_APP_DOWN},
    {ISSUE_AFTER_DEPLOY, ISSUE_APP_INSTANCE_DOWN},
    {ISSUE_AFTER_DEPLOY, ISSUE_ERROR_RATE},
    {ISSUE_AFTER_DEPLOY, ISSUE_SLOW_RESPONSE},
    {ISSUE_AFTER_DEPLOY, ISSUE_P95_RESPONSE},
    {ISSUE_AFTER_DEPLOY, ISSUE_SLOW_QUERIES},
};

#define LINK_COUNT (sizeof(LINKS) / sizeof(LINKS[0]))

static bool links(enum issue_type cause, enum issue_type effect)
{
	for (size_t l = 0; l < LINK_COUNT; l++)
		if (LINKS[l].cause == cause && LINKS[l].effect == effect)
			return true;
	return false;
}

/* The index of the first issue present that the links make a cause of
 * issue e, preferring one that has no cause of its own; -1 when none. */
static int direct_cause(const struct diagnosis *d, int e)
{
	int found = -1;
	for (int c = 0; c < d->count; c++) {
		if (c == e || !links(d->issues[c].type, d->issues[e].type))
			continue;
		bool has_own = false;
		for (int o = 0; o < d->count && !has_own; o++)
			has_own = o != c && links(d->issues[o].type, d->issues[c].type);
		if (!has_own)
			return c;
		if (found < 0)
			found = c;
	}
	return found;
}

static void add_related(struct issue *i, const char *id)
{
	for (int r = 0; r < i->related_count; r++)
		if (strcmp(i->related[r], id) == 0)
			return;
	if (i->related_count < ISSUE_MAX_RELATED)
		text_copy(i->related[i->related_count++], id, sizeof(i->related[0]));
}

void diagnose_link_causes(struct diagnosis *d)
{
	int root[ISSUE_MAX] = {0};
	for (int e = 0; e < d->count; e++) {
		/* follow the direct causes up; a cycle ends after count steps */
		int at = e, up;
		for (int steps = 0; steps < d->count && (up = direct_cause(d, at)) >= 0 && up != e;
		     steps++)
			at = up;
		root[e] = at == e ? -1 : at;
	}
	for (int e = 0; e < d->count; e++) {
		if (root[e] < 0)
			continue;
		struct issue *effect = &d->issues[e], *cause = &d->issues[root[e]];
		text_copy(effect->likely_cause, cause->id, sizeof(effect->likely_cause));
		add_related(effect, cause->id);
		add_related(cause, effect->id);
	}

	/* cause-first: a cause takes the place of its first (most severe)
	 * effect, its effects follow it in their order */
	struct diagnosis sorted = *d;
	bool placed[ISSUE_MAX] = {false};
	int n = 0;
	for (int i = 0; i < d->count; i++) {
		int head = root[i] >= 0 ? root[i] : i;
		if (placed[head])
			continue;
		sorted.issues[n++] = d->issues[head];
		placed[head] = true;
		for (int e = 0; e < d->count; e++)
			if (root[e] == head && !placed[e]) {
				sorted.issues[n++] = d->issues[e];
				placed[e] = true;
			}
	}
	for (int i = 0; i < d->count; i++) /* none left, but never lose one */
		if (!placed[i])
			sorted.issues[n++] = d->issues[i];
	*d = sorted;
}
