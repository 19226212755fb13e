/* json.c - the snapshot as a JSON document (schema: doc/status-json.md).
 *
 * Every check has the same frame {state, healthy, latency_ms, target, error,
 * checked_at}; its figures are present only when the check is ok, so a
 * consumer never mistakes a stale zero for a measurement.
 */
#include "out/out.h"

#include <json-c/json.h>

#include "util/clock.h"

#define JSON_SCHEMA_VERSION 1

static json_object *json_string_or_null(const char *s)
{
	return s && s[0] ? json_object_new_string(s) : NULL;
}

static json_object *json_time(int64_t wall_ms)
{
	if (wall_ms <= 0)
		return NULL;
	char buf[32];
	clock_format_iso8601(buf, sizeof(buf), wall_ms);
	return json_object_new_string(buf);
}

static json_object *check_frame(const struct check_common *c)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "state", json_object_new_string(check_state_name(c->state)));
	json_object_object_add(o, "healthy", json_object_new_boolean(c->state == CHECK_OK));
	json_object_object_add(o, "latency_ms",
	                       c->latency_ms >= 0 ? json_object_new_double(c->latency_ms) : NULL);
	json_object_object_add(o, "target", json_string_or_null(c->target));
	json_object_object_add(o, "error", json_string_or_null(c->error));
	json_object_object_add(o, "checked_at", json_time(c->checked_at_ms));
	return o;
}

static void add_int(json_object *o, const char *key, int64_t v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

static json_object *database_json(const struct pg_status *pg)
{
	json_object *o = check_frame(&pg->check);
	if (pg->check.state != CHECK_OK)
		return o;
	json_object_object_add(o, "server_version", json_object_new_string(pg->server_version));
	add_int(o, "server_version_num", pg->server_version_num);
	json_object *conn = json_object_new_object();
	add_int(conn, "total", pg->connections_total);
	add_int(conn, "max", pg->max_connections);
	add_int(conn, "active", pg->connections_active);
	add_int(conn, "idle", pg->connections_idle);
	add_int(conn, "idle_in_transaction", pg->connections_idle_in_tx);
	add_int(conn, "other", pg->connections_other);
	json_object_object_add(o, "connections", conn);
	json_object_object_add(o, "longest_idle_in_transaction_s",
	                       json_object_new_double(pg->longest_idle_in_tx_s));
	json_object_object_add(o, "longest_query_s", json_object_new_double(pg->longest_query_s));
	add_int(o, "lock_waiters", pg->lock_waiters);
	return o;
}

static json_object *redis_json(const struct redis_status *r)
{
	json_object *o = check_frame(&r->check);
	if (r->check.state != CHECK_OK)
		return o;
	json_object_object_add(o, "version", json_string_or_null(r->version));
	json_object_object_add(o, "role", json_string_or_null(r->role));
	add_int(o, "used_memory_bytes", r->used_memory);
	add_int(o, "maxmemory_bytes", r->maxmemory);
	json_object_object_add(o, "fragmentation_ratio",
	                       json_object_new_double(r->fragmentation_ratio));
	add_int(o, "connected_clients", r->connected_clients);
	add_int(o, "evicted_keys", r->evicted_keys);
	add_int(o, "keyspace_hits", r->keyspace_hits);
	add_int(o, "keyspace_misses", r->keyspace_misses);
	json_object_object_add(o, "hit_rate",
	                       r->hit_rate >= 0 ? json_object_new_double(r->hit_rate) : NULL);
	json_object_object_add(o, "last_bgsave_ok", json_object_new_boolean(r->last_bgsave_ok));
	add_int(o, "uptime_s", r->uptime_s);
	return o;
}

static json_object *health_json(const struct http_status *h)
{
	json_object *o = check_frame(&h->check);
	if (h->status_code == 0)
		return o;
	add_int(o, "status_code", h->status_code);
	json_object_object_add(o, "body", json_object_new_string(h->body));
	json_object_object_add(o, "body_truncated", json_object_new_boolean(h->body_truncated));
	return o;
}

static json_object *storage_json(const struct storage_status *st)
{
	json_object *o = check_frame(&st->check);
	json_object_object_add(o, "max_used_percent", json_object_new_double(st->max_used_percent));
	json_object *paths = json_object_new_array();
	for (int i = 0; i < st->path_count; i++) {
		const struct disk_status *d = &st->paths[i];
		json_object *p = json_object_new_object();
		json_object_object_add(p, "path", json_object_new_string(d->path));
		json_object_object_add(p, "state",
		                       json_object_new_string(check_state_name(d->state)));
		json_object_object_add(p, "error", json_string_or_null(d->error));
		if (!d->error[0]) {
			add_int(p, "total_bytes", (int64_t)d->total_bytes);
			add_int(p, "free_bytes", (int64_t)d->free_bytes);
			add_int(p, "available_bytes", (int64_t)d->avail_bytes);
			json_object_object_add(p, "used_percent",
			                       json_object_new_double(d->used_percent));
			add_int(p, "inodes_total", (int64_t)d->inodes_total);
			add_int(p, "inodes_free", (int64_t)d->inodes_free);
			json_object_object_add(p, "inodes_used_percent",
			                       d->inodes_used_percent >= 0
			                           ? json_object_new_double(d->inodes_used_percent)
			                           : NULL);
		}
		json_object_array_add(paths, p);
	}
	json_object_object_add(o, "paths", paths);
	return o;
}

static json_object *version_json(const struct version_status *v)
{
	json_object *o = check_frame(&v->check);
	const char *source = v->source == VERSION_SOURCE_URL    ? "version_url"
	                     : v->source == VERSION_SOURCE_FILE ? "version_file"
	                                                        : NULL;
	json_object_object_add(o, "source", source ? json_object_new_string(source) : NULL);
	json_object_object_add(o, "version", json_object_new_string(v->version));
	json_object_object_add(o, "build_number", json_string_or_null(v->build_number));
	json_object_object_add(o, "commit_hash", json_string_or_null(v->commit_hash));
	json_object_object_add(o, "build_date", json_string_or_null(v->build_date));
	json_object_object_add(o, "url_error", json_string_or_null(v->url_error));
	json_object_object_add(o, "file_error", json_string_or_null(v->file_error));
	return o;
}

/* A figure that may be "none yet" (-1): null in JSON. */
static json_object *json_figure(double v)
{
	return v >= 0 ? json_object_new_double(v) : NULL;
}

static json_object *requests_json(const struct request_metrics *m)
{
	json_object *o = check_frame(&m->check);
	json_object_object_add(o, "table", json_string_or_null(m->table));
	json_object_object_add(o, "window_s", json_object_new_double((double)m->window_ms / 1000));
	if (m->check.state != CHECK_OK)
		return o;
	add_int(o, "requests", m->requests);
	add_int(o, "errors", m->errors);
	json_object_object_add(o, "error_rate", json_figure(m->error_rate));
	json_object_object_add(o, "avg_ms", json_figure(m->avg_ms));
	json_object_object_add(o, "p95_ms", json_figure(m->p95_ms));
	json_object_object_add(o, "p99_ms", json_figure(m->p99_ms));
	json_object_object_add(o, "bucket_width_s",
	                       json_object_new_double((double)m->bucket_width_ms / 1000));
	json_object *buckets = json_object_new_array();
	for (int i = 0; i < m->bucket_count; i++) {
		const struct request_bucket *bk = &m->buckets[i];
		json_object *j = json_object_new_object();
		json_object_object_add(j, "start", json_time(bk->start_ms));
		add_int(j, "requests", bk->requests);
		add_int(j, "errors", bk->errors);
		json_object_object_add(j, "avg_ms", json_figure(bk->avg_ms));
		json_object_array_add(buckets, j);
	}
	json_object_object_add(o, "buckets", buckets);
	json_object_object_add(o, "timestamp_index_missing",
	                       json_object_new_boolean(m->timestamp_index_missing));
	json_object_object_add(o, "index_hint", json_string_or_null(m->index_hint));
	return o;
}

static const char *slow_query_problem_name(enum slow_query_problem p)
{
	switch (p) {
	case SLOW_QUERY_OK:
		return NULL;
	case SLOW_QUERY_NOT_INSTALLED:
		return "not_installed";
	case SLOW_QUERY_NOT_PRELOADED:
		return "not_preloaded";
	case SLOW_QUERY_NO_PRIVILEGE:
		return "no_privilege";
	case SLOW_QUERY_FAILED:
		return "failed";
	}
	return NULL;
}

static json_object *slow_queries_json(const struct slow_query_status *sq)
{
	json_object *o = check_frame(&sq->check);
	json_object_object_add(o, "problem", json_string_or_null(slow_query_problem_name(sq->problem)));
	add_int(o, "threshold_ms", sq->threshold_ms);
	json_object_object_add(o, "mean_column", json_string_or_null(sq->mean_column));
	json_object *queries = json_object_new_array();
	for (int i = 0; i < sq->count; i++) {
		const struct slow_query *q = &sq->items[i];
		json_object *j = json_object_new_object();
		json_object_object_add(j, "query", q->text_hidden ? NULL : json_object_new_string(q->query));
		json_object_object_add(j, "text_hidden", json_object_new_boolean(q->text_hidden));
		add_int(j, "calls", q->calls);
		json_object_object_add(j, "total_ms", json_object_new_double(q->total_ms));
		json_object_object_add(j, "mean_ms", json_object_new_double(q->mean_ms));
		json_object_array_add(queries, j);
	}
	json_object_object_add(o, "queries", queries);
	return o;
}

void out_json(const struct snapshot *s, const struct diagnosis *d, struct strbuf *b)
{
	json_object *root = json_object_new_object();
	add_int(root, "schema_version", JSON_SCHEMA_VERSION);
	json_object_object_add(root, "app", json_object_new_string(s->app_name));
	json_object_object_add(root, "taken_at", json_time(s->taken_at_ms));
	add_int(root, "duration_ms", s->duration_ms);
	json_object_object_add(root, "overall",
	                       json_object_new_string(check_state_name(snapshot_overall(s))));
	json_object_object_add(root, "version", version_json(&s->version));
	json_object *checks = json_object_new_object();
	json_object_object_add(checks, "database", database_json(&s->database));
	json_object_object_add(checks, "redis", redis_json(&s->redis));
	json_object_object_add(checks, "health", health_json(&s->health));
	json_object_object_add(checks, "storage", storage_json(&s->storage));
	json_object_object_add(root, "checks", checks);
	json_object *metrics = json_object_new_object();
	json_object_object_add(metrics, "requests", requests_json(&s->requests));
	json_object_object_add(metrics, "slow_queries", slow_queries_json(&s->slow_queries));
	json_object_object_add(root, "metrics", metrics);
	json_object *audit = json_object_new_object();
	json_object_object_add(audit, "path", json_string_or_null(s->audit_log.path));
	json_object_object_add(audit, "problem", json_string_or_null(s->audit_log.problem));
	json_object_object_add(root, "audit_log", audit);
	if (d)
		json_object_object_add(root, "diagnosis", out_diagnosis_json(d));

	strbuf_puts(b, json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
	                                                        JSON_C_TO_STRING_SPACED |
	                                                        JSON_C_TO_STRING_NOSLASHESCAPE));
	strbuf_putc(b, '\n');
	json_object_put(root);
}
