/* timeline.c - issues, deploys and gaps from the history (timeline.h). */
#include "history/timeline.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "history/store.h"

#include "util/text.h"
#include "util/xalloc.h"

/* An issue type's figure: its peak is what the report quotes. A name
 * ending in ':' takes the issue's subject (a storage path). */
static const struct {
	const char *type;
	const char *figure;
	bool lowest;
} PEAK_FIGURES[] = {
    {"error_rate", "requests.error_rate", false},
    {"slow_response", "requests.p95_ms", false},
    {"slow_queries", "slow_queries.count", false},
    {"connections", "database.connections_total", false},
    {"idle_in_transaction", "database.longest_idle_in_tx_s", false},
    {"lock_waiters", "locks.waiting", false},
    {"root_blocker", "locks.waiting", false},
    {"redis_memory", "redis.memory_percent", false},
    {"redis_blocked", "redis.blocked_clients", false},
    {"redis_fork", "redis.latest_fork_ms", false},
    {"pgbouncer_waiting", "pgbouncer.cl_waiting", false},
    {"pgbouncer_max_wait", "pgbouncer.maxwait_ms", false},
    {"replication_lag", "pg_upkeep.replay_lag_s", false},
    {"xid_wraparound", "pg_upkeep.xid_age", false},
    {"cache_hit", "pg_upkeep.cache_hit_ratio", true},
    {"storage_full", "storage.used_percent:", false},
};

const char *timeline_peak_figure(const char *type, bool *lowest)
{
	for (size_t i = 0; i < sizeof(PEAK_FIGURES) / sizeof(PEAK_FIGURES[0]); i++)
		if (strcmp(PEAK_FIGURES[i].type, type) == 0) {
			*lowest = PEAK_FIGURES[i].lowest;
			return PEAK_FIGURES[i].figure;
		}
	*lowest = false;
	return NULL;
}

void timeline_init(struct timeline *t)
{
	memset(t, 0, sizeof(*t));
}

void timeline_free(struct timeline *t)
{
	free(t->issues);
	free(t->deploys);
	free(t->gaps);
	free(t->at);
	memset(t, 0, sizeof(*t));
}

/* Room for one more of an array grown by doubling. */
#define GROW(ptr, count, cap)                                                                      \
	do {                                                                                       \
		if ((count) == (cap)) {                                                            \
			(cap) = (cap) ? (cap)*2 : 16;                                              \
			(ptr) = xrealloc((ptr), (cap) * sizeof(*(ptr)));                           \
		}                                                                                  \
	} while (0)

static bool record_has_issue(const struct history_record *r, const char *id)
{
	for (int i = 0; i < r->issue_count; i++)
		if (strcmp(r->issues[i].id, id) == 0)
			return true;
	return false;
}

/* The open span of issue id, or NULL. */
static struct timeline_issue *open_issue(struct timeline *t, const char *id)
{
	for (size_t i = t->issue_count; i-- > 0;)
		if (t->issues[i].ended_ms < 0 && strcmp(t->issues[i].id, id) == 0)
			return &t->issues[i];
	return NULL;
}

static void issue_peak(struct timeline_issue *ti, const struct history_record *r)
{
	bool lowest;
	const char *figure = timeline_peak_figure(ti->type, &lowest);
	if (figure == NULL)
		return;
	char name[HISTORY_NAME_TEXT];
	const char *subject = strchr(ti->id, ':');
	size_t len = strlen(figure);
	if (len > 0 && figure[len - 1] == ':')
		text_printf(name, sizeof(name), "%s%s", figure, subject ? subject + 1 : "");
	else
		text_copy(name, figure, sizeof(name));
	double v;
	if (history_record_figure(r, name, &v) < 0)
		return;
	if (!ti->has_peak || (lowest ? v < ti->peak : v > ti->peak)) {
		ti->peak = v;
		ti->has_peak = true;
		text_copy(ti->peak_figure, name, sizeof(ti->peak_figure));
	}
}

static void timeline_issues(struct timeline *t, const struct history_record *r)
{
	for (size_t i = 0; i < t->issue_count; i++) {
		struct timeline_issue *ti = &t->issues[i];
		if (ti->ended_ms < 0 && !record_has_issue(r, ti->id))
			ti->ended_ms = r->at_ms;
	}
	for (int i = 0; i < r->issue_count; i++) {
		const struct history_issue *hi = &r->issues[i];
		struct timeline_issue *ti = open_issue(t, hi->id);
		if (ti == NULL) {
			GROW(t->issues, t->issue_count, t->issue_cap);
			ti = &t->issues[t->issue_count++];
			memset(ti, 0, sizeof(*ti));
			text_copy(ti->id, hi->id, sizeof(ti->id));
			text_copy(ti->type, hi->type, sizeof(ti->type));
			ti->started_ms = r->at_ms;
			ti->ended_ms = -1;
			ti->open_at_start = t->records == 1;
			ti->deploy = -1;
		}
		if (ti->severity == 0 || hi->severity > ti->severity) {
			ti->severity = hi->severity;
			text_copy(ti->message, hi->message, sizeof(ti->message));
		}
		issue_peak(ti, r);
	}
}

void timeline_add(struct timeline *t, const struct history_record *r)
{
	t->records++;
	if (t->records == 1)
		t->first_ms = r->at_ms;
	t->last_ms = r->at_ms;
	GROW(t->at, t->at_count, t->at_cap);
	t->at[t->at_count++] = r->at_ms;
	if (r->version[0]) {
		if (t->have_version && strcmp(t->version, r->version) != 0) {
			GROW(t->deploys, t->deploy_count, t->deploy_cap);
			struct timeline_deploy *d = &t->deploys[t->deploy_count++];
			d->at_ms = r->at_ms;
			text_copy(d->from, t->version, sizeof(d->from));
			text_copy(d->to, r->version, sizeof(d->to));
			text_copy(d->commit, r->commit, sizeof(d->commit));
		}
		text_copy(t->version, r->version, sizeof(t->version));
		t->have_version = true;
	}
	timeline_issues(t, r);
}

static int compare_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The usual time between two records: the median of the steps forward. */
static int64_t usual_step(const struct timeline *t)
{
	if (t->at_count < 2)
		return 0;
	int64_t *steps = xmalloc((t->at_count - 1) * sizeof(*steps));
	size_t n = 0;
	for (size_t i = 1; i < t->at_count; i++)
		if (t->at[i] > t->at[i - 1])
			steps[n++] = t->at[i] - t->at[i - 1];
	int64_t median = 0;
	if (n > 0) {
		qsort(steps, n, sizeof(*steps), compare_int64);
		median = steps[n / 2];
	}
	free(steps);
	return median;
}

void timeline_finish(struct timeline *t)
{
	int64_t step = usual_step(t);
	int64_t limit = step * 3 > 10000 ? step * 3 : 10000;
	for (size_t i = 1; step > 0 && i < t->at_count; i++)
		if (t->at[i] - t->at[i - 1] > limit) {
			GROW(t->gaps, t->gap_count, t->gap_cap);
			t->gaps[t->gap_count++] =
			    (struct timeline_gap){.from_ms = t->at[i - 1], .until_ms = t->at[i]};
		}
	for (size_t i = 0; i < t->issue_count; i++) {
		struct timeline_issue *ti = &t->issues[i];
		if (ti->open_at_start)
			continue;
		for (size_t d = t->deploy_count; d-- > 0;) {
			int64_t after = ti->started_ms - t->deploys[d].at_ms;
			if (after >= 0 && after <= TIMELINE_DEPLOY_WINDOW_MS) {
				ti->deploy = (int)d;
				break;
			}
		}
	}
}

int timeline_take(const struct history_record *r, void *timeline)
{
	timeline_add(timeline, r);
	return 0;
}

/* Whether an issue of the timeline is of a type a deploy can cause. */
static bool deploy_kind(const struct timeline_issue *ti)
{
	int type = issue_type_from_name(ti->type);
	return type >= 0 && deploy_can_cause((enum issue_type)type);
}

int history_last_deploy(const char *dir, int64_t now_ms, struct deploy_status *out)
{
	memset(out, 0, sizeof(*out));
	char path[4096], warning[256], err[512];
	text_printf(path, sizeof(path), "%s/history.db", dir ? dir : "");
	if (dir == NULL || dir[0] == '\0' || access(path, F_OK) != 0)
		return 0;
	struct history_store *store;
	if (history_store_open(&store, dir, HISTORY_OPEN_READ, warning, sizeof(warning), err,
	                       sizeof(err)) < 0)
		return -1;
	struct timeline t;
	timeline_init(&t);
	int rc = history_store_records(store, now_ms - DEPLOY_LINK_WINDOW_MS, now_ms, timeline_take,
	                               &t) < 0
	             ? -1
	             : 0;
	history_store_close(store);
	if (rc == 0 && t.deploy_count > 0) {
		timeline_finish(&t);
		int last = (int)t.deploy_count - 1;
		const struct timeline_deploy *d = &t.deploys[last];
		out->at_ms = d->at_ms;
		text_copy(out->from, d->from, sizeof(out->from));
		text_copy(out->to, d->to, sizeof(out->to));
		text_copy(out->commit, d->commit, sizeof(out->commit));
		for (size_t i = 0; i < t.issue_count; i++) {
			const struct timeline_issue *ti = &t.issues[i];
			if (!deploy_kind(ti))
				continue;
			if (ti->started_ms < d->at_ms &&
			    (ti->ended_ms < 0 || ti->ended_ms > d->at_ms)) {
				out->problem_at_ms = DEPLOY_PROBLEMS_BEFORE;
				break;
			}
			if (ti->deploy == last &&
			    (out->problem_at_ms == 0 || ti->started_ms < out->problem_at_ms))
				out->problem_at_ms = ti->started_ms;
		}
		rc = 1;
	}
	timeline_free(&t);
	return rc;
}
