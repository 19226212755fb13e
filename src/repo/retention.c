/* retention.c - which backups a retention policy keeps (see retention.h). */
#include "repo/retention.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/text.h"

bool retention_policy_empty(const struct retention_policy *p)
{
	return p->keep_last <= 0 && p->keep_daily <= 0 && p->keep_weekly <= 0 &&
	       p->keep_monthly <= 0;
}

enum bucket_kind { BUCKET_EACH, BUCKET_DAY, BUCKET_WEEK, BUCKET_MONTH };

/* One rule of the policy: how many buckets it keeps, how a time names its
 * bucket (UTC), and what is left of it while walking a series. */
struct rule {
	const char *name;
	enum bucket_kind kind; /* BUCKET_EACH: every backup is a bucket (last) */
	int count;
	int left;
	char last[32];
};

static int order_newest_first(const void *a, const void *b, void *ctx)
{
	const struct retention_item *items = ctx;
	const struct retention_item *x = &items[*(const size_t *)a],
	                            *y = &items[*(const size_t *)b];
	if (x->created_ms != y->created_ms)
		return x->created_ms > y->created_ms ? -1 : 1;
	return strcmp(y->key, x->key);
}

/* The bucket of wall_ms, in UTC: "2026-12-01", "2026-W49" (ISO-8601 week
 * and its year), "2026-12". */
static void bucket_of(char *dst, size_t size, enum bucket_kind kind, int64_t wall_ms)
{
	int64_t secs = wall_ms >= 0 ? wall_ms / 1000 : -((-wall_ms + 999) / 1000);
	time_t t = (time_t)secs;
	struct tm tm;
	size_t n = 0;
	if (gmtime_r(&t, &tm)) {
		if (kind == BUCKET_DAY)
			n = strftime(dst, size, "%Y-%m-%d", &tm);
		else if (kind == BUCKET_WEEK)
			n = strftime(dst, size, "%G-W%V", &tm);
		else
			n = strftime(dst, size, "%Y-%m", &tm);
	}
	if (n == 0)
		text_copy(dst, "?", size);
}

/* Adds one reason to the item's list. */
static void reason_add(struct retention_item *it, const char *why)
{
	size_t len = strlen(it->reason);
	text_printf(it->reason + len, sizeof(it->reason) - len, "%s%s", len ? ", " : "", why);
}

/* Decides the items of one series, order[0..n) newest first. */
static void decide_series(const struct retention_policy *p, int64_t now_ms,
                          struct retention_item *items, const size_t *order, size_t n)
{
	struct rule rules[] = {
	    {"last", BUCKET_EACH, p->keep_last, p->keep_last, ""},
	    {"daily", BUCKET_DAY, p->keep_daily, p->keep_daily, ""},
	    {"weekly", BUCKET_WEEK, p->keep_weekly, p->keep_weekly, ""},
	    {"monthly", BUCKET_MONTH, p->keep_monthly, p->keep_monthly, ""},
	};
	bool newest_seen = false;
	for (size_t i = 0; i < n; i++) {
		struct retention_item *it = &items[order[i]];
		it->reason[0] = '\0';
		it->keep = false;
		if (!it->complete) {
			int64_t last =
			    it->modified_ms > it->created_ms ? it->modified_ms : it->created_ms;
			it->keep = now_ms - last < RETENTION_INCOMPLETE_GRACE_MS;
			text_copy(it->reason,
			          it->keep ? "incomplete, changed within the last hour"
			                   : "incomplete",
			          sizeof(it->reason));
			continue;
		}
		for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
			struct rule *rule = &rules[r];
			if (rule->left <= 0)
				continue;
			char what[64];
			if (rule->kind == BUCKET_EACH) {
				rule->left--;
				text_printf(what, sizeof(what), "last %d", rule->count);
				reason_add(it, what);
				it->keep = true;
				continue;
			}
			char bucket[32];
			bucket_of(bucket, sizeof(bucket), rule->kind, it->created_ms);
			if (strcmp(bucket, rule->last) == 0)
				continue;
			text_copy(rule->last, bucket, sizeof(rule->last));
			rule->left--;
			text_printf(what, sizeof(what), "%s %s", rule->name, bucket);
			reason_add(it, what);
			it->keep = true;
		}
		if (!newest_seen && !it->keep) {
			it->keep = true;
			text_copy(it->reason, "newest complete", sizeof(it->reason));
		}
		newest_seen = true;
		if (!it->keep)
			text_copy(it->reason, "not kept by the policy", sizeof(it->reason));
	}
}

int retention_decide(const struct retention_policy *p, int64_t now_ms, struct retention_item *items,
                     size_t n)
{
	for (size_t i = 0; i < n; i++) {
		items[i].keep = true;
		items[i].reason[0] = '\0';
	}
	if (n == 0)
		return 0;
	size_t *order = malloc(n * sizeof(*order));
	size_t *series = malloc(n * sizeof(*series));
	bool *done = calloc(n, sizeof(*done));
	int rc = -1;
	if (!order || !series || !done)
		goto out;
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof(*order), order_newest_first, items);
	for (size_t i = 0; i < n; i++) {
		if (done[order[i]])
			continue;
		const char *name = items[order[i]].series ? items[order[i]].series : "";
		size_t k = 0;
		for (size_t j = i; j < n; j++) {
			const char *other = items[order[j]].series ? items[order[j]].series : "";
			if (!done[order[j]] && strcmp(name, other) == 0) {
				series[k++] = order[j];
				done[order[j]] = true;
			}
		}
		decide_series(p, now_ms, items, series, k);
	}
	rc = 0;
out:
	free(order);
	free(series);
	free(done);
	return rc;
}
