/* replay.c - the time cursor over the history (replay.h). */
#include "ui/replay.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check/check.h"
#include "history/backfill.h"
#include "util/clock.h"
#include "util/text.h"
#include "util/xalloc.h"

/* ------------------------------------------------------ record -> view */

static double figure(const struct history_record *r, const char *name, double otherwise)
{
	double v;
	return history_record_figure(r, name, &v) == 0 ? v : otherwise;
}

static void replay_checks(const struct history_record *rec, struct snapshot *s)
{
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		if (!CHECKS[i]->has_common)
			continue;
		struct check_common *c = (struct check_common *)((char *)s + CHECKS[i]->offset);
		c->state = CHECK_NOT_CONFIGURED;
		for (int k = 0; k < rec->check_count; k++)
			if (strcmp(rec->checks[k].key, CHECKS[i]->key) == 0)
				c->state = rec->checks[k].state;
		char name[HISTORY_NAME_TEXT];
		text_printf(name, sizeof(name), "%s.latency_ms", CHECKS[i]->key);
		c->latency_ms = figure(rec, name, -1);
		c->checked_at_ms = rec->at_ms;
		if (c->state == CHECK_UNHEALTHY)
			text_copy(c->error, "unhealthy (see Issues)", sizeof(c->error));
		else if (c->state == CHECK_NOT_CONFIGURED)
			text_copy(c->error, "not recorded", sizeof(c->error));
	}
}

static void replay_figures(const struct history_record *rec, struct snapshot *s)
{
	struct pg_status *pg = &s->database;
	pg->max_connections = (int)figure(rec, "database.max_connections", 0);
	pg->connections_total = (int)figure(rec, "database.connections_total", 0);
	pg->connections_active = (int)figure(rec, "database.connections_active", 0);
	pg->connections_idle = (int)figure(rec, "database.connections_idle", 0);
	pg->connections_idle_in_tx = (int)figure(rec, "database.connections_idle_in_tx", 0);
	pg->longest_idle_in_tx_s = figure(rec, "database.longest_idle_in_tx_s", 0);
	pg->longest_query_s = figure(rec, "database.longest_query_s", 0);
	pg->lock_waiters = (int)figure(rec, "database.lock_waiters", 0);
	struct redis_status *rs = &s->redis;
	rs->used_memory = (int64_t)figure(rec, "redis.used_memory_bytes", 0);
	rs->maxmemory = (int64_t)figure(rec, "redis.maxmemory_bytes", 0);
	rs->fragmentation_ratio = figure(rec, "redis.fragmentation_ratio", 0);
	rs->connected_clients = (int64_t)figure(rec, "redis.connected_clients", 0);
	rs->evicted_keys = (int64_t)figure(rec, "redis.evicted_keys", 0);
	rs->hit_rate = figure(rec, "redis.hit_rate", -1);
	s->health.status_code = (long)figure(rec, "health.status_code", 0);
	struct request_metrics *m = &s->requests;
	m->requests = (int64_t)figure(rec, "requests.requests", 0);
	/* the window is what requests over per_minute took */
	double per_minute = figure(rec, "requests.per_minute", 0);
	if (per_minute > 0)
		m->window_ms = (int64_t)((double)m->requests / per_minute * 60000 + 0.5);
	m->errors = (int64_t)figure(rec, "requests.errors", 0);
	m->error_rate = figure(rec, "requests.error_rate", -1);
	m->avg_ms = figure(rec, "requests.avg_ms", -1);
	m->p95_ms = figure(rec, "requests.p95_ms", -1);
	m->p99_ms = figure(rec, "requests.p99_ms", -1);
	s->slow_queries.count = (int)figure(rec, "slow_queries.count", 0);
}

/* The storage paths, from their storage.used_percent:PATH figures. */
static void replay_storage(const struct history_record *rec, struct snapshot *s)
{
	static const char prefix[] = "storage.used_percent:";
	struct storage_status *st = &s->storage;
	st->max_used_percent = 100; /* a full disk is an issue of its own, in the record */
	for (int i = 0; i < rec->figure_count && st->path_count < SNAPSHOT_MAX_PATHS; i++) {
		const struct history_figure *f = &rec->figures[i];
		if (strncmp(f->name, prefix, sizeof(prefix) - 1) != 0)
			continue;
		struct disk_status *d = &st->paths[st->path_count++];
		const char *path = f->name + sizeof(prefix) - 1;
		char name[HISTORY_NAME_TEXT];
		text_copy(d->path, path, sizeof(d->path));
		d->state = st->check.state == CHECK_NOT_CONFIGURED ? CHECK_OK : st->check.state;
		d->used_percent = f->value;
		text_printf(name, sizeof(name), "storage.avail_bytes:%s", path);
		d->avail_bytes = (uint64_t)figure(rec, name, 0);
		text_printf(name, sizeof(name), "storage.total_bytes:%s", path);
		d->total_bytes = (uint64_t)figure(rec, name, 0);
		/* an older record has no total: df's used / (used + avail) gives
		 * the part of it that counts */
		if (d->total_bytes == 0 && f->value < 100)
			d->total_bytes = (uint64_t)((double)d->avail_bytes / (1 - f->value / 100));
		d->free_bytes = d->avail_bytes;
		text_printf(name, sizeof(name), "storage.inodes_used_percent:%s", path);
		d->inodes_used_percent = figure(rec, name, -1);
	}
}

static void replay_issues(const struct history_record *rec, struct diagnosis *d)
{
	memset(d, 0, sizeof(*d));
	for (int i = 0; i < rec->issue_count && d->count < ISSUE_MAX; i++) {
		const struct history_issue *hi = &rec->issues[i];
		struct issue *is = &d->issues[d->count++];
		for (int t = 0; t < ISSUE_TYPE_COUNT; t++)
			if (strcmp(ISSUE_TYPES[t].name, hi->type) == 0)
				is->type = (enum issue_type)t;
		text_copy(is->id, hi->id, sizeof(is->id));
		is->severity = hi->severity;
		text_copy(is->message, hi->message, sizeof(is->message));
		if (hi->severity == SEVERITY_HIGH)
			d->status = DIAGNOSIS_ERROR;
		else if (d->status == DIAGNOSIS_OK)
			d->status = DIAGNOSIS_WARNING;
	}
}

void replay_snapshot(const struct history_record *rec, struct snapshot *s, struct diagnosis *d)
{
	snapshot_init(s);
	s->taken_at_ms = rec->at_ms;
	s->duration_ms = rec->duration_ms;
	replay_checks(rec, s);
	replay_figures(rec, s);
	replay_storage(rec, s);
	if (rec->version[0]) {
		s->version.source = VERSION_SOURCE_HISTORY;
		text_copy(s->version.version, rec->version, sizeof(s->version.version));
		text_copy(s->version.commit_hash, rec->commit, sizeof(s->version.commit_hash));
	}
	replay_issues(rec, d);
}

/* ------------------------------------------------------------- cursor */

/* The open issues of a record, as ids, to compare two records by. */
struct issue_set {
	int count;
	char ids[HISTORY_MAX_ISSUES][64];
};

static void issue_set_of(const struct history_record *r, struct issue_set *set)
{
	set->count = r->issue_count;
	for (int i = 0; i < r->issue_count; i++)
		text_copy(set->ids[i], r->issues[i].id, sizeof(set->ids[i]));
}

static bool issue_set_same(const struct issue_set *a, const struct issue_set *b)
{
	if (a->count != b->count)
		return false;
	for (int i = 0; i < a->count; i++) {
		bool found = false;
		for (int k = 0; k < b->count && !found; k++)
			found = strcmp(a->ids[i], b->ids[k]) == 0;
		if (!found)
			return false;
	}
	return true;
}

/* What a scan for a change keeps. */
struct change_scan {
	int64_t current_seq;
	struct issue_set current, previous;
	bool have_previous;
	int64_t run_start, before_run_start; /* seqs; 0: none */
	int64_t next_change;                 /* seq; 0: none */
};

/* `{`: the start of each run of records with the same open issues, up to
 * the current record. */
static int scan_back(const struct history_record *r, void *ctx)
{
	struct change_scan *c = ctx;
	if (r->seq > c->current_seq)
		return 1;
	struct issue_set set;
	issue_set_of(r, &set);
	if (!c->have_previous || !issue_set_same(&set, &c->previous)) {
		c->before_run_start = c->run_start;
		c->run_start = r->seq;
	}
	c->previous = set;
	c->have_previous = true;
	return 0;
}

/* `}`: the first record after the current one whose open issues differ. */
static int scan_forward(const struct history_record *r, void *ctx)
{
	struct change_scan *c = ctx;
	if (r->seq <= c->current_seq)
		return 0;
	struct issue_set set;
	issue_set_of(r, &set);
	if (issue_set_same(&set, &c->current))
		return 0;
	c->next_change = r->seq;
	return 1;
}

/* The record of seq into r->record; 1, or 0/-1 as history_store_step. */
static int replay_load(struct replay *r, int64_t seq)
{
	return history_store_step(r->store, seq + 1, -1, r->record);
}

static void replay_show(struct replay *r, const char *dir, const char *app)
{
	replay_snapshot(r->record, r->snap, r->diag);
	text_copy(r->snap->app_name, app, sizeof(r->snap->app_name));
	history_init(r->graphs);
	(void)history_backfill(r->graphs, dir, r->record->at_ms, HISTORY_BACKFILL_SPAN_MS);
	time_t secs = (time_t)(r->record->at_ms / 1000);
	struct tm tm;
	char when[32] = "?";
	if (gmtime_r(&secs, &tm) != NULL)
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	text_printf(r->banner, sizeof(r->banner), "REPLAY %s UTC", when);
}

static int replay_enter(struct replay *r, const char *dir, char *why, size_t why_size)
{
	char warning[256], err[512];
	if (dir == NULL || dir[0] == '\0' ||
	    history_store_open(&r->store, dir, HISTORY_OPEN_READ, warning, sizeof(warning), err,
	                       sizeof(err)) < 0) {
		text_copy(why,
		          "nothing recorded to look back at: `opsdeck record` keeps the history",
		          why_size);
		return 0;
	}
	r->record = xmalloc(sizeof(*r->record));
	r->snap = xmalloc(sizeof(*r->snap));
	r->diag = xmalloc(sizeof(*r->diag));
	r->graphs = xmalloc(sizeof(*r->graphs));
	int found = history_store_state_at(r->store, clock_wall_ms(), r->record);
	if (found <= 0) {
		text_copy(why, found < 0 ? history_store_error(r->store) : "nothing recorded yet",
		          why_size);
		replay_leave(r);
		return found;
	}
	r->on = true;
	return 1;
}

int replay_move(struct replay *r, const char *dir, const char *app, enum replay_move move,
                char *why, size_t why_size)
{
	why[0] = '\0';
	if (!r->on) {
		if (move == REPLAY_FORWARD || move == REPLAY_NEXT_CHANGE) {
			text_copy(why, "live already: [ looks back", why_size);
			return 0;
		}
		int entered = replay_enter(r, dir, why, why_size);
		if (entered <= 0)
			return entered;
		if (move == REPLAY_BACK) {
			replay_show(r, dir, app);
			return 1;
		}
	}
	int found = 0;
	struct change_scan scan = {.current_seq = r->record->seq};
	issue_set_of(r->record, &scan.current);
	switch (move) {
	case REPLAY_BACK:
		found = history_store_step(r->store, r->record->seq, -1, r->record);
		if (found == 0)
			text_copy(why, "the oldest record", why_size);
		break;
	case REPLAY_FORWARD:
		found = history_store_step(r->store, r->record->seq, +1, r->record);
		if (found == 0) {
			replay_leave(r);
			text_copy(why, "live", why_size);
			return 0;
		}
		break;
	case REPLAY_PREV_CHANGE:
		if (history_store_records(r->store, r->record->at_ms - REPLAY_SCAN_MS,
		                          r->record->at_ms, scan_back, &scan) < 0) {
			found = -1;
			break;
		}
		{
			int64_t target = scan.run_start == scan.current_seq ? scan.before_run_start
			                                                    : scan.run_start;
			found = target > 0 ? replay_load(r, target) : 0;
		}
		if (found == 0)
			text_copy(why, "no earlier change in the last 6 h", why_size);
		break;
	case REPLAY_NEXT_CHANGE:
		if (history_store_records(r->store, r->record->at_ms, clock_wall_ms(), scan_forward,
		                          &scan) < 0) {
			found = -1;
			break;
		}
		found = scan.next_change > 0 ? replay_load(r, scan.next_change) : 0;
		if (found == 0)
			text_copy(why, "no later change", why_size);
		break;
	}
	if (found < 0) {
		text_copy(why, history_store_error(r->store), why_size);
		replay_leave(r);
		return -1;
	}
	if (found > 0)
		replay_show(r, dir, app);
	return found;
}

void replay_leave(struct replay *r)
{
	history_store_close(r->store);
	free(r->record);
	free(r->snap);
	free(r->diag);
	free(r->graphs);
	memset(r, 0, sizeof(*r));
}
