/* Unit tests for out/: text, JSON, Prometheus and monitoring-plugins output
 * of a hand-made Snapshot. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "out/out.h"

static void healthy_snapshot(struct snapshot *s)
{
	snapshot_init(s);
	s->taken_at_ms = 1795000000123LL;
	s->duration_ms = 42;
	snprintf(s->app_name, sizeof(s->app_name), "shop");

	struct version_status *v = &s->version;
	v->check.state = CHECK_OK;
	v->source = VERSION_SOURCE_URL;
	snprintf(v->version, sizeof(v->version), "1.4.2");
	snprintf(v->build_number, sizeof(v->build_number), "57");
	snprintf(v->commit_hash, sizeof(v->commit_hash), "a1b2c3d");
	snprintf(v->build_date, sizeof(v->build_date), "2026-11-27T08:00:00.000Z");

	struct pg_status *pg = &s->database;
	pg->check.state = CHECK_OK;
	pg->check.latency_ms = 1.25;
	snprintf(pg->check.target, sizeof(pg->check.target), "postgresql://app:***@db:5432/shop");
	snprintf(pg->server_version, sizeof(pg->server_version), "15.18");
	pg->max_connections = 100;
	pg->connections_total = 7;
	pg->connections_active = 2;
	pg->connections_idle = 4;
	pg->connections_idle_in_tx = 1;
	pg->longest_idle_in_tx_s = 3.5;

	struct redis_status *r = &s->redis;
	r->check.state = CHECK_OK;
	r->check.latency_ms = 0.3;
	snprintf(r->version, sizeof(r->version), "7.0.15");
	snprintf(r->role, sizeof(r->role), "master");
	r->used_memory = 1258291;
	r->maxmemory = 0;
	r->fragmentation_ratio = 3.1;
	r->connected_clients = 2;
	r->keyspace_hits = 87;
	r->keyspace_misses = 13;
	r->hit_rate = 0.87;
	r->last_bgsave_ok = true;

	struct http_status *h = &s->health;
	h->check.state = CHECK_OK;
	h->check.latency_ms = 2.0;
	snprintf(h->check.target, sizeof(h->check.target), "http://127.0.0.1:3000/api/health");
	h->status_code = 200;
	snprintf(h->body, sizeof(h->body), "{\"status\":\"ok\"}");

	struct storage_status *st = &s->storage;
	st->check.state = CHECK_OK;
	st->max_used_percent = 90;
	st->path_count = 2;
	snprintf(st->paths[0].path, sizeof(st->paths[0].path), "/");
	st->paths[0].state = CHECK_OK;
	st->paths[0].total_bytes = 1000000000;
	st->paths[0].avail_bytes = 570000000;
	st->paths[0].free_bytes = 600000000;
	st->paths[0].used_percent = 43.0;
	st->paths[0].inodes_total = 1000;
	st->paths[0].inodes_free = 970;
	st->paths[0].inodes_used_percent = 3.0;
	snprintf(st->paths[1].path, sizeof(st->paths[1].path), "/srv/we\"ird\\path");
	st->paths[1].state = CHECK_OK;
	st->paths[1].total_bytes = 2000;
	st->paths[1].avail_bytes = 1000;
	st->paths[1].used_percent = 50.0;
	st->paths[1].inodes_used_percent = -1;
}

static void test_text_shows_every_check(void **state)
{
	struct snapshot s;
	healthy_snapshot(&s);
	s.redis.check.state = CHECK_NOT_CONFIGURED;
	snprintf(s.redis.check.error, sizeof(s.redis.check.error), "REDIS_URL is not set");
	struct strbuf b;
	strbuf_init(&b, 0);
	out_text(&s, NULL, &b);
	const char *t = strbuf_str(&b);
	assert_non_null(strstr(t, "version   1.4.2  build 57  commit a1b2c3d"));
	assert_non_null(strstr(t, "overall   OK"));
	assert_non_null(strstr(t, "database  OK"));
	assert_non_null(strstr(t, "postgresql://app:***@db:5432/shop"));
	assert_non_null(strstr(t, "connections 7 of 100"));
	assert_non_null(strstr(t, "redis     -"));
	assert_non_null(strstr(t, "not configured"));
	assert_non_null(strstr(t, "REDIS_URL is not set"));
	assert_non_null(strstr(t, "HTTP 200"));
	assert_non_null(strstr(t, "/ 43.0% used"));
	strbuf_free(&b);
}

static void test_json_parses_with_schema_fields(void **state)
{
	struct snapshot s;
	healthy_snapshot(&s);
	s.health.check.state = CHECK_UNHEALTHY;
	s.health.status_code = 0;
	snprintf(s.health.check.error, sizeof(s.health.check.error), "timed out after 3.0 s");
	struct strbuf b;
	strbuf_init(&b, 0);
	out_json(&s, NULL, &b);
	json_object *root = json_tokener_parse(strbuf_str(&b));
	assert_non_null(root);
	json_object *o, *checks, *db, *health;
	assert_true(json_object_object_get_ex(root, "schema_version", &o));
	assert_int_equal(json_object_get_int(o), 6);
	assert_true(json_object_object_get_ex(root, "overall", &o));
	assert_string_equal(json_object_get_string(o), "critical");
	assert_true(json_object_object_get_ex(root, "checks", &checks));
	assert_true(json_object_object_get_ex(checks, "database", &db));
	assert_true(json_object_object_get_ex(db, "healthy", &o));
	assert_true(json_object_get_boolean(o));
	assert_true(json_object_object_get_ex(db, "connections", &o));
	assert_true(json_object_object_get_ex(o, "max", &o));
	assert_int_equal(json_object_get_int(o), 100);
	assert_true(json_object_object_get_ex(checks, "health", &health));
	assert_true(json_object_object_get_ex(health, "healthy", &o));
	assert_false(json_object_get_boolean(o));
	assert_true(json_object_object_get_ex(health, "error", &o));
	assert_string_equal(json_object_get_string(o), "timed out after 3.0 s");
	/* no figures for a check that did not answer */
	assert_false(json_object_object_get_ex(health, "status_code", &o));
	json_object_put(root);
	strbuf_free(&b);
}

static int count(const char *haystack, const char *needle)
{
	int n = 0;
	for (const char *p = haystack; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void test_prometheus_families_and_escaping(void **state)
{
	struct snapshot s;
	healthy_snapshot(&s);
	struct strbuf b;
	strbuf_init(&b, 0);
	out_prometheus(&s, NULL, &b);
	const char *t = strbuf_str(&b);
	assert_int_equal(count(t, "# TYPE opsdeck_storage_used_ratio gauge\n"), 1);
	assert_int_equal(count(t, "# HELP opsdeck_storage_used_ratio "), 1);
	assert_non_null(strstr(t, "opsdeck_storage_used_ratio{path=\"/\"} 0.43\n"));
	assert_non_null(
	    strstr(t, "opsdeck_storage_used_ratio{path=\"/srv/we\\\"ird\\\\path\"} 0.5\n"));
	assert_non_null(strstr(t, "opsdeck_check_up{check=\"database\"} 1\n"));
	assert_non_null(strstr(t, "opsdeck_check_latency_seconds{check=\"database\"} 0.00125\n"));
	assert_non_null(strstr(t, "opsdeck_pg_connections{state=\"idle_in_transaction\"} 1\n"));
	assert_non_null(strstr(t, "# TYPE opsdeck_redis_evicted_keys_total counter\n"));
	assert_non_null(strstr(t, "opsdeck_version_info{version=\"1.4.2\",build_number=\"57\""));
	assert_int_equal(t[b.len - 1], '\n');
	strbuf_free(&b);
}

static void test_prometheus_leaves_out_a_down_check(void **state)
{
	struct snapshot s;
	healthy_snapshot(&s);
	s.redis.check.state = CHECK_UNHEALTHY;
	struct strbuf b;
	strbuf_init(&b, 0);
	out_prometheus(&s, NULL, &b);
	const char *t = strbuf_str(&b);
	assert_non_null(strstr(t, "opsdeck_check_up{check=\"redis\"} 0\n"));
	assert_null(strstr(t, "opsdeck_redis_memory_used_bytes"));
	strbuf_free(&b);
}

/* The backups' families: none unless the target was listed; only whether
 * it could be when the listing failed; the newest backup's time else. */
static void test_prometheus_backup_freshness(void **state)
{
	struct snapshot s;
	healthy_snapshot(&s);
	struct strbuf b;
	strbuf_init(&b, 0);
	out_prometheus(&s, NULL, &b);
	assert_null(strstr(strbuf_str(&b), "opsdeck_backup_listing_ok"));

	s.backup.listed = true;
	snprintf(s.backup.error, sizeof(s.backup.error), "403 Forbidden");
	strbuf_reset(&b);
	out_prometheus(&s, NULL, &b);
	assert_non_null(strstr(strbuf_str(&b), "\nopsdeck_backup_listing_ok 0\n"));
	assert_null(strstr(strbuf_str(&b), "opsdeck_backup_last_success_timestamp_seconds"));

	s.backup.error[0] = '\0';
	s.backup.newest_ms = 1795000000500LL;
	s.backup.unfinished = 2;
	strbuf_reset(&b);
	out_prometheus(&s, NULL, &b);
	const char *t = strbuf_str(&b);
	assert_non_null(strstr(t, "\nopsdeck_backup_listing_ok 1\n"));
	assert_non_null(
	    strstr(t, "\nopsdeck_backup_last_success_timestamp_seconds 1795000000.5\n"));
	assert_non_null(strstr(t, "\nopsdeck_backup_unfinished 2\n"));
	strbuf_free(&b);
}

/* The value of the sample on the line that starts with prefix
 * ("name{labels} "), as strtod reads it; the text itself in text. */
static double sample_value(const char *exposition, const char *prefix, char *text, size_t size)
{
	const char *at = exposition;
	while ((at = strstr(at, prefix)) && at != exposition && at[-1] != '\n')
		at++;
	assert_non_null(at);
	at += strlen(prefix);
	size_t len = strcspn(at, "\n");
	assert_true(len < size);
	memcpy(text, at, len);
	text[len] = '\0';
	char *end = NULL;
	double v = strtod(text, &end);
	assert_true(end == text + len);
	return v;
}

static void test_prometheus_values_keep_their_precision(void **state)
{
	struct snapshot s;
	healthy_snapshot(&s);
	s.taken_at_ms = 1796341312345LL;
	s.duration_ms = 1234567;
	s.storage.paths[0].total_bytes = (1ULL << 54) + 4; /* 18 PB, a double holds it */
	s.redis.used_memory = 123456789012345LL;
	s.redis.fragmentation_ratio = 1.0000001234567;
	s.database.longest_idle_in_tx_s = NAN; /* nothing a backend should send */
	struct strbuf b;
	strbuf_init(&b, 0);
	out_prometheus(&s, NULL, &b);
	const char *t = strbuf_str(&b);
	char text[64];

	double ts = sample_value(t, "opsdeck_snapshot_timestamp_seconds ", text, sizeof(text));
	assert_true(llround(ts * 1000) == 1796341312345LL); /* to the millisecond */
	assert_string_equal(text, "1796341312.345");
	double took = sample_value(t, "opsdeck_snapshot_duration_seconds ", text, sizeof(text));
	assert_true(llround(took * 1000) == 1234567);
	double size =
	    sample_value(t, "opsdeck_storage_size_bytes{path=\"/\"} ", text, sizeof(text));
	assert_true(size == (double)((1ULL << 54) + 4));
	double used = sample_value(t, "opsdeck_redis_memory_used_bytes ", text, sizeof(text));
	assert_string_equal(text, "123456789012345");
	assert_true(used == 123456789012345.0);
	double frag =
	    sample_value(t, "opsdeck_redis_memory_fragmentation_ratio ", text, sizeof(text));
	assert_true(frag == 1.0000001234567);
	sample_value(t, "opsdeck_pg_idle_in_transaction_longest_seconds ", text, sizeof(text));
	assert_string_equal(text, "NaN");
	strbuf_free(&b);
}

static void test_nagios_states(void **state)
{
	struct snapshot s;
	struct strbuf b;
	strbuf_init(&b, 0);

	healthy_snapshot(&s);
	assert_int_equal(out_nagios(&s, NULL, &b), PLUGIN_OK);
	assert_int_equal(strncmp(strbuf_str(&b), "OPSDECK OK - ", 13), 0);
	assert_non_null(strstr(strbuf_str(&b), " | "));
	assert_non_null(strstr(strbuf_str(&b), "db_connections=7;;;0;100"));
	assert_non_null(strstr(strbuf_str(&b), "'storage_/'=43.0%;;90;0;100"));

	strbuf_reset(&b);
	s.version.check.state = CHECK_UNHEALTHY;
	assert_int_equal(out_nagios(&s, NULL, &b), PLUGIN_WARNING);

	strbuf_reset(&b);
	s.redis.check.state = CHECK_UNHEALTHY;
	snprintf(s.redis.check.error, sizeof(s.redis.check.error), "refused | really");
	assert_int_equal(out_nagios(&s, NULL, &b), PLUGIN_CRITICAL);
	const char *t = strbuf_str(&b);
	assert_non_null(strstr(t, "OPSDECK CRITICAL - redis unhealthy: refused / really"));
	/* exactly one '|': the perfdata separator */
	assert_int_equal(count(t, "|"), 1);

	strbuf_reset(&b);
	s.database.check.state = s.redis.check.state = CHECK_NOT_CONFIGURED;
	s.health.check.state = s.storage.check.state = CHECK_NOT_CONFIGURED;
	assert_int_equal(out_nagios(&s, NULL, &b), PLUGIN_UNKNOWN);
	strbuf_free(&b);
}

static void with_metrics(struct snapshot *s, struct diagnosis *d)
{
	healthy_snapshot(s);
	struct request_metrics *m = &s->requests;
	m->check.state = CHECK_OK;
	snprintf(m->table, sizeof(m->table), "RequestLog");
	m->window_ms = 3600000;
	m->requests = 1000;
	m->errors = 72;
	m->error_rate = 0.072;
	m->avg_ms = 150;
	m->p95_ms = 420;
	m->p99_ms = 950;
	m->bucket_width_ms = 60000;
	m->bucket_count = 2;
	m->buckets[0].requests = 600;
	m->buckets[1].requests = 400;
	m->buckets[1].avg_ms = -1;
	s->slow_queries.check.state = CHECK_OK;
	s->slow_queries.threshold_ms = 1000;
	s->slow_queries.count = 1;
	snprintf(s->slow_queries.items[0].query, sizeof(s->slow_queries.items[0].query),
	         "SELECT pg_sleep($1)");
	s->slow_queries.items[0].mean_ms = 1202;
	s->slow_queries.items[0].calls = 3;

	memset(d, 0, sizeof(*d));
	d->status = DIAGNOSIS_ERROR;
	d->count = 1;
	d->issues[0].type = ISSUE_ERROR_RATE;
	d->issues[0].severity = SEVERITY_HIGH;
	snprintf(d->issues[0].id, sizeof(d->issues[0].id), "error_rate");
	snprintf(d->issues[0].message, sizeof(d->issues[0].message), "Error rate 7.2%% | high");
	snprintf(d->issues[0].recommendation, sizeof(d->issues[0].recommendation), "Look.");
	d->issues[0].action_count = 1;
	snprintf(d->issues[0].actions[0], sizeof(d->issues[0].actions[0]), "restart-app");
}

static void test_metrics_and_diagnosis_in_every_format(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	with_metrics(&s, &d);
	struct strbuf b;
	strbuf_init(&b, 0);

	out_text(&s, &d, &b);
	assert_non_null(strstr(strbuf_str(&b), "1000 requests; errors 7.2% (72)"));
	assert_non_null(strstr(strbuf_str(&b), "SELECT pg_sleep($1)"));
	assert_non_null(strstr(strbuf_str(&b), "diagnosis error"));
	assert_non_null(strstr(strbuf_str(&b), "opsdeck recover restart-app"));

	strbuf_reset(&b);
	out_json(&s, &d, &b);
	json_object *root = json_tokener_parse(strbuf_str(&b)), *o, *m, *r;
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "metrics", &m));
	assert_true(json_object_object_get_ex(m, "requests", &r));
	assert_true(json_object_object_get_ex(r, "p99_ms", &o));
	assert_true(json_object_get_double(o) > 949);
	assert_true(json_object_object_get_ex(r, "buckets", &o));
	assert_int_equal(json_object_array_length(o), 2);
	assert_true(json_object_object_get_ex(root, "diagnosis", &o));
	assert_true(json_object_object_get_ex(o, "status", &o));
	assert_string_equal(json_object_get_string(o), "error");
	json_object_put(root);

	strbuf_reset(&b);
	out_prometheus(&s, &d, &b);
	assert_non_null(strstr(strbuf_str(&b), "opsdeck_request_error_ratio 0.072\n"));
	assert_non_null(
	    strstr(strbuf_str(&b), "opsdeck_request_duration_seconds{stat=\"p95\"} 0.42\n"));
	assert_non_null(strstr(strbuf_str(&b), "opsdeck_issues{severity=\"high\"} 1\n"));

	strbuf_reset(&b);
	assert_int_equal(out_nagios(&s, &d, &b), PLUGIN_CRITICAL);
	assert_non_null(strstr(strbuf_str(&b), "; high: Error rate 7.2% / high"));
	assert_int_equal(count(strbuf_str(&b), "|"), 1);
	strbuf_free(&b);
}

/* Every check ok, one medium issue: every output says WARNING, none OK. */
static void test_every_output_shows_one_overall_state(void **state)
{
	(void)state;
	struct snapshot s;
	healthy_snapshot(&s);
	struct diagnosis d;
	memset(&d, 0, sizeof(d));
	d.status = DIAGNOSIS_WARNING;
	d.count = 1;
	d.issues[0].type = ISSUE_SLOW_QUERIES;
	d.issues[0].severity = SEVERITY_MEDIUM;
	snprintf(d.issues[0].message, sizeof(d.issues[0].message),
	         "1 statement slower than 500 ms");
	snprintf(d.issues[0].recommendation, sizeof(d.issues[0].recommendation), "look");
	struct strbuf b;

	strbuf_init(&b, 0);
	out_text(&s, &d, &b);
	assert_non_null(strstr(strbuf_str(&b), "overall   WARNING"));
	assert_non_null(strstr(strbuf_str(&b), "medium: 1 statement slower than 500 ms"));
	assert_null(strstr(strbuf_str(&b), "overall   OK"));
	strbuf_free(&b);

	strbuf_init(&b, 0);
	out_json(&s, &d, &b);
	json_object *root = json_tokener_parse(strbuf_str(&b));
	json_object *o;
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "overall", &o));
	assert_string_equal(json_object_get_string(o), "warning");
	json_object_put(root);
	strbuf_free(&b);

	strbuf_init(&b, 0);
	out_prometheus(&s, &d, &b);
	assert_non_null(strstr(strbuf_str(&b), "\nopsdeck_overall_state 1\n"));
	strbuf_free(&b);

	strbuf_init(&b, 0);
	assert_int_equal(out_nagios(&s, &d, &b), PLUGIN_WARNING);
	assert_non_null(strstr(strbuf_str(&b), "OPSDECK WARNING - "));
	strbuf_free(&b);
}

static void test_no_traffic_is_said_plainly(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	with_metrics(&s, &d);
	s.requests.requests = 0;
	s.requests.error_rate = s.requests.avg_ms = s.requests.p95_ms = s.requests.p99_ms = -1;
	struct strbuf b;
	strbuf_init(&b, 0);
	out_text(&s, NULL, &b);
	assert_non_null(strstr(strbuf_str(&b), "no traffic"));
	strbuf_reset(&b);
	out_prometheus(&s, NULL, &b);
	assert_null(strstr(strbuf_str(&b), "opsdeck_request_error_ratio"));
	assert_non_null(strstr(strbuf_str(&b), "opsdeck_requests_in_window 0\n"));
	strbuf_free(&b);
}

/* Redis's load in every form: the slow log by command name (never a key as
 * a Prometheus label), latency monitor off with its hint, perfdata. */
static void test_redis_load_in_every_format(void **state)
{
	(void)state;
	struct snapshot s;
	healthy_snapshot(&s);
	struct redis_load *l = &s.redis_load;
	l->info_read = true;
	l->slowlog_access = REDIS_ACCESS_OK;
	l->latency_access = REDIS_ACCESS_OK;
	l->latency_monitor = REDIS_LATENCY_OFF;
	l->slowlog_count = 2;
	l->slowlog_newest_id = 8;
	l->slowlog[0] = (struct redis_slow_entry){8, 1795000000, 201000, "eval", "token:user42"};
	l->slowlog[1] = (struct redis_slow_entry){7, 1795000000, 300000, "eval", "token:user43"};
	l->blocked_clients = 3;
	struct strbuf b;
	strbuf_init(&b, 0);
	out_json(&s, NULL, &b);
	json_object *root = json_tokener_parse(strbuf_str(&b));
	assert_non_null(root);
	json_object *m, *rl, *o;
	assert_true(json_object_object_get_ex(root, "metrics", &m));
	assert_true(json_object_object_get_ex(m, "redis_load", &rl));
	assert_true(json_object_object_get_ex(rl, "latency_enable_hint", &o));
	assert_string_equal(json_object_get_string(o), REDIS_LATENCY_ENABLE_HINT);
	assert_true(json_object_object_get_ex(rl, "slowlog", &o));
	assert_int_equal(json_object_array_length(o), 2);
	json_object_put(root);

	strbuf_reset(&b);
	out_prometheus(&s, NULL, &b);
	const char *t = strbuf_str(&b);
	/* one sample per command, the slowest */
	assert_non_null(
	    strstr(t, "opsdeck_redis_slowlog_duration_seconds{command=\"eval\"} 0.3\n"));
	assert_null(strstr(strstr(t, "{command=\"eval\"}") + 1, "{command=\"eval\"}"));
	assert_null(strstr(t, "token:"));
	assert_non_null(strstr(t, "opsdeck_redis_blocked_clients 3\n"));

	strbuf_reset(&b);
	out_text(&s, NULL, &b);
	assert_non_null(strstr(strbuf_str(&b), "latency monitor off (enable: CONFIG SET "
	                                       "latency-monitor-threshold 100)"));
	strbuf_reset(&b);
	(void)out_nagios(&s, NULL, &b);
	assert_non_null(strstr(strbuf_str(&b), " redis_blocked=3;;;0"));
	strbuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_text_shows_every_check),
	    cmocka_unit_test(test_json_parses_with_schema_fields),
	    cmocka_unit_test(test_prometheus_families_and_escaping),
	    cmocka_unit_test(test_prometheus_leaves_out_a_down_check),
	    cmocka_unit_test(test_prometheus_backup_freshness),
	    cmocka_unit_test(test_prometheus_values_keep_their_precision),
	    cmocka_unit_test(test_nagios_states),
	    cmocka_unit_test(test_every_output_shows_one_overall_state),
	    cmocka_unit_test(test_metrics_and_diagnosis_in_every_format),
	    cmocka_unit_test(test_redis_load_in_every_format),
	    cmocka_unit_test(test_no_traffic_is_said_plainly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
