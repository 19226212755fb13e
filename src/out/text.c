/* text.c - the snapshot for people reading a terminal or a mail from cron. */
#include "out/out.h"

#include <inttypes.h>
#include <stdio.h>

#include "util/clock.h"
#include "util/text.h"

static const char *state_word(enum check_state state)
{
	switch (state) {
	case CHECK_OK:
		return "OK";
	case CHECK_UNHEALTHY:
		return "UNHEALTHY";
	case CHECK_PENDING:
		return "PENDING";
	case CHECK_NOT_CONFIGURED:
		break;
	}
	return "-";
}

/* "database  OK         1.2 ms  target" and, when there is one, the reason. */
static void check_line(struct strbuf *b, const char *name, const struct check_common *c)
{
	char latency[32] = "";
	if (c->latency_ms >= 0) {
		if (c->latency_ms < 10)
			snprintf(latency, sizeof(latency), "%.1f ms", c->latency_ms);
		else
			text_format_duration(latency, sizeof(latency), (int64_t)c->latency_ms);
	}
	strbuf_printf(b, "%-9s %-10s %9s  %s\n", name, state_word(c->state), latency,
	              c->state == CHECK_NOT_CONFIGURED ? "not configured" : c->target);
	if (c->error[0])
		strbuf_printf(b, "%31s%s\n", "", c->error);
}

static void version_block(struct strbuf *b, const struct version_status *v)
{
	if (v->check.state == CHECK_NOT_CONFIGURED) {
		strbuf_printf(b, "version   not configured\n");
		return;
	}
	if (v->check.state != CHECK_OK) {
		strbuf_printf(b, "version   unknown\n");
		if (v->check.error[0])
			strbuf_printf(b, "          %s\n", v->check.error);
		return;
	}
	strbuf_printf(b, "version   %s  build %s  commit %s  built %s  (from %s)\n", v->version,
	              v->build_number[0] ? v->build_number : "-",
	              v->commit_hash[0] ? v->commit_hash : "-",
	              v->build_date[0] ? v->build_date : "-",
	              v->source == VERSION_SOURCE_URL ? "version_url" : "version_file");
	if (v->url_error[0])
		strbuf_printf(b, "          version_url: %s\n", v->url_error);
}

static void database_detail(struct strbuf *b, const struct pg_status *pg)
{
	if (pg->check.state != CHECK_OK)
		return;
	strbuf_printf(b, "%31sPostgreSQL %s; connections %d of %d (active %d, idle %d, idle in "
	                 "transaction %d, other %d)\n",
	              "", pg->server_version, pg->connections_total, pg->max_connections,
	              pg->connections_active, pg->connections_idle, pg->connections_idle_in_tx,
	              pg->connections_other);
	char idle[32], query[32];
	text_format_duration(idle, sizeof(idle), (int64_t)(pg->longest_idle_in_tx_s * 1000));
	text_format_duration(query, sizeof(query), (int64_t)(pg->longest_query_s * 1000));
	strbuf_printf(b, "%31slongest idle in transaction %s; longest query %s; lock waiters %d\n",
	              "", pg->connections_idle_in_tx ? idle : "-", pg->longest_query_s > 0 ? query : "-",
	              pg->lock_waiters);
}

static void redis_detail(struct strbuf *b, const struct redis_status *r)
{
	if (r->check.state != CHECK_OK)
		return;
	char used[32], max[32] = "no limit";
	text_format_bytes(used, sizeof(used), (uint64_t)r->used_memory);
	if (r->maxmemory > 0)
		text_format_bytes(max, sizeof(max), (uint64_t)r->maxmemory);
	strbuf_printf(b, "%31sRedis %s (%s); memory %s of %s, fragmentation %.2f; clients %" PRId64
	                 "\n",
	              "", r->version[0] ? r->version : "?", r->role[0] ? r->role : "?", used, max,
	              r->fragmentation_ratio, r->connected_clients);
	char hit[32] = "-";
	if (r->hit_rate >= 0)
		snprintf(hit, sizeof(hit), "%.1f%%", r->hit_rate * 100);
	strbuf_printf(b, "%31shit rate %s; evicted keys %" PRId64 "; last bgsave %s\n", "", hit,
	              r->evicted_keys, r->last_bgsave_ok ? "ok" : "FAILED");
}

static void health_detail(struct strbuf *b, const struct http_status *h)
{
	if (h->status_code == 0)
		return;
	strbuf_printf(b, "%31sHTTP %ld%s%s%s\n", "", h->status_code, h->body[0] ? "  " : "", h->body,
	              h->body_truncated ? "..." : "");
}

static void storage_detail(struct strbuf *b, const struct storage_status *st)
{
	for (int i = 0; i < st->path_count; i++) {
		const struct disk_status *d = &st->paths[i];
		if (d->error[0]) {
			strbuf_printf(b, "%31s%s: %s\n", "", d->path, d->error);
			continue;
		}
		char total[32], avail[32];
		text_format_bytes(total, sizeof(total), d->total_bytes);
		text_format_bytes(avail, sizeof(avail), d->avail_bytes);
		strbuf_printf(b, "%31s%-4s %s %.1f%% used of %s (%s available)", "",
		              d->state == CHECK_OK ? "ok" : "FULL", d->path, d->used_percent, total,
		              avail);
		if (d->inodes_used_percent >= 0)
			strbuf_printf(b, "; inodes %.1f%% used", d->inodes_used_percent);
		strbuf_putc(b, '\n');
	}
}

static void duration_ms_text(char *dst, size_t size, double ms)
{
	if (ms < 0)
		snprintf(dst, size, "-");
	else if (ms < 10)
		snprintf(dst, size, "%.1f ms", ms);
	else
		text_format_duration(dst, size, (int64_t)ms);
}

static void performance_block(struct strbuf *b, const struct request_metrics *m)
{
	char window[32];
	text_format_duration(window, sizeof(window), m->window_ms);
	struct check_common c = m->check;
	if (c.state == CHECK_OK)
		snprintf(c.target, sizeof(c.target), "\"%s\" over the last %s", m->table, window);
	check_line(b, "requests", &c);
	if (m->check.state != CHECK_OK)
		return;
	if (m->requests == 0) {
		strbuf_printf(b, "%31sno traffic\n", "");
	} else {
		char avg[32], p95[32], p99[32];
		duration_ms_text(avg, sizeof(avg), m->avg_ms);
		duration_ms_text(p95, sizeof(p95), m->p95_ms);
		duration_ms_text(p99, sizeof(p99), m->p99_ms);
		strbuf_printf(b,
		              "%31s%" PRId64 " requests; errors %.1f%% (%" PRId64
		              "); avg %s, p95 %s, p99 %s\n",
		              "", m->requests, m->error_rate * 100, m->errors, avg, p95, p99);
	}
	if (m->timestamp_index_missing)
		strbuf_printf(b, "%31sno index on \"timestamp\": %s\n", "", m->index_hint);
}

static void slow_queries_block(struct strbuf *b, const struct slow_query_status *sq)
{
	struct check_common c = sq->check;
	if (c.state == CHECK_OK)
		snprintf(c.target, sizeof(c.target), "pg_stat_statements, mean over %" PRId64 " ms",
		         sq->threshold_ms);
	check_line(b, "slow sql", &c);
	if (sq->check.state != CHECK_OK)
		return;
	if (sq->count == 0)
		strbuf_printf(b, "%31snone\n", "");
	for (int i = 0; i < sq->count; i++) {
		const struct slow_query *q = &sq->items[i];
		char mean[32];
		duration_ms_text(mean, sizeof(mean), q->mean_ms);
		strbuf_printf(b, "%31s%8s x %-6" PRId64 " %.100s\n", "", mean, q->calls,
		              q->text_hidden ? "(text hidden: grant pg_read_all_stats)" : q->query);
	}
}

void out_text(const struct snapshot *s, const struct diagnosis *d, struct strbuf *b)
{
	char when[32];
	clock_format_iso8601(when, sizeof(when), s->taken_at_ms);
	enum check_state overall = snapshot_overall(s);
	strbuf_printf(b, "%s\n", s->app_name);
	version_block(b, &s->version);
	strbuf_printf(b, "overall   %s  (polled %s in %" PRId64 " ms)\n\n",
	              overall == CHECK_NOT_CONFIGURED ? "NOT CONFIGURED" : state_word(overall), when,
	              s->duration_ms);

	check_line(b, "database", &s->database.check);
	database_detail(b, &s->database);
	check_line(b, "redis", &s->redis.check);
	redis_detail(b, &s->redis);
	check_line(b, "health", &s->health.check);
	health_detail(b, &s->health);
	char limit[64];
	snprintf(limit, sizeof(limit), "used below %.0f%%", s->storage.max_used_percent);
	struct check_common storage = s->storage.check;
	if (storage.state != CHECK_NOT_CONFIGURED && !storage.target[0])
		text_copy(storage.target, limit, sizeof(storage.target));
	check_line(b, "storage", &storage);
	storage_detail(b, &s->storage);

	strbuf_putc(b, '\n');
	performance_block(b, &s->requests);
	slow_queries_block(b, &s->slow_queries);
	if (s->audit_log.path[0]) {
		strbuf_printf(b, "\n%-9s %-10s %9s  %s\n", "audit log",
		              s->audit_log.problem[0] ? "REFUSING" : "OK", "", s->audit_log.path);
		if (s->audit_log.problem[0])
			strbuf_printf(b, "%31s%s\n", "", s->audit_log.problem);
	}

	if (d) {
		strbuf_printf(b, "\ndiagnosis %s\n", diagnosis_status_name(d->status));
		out_issues_text(d, b);
	}
}
