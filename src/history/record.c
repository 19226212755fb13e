/* record.c - one poll as the history keeps it (record.h). */
#include "history/record.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/redact.h"
#include "util/text.h"

void history_record_init(struct history_record *r)
{
	memset(r, 0, sizeof(*r));
}

int history_record_add_figure(struct history_record *r, const char *name, double value)
{
	if (r->figure_count >= HISTORY_MAX_FIGURES || !isfinite(value))
		return -1;
	struct history_figure *f = &r->figures[r->figure_count++];
	text_copy(f->name, name, sizeof(f->name));
	f->value = value;
	return 0;
}

int history_record_add_check(struct history_record *r, const char *key, enum check_state state)
{
	if (r->check_count >= HISTORY_MAX_CHECKS)
		return -1;
	struct history_check *c = &r->checks[r->check_count++];
	text_copy(c->key, key, sizeof(c->key));
	c->state = state;
	return 0;
}

int history_record_add_issue(struct history_record *r, const struct issue *issue)
{
	if (r->issue_count >= HISTORY_MAX_ISSUES)
		return -1;
	struct history_issue *i = &r->issues[r->issue_count++];
	text_copy(i->id, issue->id, sizeof(i->id));
	text_copy(i->type, ISSUE_TYPES[issue->type].name, sizeof(i->type));
	i->severity = issue->severity;
	text_copy(i->message, issue->message, sizeof(i->message));
	redact_text(i->message, sizeof(i->message));
	return 0;
}

int history_record_figure(const struct history_record *r, const char *name, double *value)
{
	for (int i = 0; i < r->figure_count; i++) {
		if (strcmp(r->figures[i].name, name) == 0) {
			*value = r->figures[i].value;
			return 0;
		}
	}
	return -1;
}

static void add_latency(struct history_record *r, const char *check, const struct check_common *c)
{
	char name[HISTORY_NAME_TEXT];
	if (c->state != CHECK_OK || c->latency_ms < 0)
		return;
	text_printf(name, sizeof(name), "%s.latency_ms", check);
	history_record_add_figure(r, name, c->latency_ms);
}

static void add_database(struct history_record *r, const struct snapshot *s)
{
	const struct pg_status *pg = &s->database;
	add_latency(r, "database", &pg->check);
	if (pg->check.state != CHECK_OK)
		return;
	history_record_add_figure(r, "database.max_connections", pg->max_connections);
	history_record_add_figure(r, "database.connections_total", pg->connections_total);
	history_record_add_figure(r, "database.connections_active", pg->connections_active);
	history_record_add_figure(r, "database.connections_idle", pg->connections_idle);
	history_record_add_figure(r, "database.connections_idle_in_tx", pg->connections_idle_in_tx);
	history_record_add_figure(r, "database.longest_idle_in_tx_s", pg->longest_idle_in_tx_s);
	history_record_add_figure(r, "database.longest_query_s", pg->longest_query_s);
	history_record_add_figure(r, "database.lock_waiters", pg->lock_waiters);
	const struct lock_status *l = &s->locks;
	if (l->probed) {
		history_record_add_figure(r, "locks.waiting", l->waiting);
		history_record_add_figure(r, "locks.roots", l->root_count);
		history_record_add_figure(r, "locks.longest_wait_s", l->longest_wait_s);
		if (l->deadlocks_total >= 0)
			history_record_add_figure(r, "locks.deadlocks_total",
			                          (double)l->deadlocks_total);
	}
	const struct pg_upkeep_status *u = &s->pg_upkeep;
	if (u->check.state == CHECK_OK) {
		if (u->replay_lag_s >= 0)
			history_record_add_figure(r, "pg_upkeep.replay_lag_s", u->replay_lag_s);
		history_record_add_figure(r, "pg_upkeep.xid_age", (double)u->xid_age);
		if (u->cache_hit_ratio >= 0)
			history_record_add_figure(r, "pg_upkeep.cache_hit_ratio",
			                          u->cache_hit_ratio);
		history_record_add_figure(r, "pg_upkeep.temp_bytes", (double)u->temp_bytes);
	}
	const struct pgbouncer_status *b = &s->pgbouncer;
	if (b->check.state == CHECK_OK) {
		history_record_add_figure(r, "pgbouncer.cl_active", b->cl_active);
		history_record_add_figure(r, "pgbouncer.cl_waiting", b->cl_waiting);
		history_record_add_figure(r, "pgbouncer.sv_active", b->sv_active);
		history_record_add_figure(r, "pgbouncer.sv_idle", b->sv_idle);
		history_record_add_figure(r, "pgbouncer.maxwait_ms", (double)b->maxwait_us / 1000);
	}
}

static void add_redis(struct history_record *r, const struct snapshot *s)
{
	const struct redis_status *rs = &s->redis;
	add_latency(r, "redis", &rs->check);
	if (rs->check.state != CHECK_OK)
		return;
	history_record_add_figure(r, "redis.used_memory_bytes", (double)rs->used_memory);
	history_record_add_figure(r, "redis.maxmemory_bytes", (double)rs->maxmemory);
	double percent = redis_memory_percent(rs);
	if (percent >= 0)
		history_record_add_figure(r, "redis.memory_percent", percent);
	history_record_add_figure(r, "redis.fragmentation_ratio", rs->fragmentation_ratio);
	history_record_add_figure(r, "redis.connected_clients", (double)rs->connected_clients);
	history_record_add_figure(r, "redis.evicted_keys", (double)rs->evicted_keys);
	if (rs->hit_rate >= 0)
		history_record_add_figure(r, "redis.hit_rate", rs->hit_rate);
	const struct redis_load *load = &s->redis_load;
	if (load->info_read) {
		history_record_add_figure(r, "redis.blocked_clients",
		                          (double)load->blocked_clients);
		history_record_add_figure(r, "redis.rejected_connections",
		                          (double)load->rejected_connections);
		history_record_add_figure(r, "redis.latest_fork_ms",
		                          (double)load->latest_fork_usec / 1000);
	}
}

static void add_requests(struct history_record *r, const struct snapshot *s)
{
	const struct request_metrics *m = &s->requests;
	if (m->check.state != CHECK_OK)
		return;
	history_record_add_figure(r, "requests.per_minute", request_metrics_per_minute(m));
	history_record_add_figure(r, "requests.requests", (double)m->requests);
	history_record_add_figure(r, "requests.errors", (double)m->errors);
	if (m->error_rate >= 0)
		history_record_add_figure(r, "requests.error_rate", m->error_rate);
	if (m->avg_ms >= 0) {
		history_record_add_figure(r, "requests.avg_ms", m->avg_ms);
		history_record_add_figure(r, "requests.p95_ms", m->p95_ms);
		history_record_add_figure(r, "requests.p99_ms", m->p99_ms);
	}
	const struct slow_query_status *sq = &s->slow_queries;
	if (sq->check.state == CHECK_OK)
		history_record_add_figure(r, "slow_queries.count", sq->count);
}

static void add_storage(struct history_record *r, const struct snapshot *s)
{
	add_latency(r, "storage", &s->storage.check);
	char name[HISTORY_NAME_TEXT];
	for (int i = 0; i < s->storage.path_count && i < SNAPSHOT_MAX_PATHS; i++) {
		const struct disk_status *d = &s->storage.paths[i];
		if (d->state != CHECK_OK && d->state != CHECK_UNHEALTHY)
			continue;
		if (d->total_bytes == 0)
			continue;
		text_printf(name, sizeof(name), "storage.used_percent:%s", d->path);
		history_record_add_figure(r, name, d->used_percent);
		text_printf(name, sizeof(name), "storage.avail_bytes:%s", d->path);
		history_record_add_figure(r, name, (double)d->avail_bytes);
		text_printf(name, sizeof(name), "storage.total_bytes:%s", d->path);
		history_record_add_figure(r, name, (double)d->total_bytes);
		if (d->inodes_used_percent >= 0) {
			text_printf(name, sizeof(name), "storage.inodes_used_percent:%s", d->path);
			history_record_add_figure(r, name, d->inodes_used_percent);
		}
	}
}

void history_record_from_snapshot(struct history_record *r, const struct snapshot *s,
                                  const struct diagnosis *d, int64_t monotonic_ms)
{
	history_record_init(r);
	r->at_ms = s->taken_at_ms;
	r->monotonic_ms = monotonic_ms;
	r->duration_ms = s->duration_ms;
	if (s->version.check.state == CHECK_OK) {
		text_copy(r->version, s->version.version, sizeof(r->version));
		text_copy(r->commit, s->version.commit_hash, sizeof(r->commit));
	}
	add_database(r, s);
	add_redis(r, s);
	add_latency(r, "health", &s->health.check);
	if (s->health.status_code > 0)
		history_record_add_figure(r, "health.status_code", (double)s->health.status_code);
	add_latency(r, "version", &s->version.check);
	add_requests(r, s);
	add_storage(r, s);
	for (int i = 0; d && i < d->count; i++)
		history_record_add_issue(r, &d->issues[i]);
}
