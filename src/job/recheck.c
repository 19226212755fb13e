/* recheck.c - before → after for the issues an action addresses (see
 * recheck.h). */
#include "job/recheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag/diagnose.h"
#include "util/text.h"
#include "util/xalloc.h"

void recheck_figure(enum issue_type type, const struct snapshot *s, char *dst, size_t size)
{
	char a[32];
	dst[0] = '\0';
	switch (type) {
	case ISSUE_APP_DOWN:
		if (s->health.status_code)
			snprintf(dst, size, "health HTTP %ld", s->health.status_code);
		else
			snprintf(dst, size, "health %s", check_state_name(s->health.check.state));
		break;
	case ISSUE_ERROR_RATE:
		if (s->requests.error_rate >= 0)
			snprintf(dst, size, "error rate %.1f %%", s->requests.error_rate * 100);
		break;
	case ISSUE_SLOW_RESPONSE:
		if (s->requests.avg_ms >= 0)
			snprintf(dst, size, "average response %.0f ms", s->requests.avg_ms);
		break;
	case ISSUE_P95_RESPONSE:
		snprintf(dst, size, "p95 response %.0f ms", s->requests.p95_ms);
		break;
	case ISSUE_DATABASE_DOWN:
		snprintf(dst, size, "database %s", check_state_name(s->database.check.state));
		break;
	case ISSUE_REDIS_DOWN:
		snprintf(dst, size, "redis %s", check_state_name(s->redis.check.state));
		break;
	case ISSUE_REDIS_MEMORY:
		text_format_bytes(a, sizeof(a), (uint64_t)s->redis.used_memory);
		snprintf(dst, size, "redis memory %s", a);
		break;
	case ISSUE_REDIS_EVICTIONS:
		snprintf(dst, size, "evicted keys %lld", (long long)s->redis.evicted_keys);
		break;
	case ISSUE_CONNECTIONS:
		snprintf(dst, size, "connections %d/%d", s->database.connections_total,
		         s->database.max_connections);
		break;
	case ISSUE_IDLE_IN_TRANSACTION:
		text_format_duration(a, sizeof(a),
		                     (int64_t)(s->database.longest_idle_in_tx_s * 1000));
		snprintf(dst, size, "%d idle in transaction (longest %s)",
		         s->database.connections_idle_in_tx, a);
		break;
	case ISSUE_LOCK_WAITERS:
		snprintf(dst, size, "lock waiters %d", s->database.lock_waiters);
		break;
	case ISSUE_ROOT_BLOCKER:
		snprintf(dst, size, "waiting sessions %d", s->locks.waiting);
		break;
	case ISSUE_SLOW_QUERIES:
		snprintf(dst, size, "slow statements %d", s->slow_queries.count);
		break;
	case ISSUE_VERSION_MISMATCH:
		snprintf(dst, size, "version %s", s->version.version);
		break;
	default:
		break;
	}
}

int recheck_relevant(const struct issue *i, const char *action, const char *focus_id)
{
	if (focus_id && focus_id[0] && strcmp(i->id, focus_id) == 0)
		return 1;
	const struct action *a = action_find(action);
	return a && issue_addressed_by(i, a);
}

/* The length of the words two figures start with alike ("error rate "), so
 * the after side reads "7.2 % -> 0.4 %" rather than repeating them. A
 * parenthesis is kept whole: "(longest 8.0 s) -> (longest 9.0 s)". */
static size_t common_words(const char *a, const char *b)
{
	size_t n = 0, words = 0;
	while (a[n] && a[n] == b[n] && a[n] != '(') {
		if (a[n] == ' ')
			words = n + 1;
		n++;
	}
	return words;
}

static const struct issue *find_issue(const struct diagnosis *d, const char *id)
{
	for (int k = 0; k < d->count; k++)
		if (strcmp(d->issues[k].id, id) == 0)
			return &d->issues[k];
	return NULL;
}

int recheck_compare(const char *action, const char *focus_id, const struct snapshot *before,
                    const struct diagnosis *before_issues, const struct snapshot *after,
                    const struct diagnosis *after_issues, struct strbuf *out)
{
	int present = 0, shown = 0;
	for (int k = 0; k < before_issues->count; k++) {
		const struct issue *b = &before_issues->issues[k];
		if (!recheck_relevant(b, action, focus_id))
			continue;
		const struct issue *a = find_issue(after_issues, b->id);
		char fb[96], fa[96];
		recheck_figure(b->type, before, fb, sizeof(fb));
		recheck_figure(b->type, after, fa, sizeof(fa));
		if (fb[0] && strcmp(fb, fa) == 0)
			strbuf_printf(out, "%s: %s, unchanged, %s\n", ISSUE_TYPES[b->type].name, fb,
			              a ? "still present" : "issue cleared");
		else if (fb[0])
			/* ASCII: the dashboard may run in a non-UTF-8 locale */
			strbuf_printf(out, "%s: %s -> %s, %s\n", ISSUE_TYPES[b->type].name, fb,
			              fa + common_words(fb, fa),
			              a ? "still present" : "issue cleared");
		else
			strbuf_printf(out, "%s: %s\n", ISSUE_TYPES[b->type].name,
			              a ? "still present" : "issue cleared");
		if (a) {
			strbuf_printf(out, "  now: %s\n", a->message);
			present++;
		}
		shown++;
	}
	if (shown == 0)
		strbuf_printf(out,
		              "no issue that %s addresses was present before; now %d issue%s\n",
		              action, after_issues->count, after_issues->count == 1 ? "" : "s");
	return present;
}

int recheck_run(const struct config *cfg,
                void (*probe)(const struct config *cfg, struct snapshot *out), const char *action,
                const char *focus_id, const struct snapshot *before,
                const struct diagnosis *before_issues, int attempts, struct strbuf *out)
{
	struct snapshot *after = xmalloc(sizeof(*after));
	struct diagnosis *after_issues = xmalloc(sizeof(*after_issues));
	struct strbuf lines;
	int present = 0;
	strbuf_init(&lines, 0);
	for (int n = 0; n < (attempts > 0 ? attempts : 1); n++) {
		if (n > 0) {
			const struct timespec second = {1, 0};
			nanosleep(&second, NULL);
		}
		probe(cfg, after);
		diagnose(after, NULL, cfg, after_issues);
		strbuf_reset(&lines);
		present = recheck_compare(action, focus_id, before, before_issues, after,
		                          after_issues, &lines);
		if (present == 0)
			break;
	}
	strbuf_puts(out, strbuf_str(&lines));
	strbuf_free(&lines);
	free(after);
	free(after_issues);
	return present;
}
