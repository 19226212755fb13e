/* Unit tests for diag/: every rule (rules_*.c), firing and not firing, on
 * hand-built snapshots. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "diag/diagnose.h"
#include "diag_fixture.h"

static void test_healthy_has_no_issues(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	diag_fixture_healthy(&s);
	diagnose(&s, NULL, &cfg, &d);
	assert_int_equal(d.count, 0);
	assert_int_equal(d.status, DIAGNOSIS_OK);
}

static void test_unhealthy_services_are_high(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	diag_fixture_healthy(&s);
	s.database.check.state = CHECK_UNHEALTHY;
	snprintf(s.database.check.error, sizeof(s.database.check.error), "connection refused");
	s.redis.check.state = CHECK_UNHEALTHY;
	s.health.check.state = CHECK_UNHEALTHY;
	diagnose(&s, NULL, &cfg, &d);
	assert_int_equal(d.status, DIAGNOSIS_ERROR);
	const struct issue *db = must_find(&d, ISSUE_DATABASE_DOWN);
	assert_non_null(db);
	assert_int_equal(db->severity, SEVERITY_HIGH);
	assert_non_null(strstr(db->message, "connection refused"));
	assert_int_equal(db->action_count, 1);
	assert_string_equal(db->actions[0], "reconnect-db");
	assert_non_null(find(&d, ISSUE_REDIS_DOWN));
	const struct issue *app = must_find(&d, ISSUE_APP_DOWN);
	assert_non_null(app);
	assert_int_equal(app->action_count, 3);
	assert_string_equal(app->actions[0], "restart-app");
}

static void test_storage_full_names_the_path(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	diag_fixture_healthy(&s);
	s.storage.paths[0].used_percent = 93.4;
	s.storage.paths[0].state = CHECK_UNHEALTHY;
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = must_find(&d, ISSUE_STORAGE_FULL);
	assert_non_null(i);
	assert_string_equal(i->id, "storage_full:/");
	assert_non_null(strstr(i->message, "93.4% full (limit 90%)"));
	assert_int_equal(i->severity, SEVERITY_HIGH);
}

static void test_error_rate_threshold(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	diag_fixture_healthy(&s);
	s.requests.error_rate = 0.05; /* at the limit: not over it */
	diagnose(&s, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_ERROR_RATE));
	s.requests.error_rate = 0.072;
	s.requests.errors = 72;
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = must_find(&d, ISSUE_ERROR_RATE);
	assert_non_null(i);
	assert_int_equal(i->severity, SEVERITY_HIGH);
	assert_non_null(strstr(i->message, "7.2%"));
	assert_non_null(strstr(i->message, "72 of 1,000"));
	/* configurable */
	cfg.thresholds.error_rate = 0.1;
	diagnose(&s, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_ERROR_RATE));
	cfg.thresholds.error_rate = 0.05;
}

static void test_no_traffic_is_not_an_error(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	diag_fixture_healthy(&s);
	s.requests.requests = 0;
	s.requests.errors = 0;
	s.requests.error_rate = -1;
	s.requests.avg_ms = s.requests.p95_ms = s.requests.p99_ms = -1;
	diagnose(&s, NULL, &cfg, &d);
	assert_int_equal(d.count, 0);
}

static void test_slow_average_and_p95_are_medium(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	diag_fixture_healthy(&s);
	s.requests.avg_ms = 1500;
	s.requests.p95_ms = 2500;
	diagnose(&s, NULL, &cfg, &d);
	assert_int_equal(d.status, DIAGNOSIS_WARNING);
	assert_int_equal(must_find(&d, ISSUE_SLOW_RESPONSE)->severity, SEVERITY_MEDIUM);
	assert_int_equal(must_find(&d, ISSUE_P95_RESPONSE)->severity, SEVERITY_MEDIUM);
	s.requests.avg_ms = 1000; /* at the limit */
	s.requests.p95_ms = 2000;
	diagnose(&s, NULL, &cfg, &d);
	assert_int_equal(d.count, 0);
}

static void test_slow_queries(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	diag_fixture_healthy(&s);
	s.slow_queries.count = 2;
	s.slow_queries.items[0].mean_ms = 1202;
	s.slow_queries.items[0].calls = 3;
	snprintf(s.slow_queries.items[0].query, sizeof(s.slow_queries.items[0].query),
	         "SELECT pg_sleep($1)");
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = must_find(&d, ISSUE_SLOW_QUERIES);
	assert_non_null(i);
	assert_int_equal(i->severity, SEVERITY_MEDIUM);
	assert_non_null(strstr(i->message, "SELECT pg_sleep($1)"));
	assert_non_null(strstr(i->message, "since the statistics were reset"));
	assert_non_null(strstr(i->message, "over 3 calls"));
	assert_string_equal(i->actions[0], "cancel-query");
	s.slow_queries.items[0].calls = 1;
	diagnose(&s, NULL, &cfg, &d);
	assert_non_null(strstr(must_find(&d, ISSUE_SLOW_QUERIES)->message, "over 1 call:"));
}

/* The advice fits the statement: one that reads few buffers a call (a
 * primary-key UPDATE that waited on a lock) gets no index advice; one that
 * reads a lot does. The span is said. */
static void test_slow_queries_advice_fits(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	diag_fixture_healthy(&s);
	s.slow_queries.span = SLOW_SPAN_WINDOW;
	s.slow_queries.span_ms = 2000;
	s.slow_queries.count = 1;
	s.slow_queries.items[0].mean_ms = 4100;
	s.slow_queries.items[0].calls = 1;
	s.slow_queries.items[0].blocks_per_call = 4;
	snprintf(s.slow_queries.items[0].query, sizeof(s.slow_queries.items[0].query),
	         "UPDATE \"Order\" SET \"status\" = $1 WHERE id = $2");
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = must_find(&d, ISSUE_SLOW_QUERIES);
	assert_non_null(strstr(i->message, "in the last 2"));
	assert_non_null(strstr(i->message, "over 1 call:"));
	assert_null(strstr(i->recommendation, "add the index"));
	assert_non_null(strstr(i->recommendation, "lock"));

	s.slow_queries.items[0].blocks_per_call = 50000;
	diagnose(&s, NULL, &cfg, &d);
	assert_non_null(strstr(must_find(&d, ISSUE_SLOW_QUERIES)->recommendation, "add the index"));

	/* nothing slow over the span: no issue */
	s.slow_queries.count = 0;
	diagnose(&s, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_SLOW_QUERIES));
}

static void test_query_stats_problems(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	diag_fixture_healthy(&s);
	s.slow_queries.check.state = CHECK_UNHEALTHY;
	s.slow_queries.problem = SLOW_QUERY_NOT_INSTALLED;
	snprintf(s.slow_queries.check.error, sizeof(s.slow_queries.check.error),
	         "pg_stat_statements is not installed");
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = must_find(&d, ISSUE_QUERY_STATS);
	assert_non_null(i);
	assert_int_equal(i->severity, SEVERITY_LOW);
	assert_non_null(strstr(i->recommendation, "CREATE EXTENSION"));
	s.slow_queries.problem = SLOW_QUERY_NO_PRIVILEGE;
	diagnose(&s, NULL, &cfg, &d);
	assert_non_null(
	    strstr(must_find(&d, ISSUE_QUERY_STATS)->recommendation, "pg_read_all_stats"));
	/* with the database down, only the database issue speaks */
	s.database.check.state = CHECK_UNHEALTHY;
	diagnose(&s, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_QUERY_STATS));
}

static void test_request_log_missing_and_unindexed(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	diag_fixture_healthy(&s);
	s.requests.timestamp_index_missing = true;
	snprintf(s.requests.index_hint, sizeof(s.requests.index_hint),
	         "CREATE INDEX CONCURRENTLY ON \"RequestLog\" (\"timestamp\");");
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = must_find(&d, ISSUE_REQUEST_LOG);
	assert_non_null(i);
	assert_non_null(strstr(i->recommendation, "CREATE INDEX"));
	diag_fixture_healthy(&s);
	s.requests.check.state = CHECK_UNHEALTHY;
	snprintf(s.requests.check.error, sizeof(s.requests.check.error),
	         "request log not found: relation \"RequestLog\" does not exist");
	diagnose(&s, NULL, &cfg, &d);
	assert_non_null(strstr(must_find(&d, ISSUE_REQUEST_LOG)->message, "request log not found"));
	assert_int_equal(d.status, DIAGNOSIS_WARNING);
}

static void test_redis_rules(void **state)
{
	struct snapshot s, before;
	struct diagnosis d;
	diag_fixture_healthy(&s);
	s.redis.used_memory = 950; /* 95 % of 1000 */
	s.redis.last_bgsave_ok = false;
	diagnose(&s, NULL, &cfg, &d);
	assert_non_null(find(&d, ISSUE_REDIS_MEMORY));
	assert_non_null(find(&d, ISSUE_REDIS_BGSAVE));
	assert_null(find(&d, ISSUE_REDIS_EVICTIONS));
	s.redis.maxmemory = 0; /* no limit: no memory issue */
	diagnose(&s, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_REDIS_MEMORY));

	/* evictions: low without a trend, medium when rising, none when flat */
	diag_fixture_healthy(&s);
	s.redis.evicted_keys = 50;
	diagnose(&s, NULL, &cfg, &d);
	assert_int_equal(must_find(&d, ISSUE_REDIS_EVICTIONS)->severity, SEVERITY_LOW);
	before = s;
	before.redis.evicted_keys = 20;
	diagnose(&s, &before, &cfg, &d);
	assert_int_equal(must_find(&d, ISSUE_REDIS_EVICTIONS)->severity, SEVERITY_MEDIUM);
	assert_non_null(
	    strstr(must_find(&d, ISSUE_REDIS_EVICTIONS)->message, "30 since the last poll"));
	before.redis.evicted_keys = 50;
	diagnose(&s, &before, &cfg, &d);
	assert_null(find(&d, ISSUE_REDIS_EVICTIONS));
}

static void test_database_rules(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	diag_fixture_healthy(&s);
	s.database.connections_total = 81; /* > 0.8 x 100 */
	s.database.longest_idle_in_tx_s = 301;
	s.database.connections_idle_in_tx = 1;
	s.database.lock_waiters = 2;
	diagnose(&s, NULL, &cfg, &d);
	assert_non_null(find(&d, ISSUE_CONNECTIONS));
	const struct issue *idle = must_find(&d, ISSUE_IDLE_IN_TRANSACTION);
	assert_non_null(idle);
	assert_non_null(strstr(idle->message, "5m01s"));
	assert_non_null(strstr(idle->message, "; 1 such session")); /* not "sessions" */
	assert_null(strstr(idle->message, "sessions"));
	assert_non_null(
	    strstr(must_find(&d, ISSUE_LOCK_WAITERS)->message, "2 backends are waiting"));

	diag_fixture_healthy(&s);
	s.database.connections_total = 80;
	s.database.longest_idle_in_tx_s = 299;
	s.database.lock_waiters = 0;
	diagnose(&s, NULL, &cfg, &d);
	assert_int_equal(d.count, 0);
}

static void test_version_rules(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	diag_fixture_healthy(&s);
	snprintf(s.version.file_version, sizeof(s.version.file_version), "1.4.2");
	snprintf(s.version.file_commit_hash, sizeof(s.version.file_commit_hash), "a1b2c3d");
	diagnose(&s, NULL, &cfg, &d);
	assert_int_equal(d.count, 0);
	snprintf(s.version.file_commit_hash, sizeof(s.version.file_commit_hash), "ffff000");
	diagnose(&s, NULL, &cfg, &d);
	assert_non_null(strstr(must_find(&d, ISSUE_VERSION_MISMATCH)->message, "half-done deploy"));

	diag_fixture_healthy(&s);
	s.version.check.state = CHECK_UNHEALTHY;
	diagnose(&s, NULL, &cfg, &d);
	assert_int_equal(must_find(&d, ISSUE_VERSION_UNKNOWN)->severity, SEVERITY_LOW);
	assert_int_equal(d.status, DIAGNOSIS_WARNING);
}

static void test_sorted_most_severe_first(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	diag_fixture_healthy(&s);
	s.version.check.state = CHECK_UNHEALTHY; /* low */
	s.requests.avg_ms = 5000;                /* medium */
	s.health.check.state = CHECK_UNHEALTHY;  /* high */
	diagnose(&s, NULL, &cfg, &d);
	assert_int_equal(d.count, 3);
	assert_int_equal(d.issues[0].severity, SEVERITY_HIGH);
	assert_int_equal(d.issues[1].severity, SEVERITY_MEDIUM);
	assert_int_equal(d.issues[2].severity, SEVERITY_LOW);
}

static void test_actions_are_configurable(void **state)
{
	struct config custom;
	char err[256];
	char path[] = "/tmp/opsdeck-test-actions-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *text = "[actions]\nerror_rate = clear-cache\napp_down =\n";
	assert_int_equal(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	assert_int_equal(config_load_file(&custom, path, err, sizeof(err)), 0);
	struct snapshot s;
	struct diagnosis d;
	diag_fixture_healthy(&s);
	s.requests.error_rate = 0.5;
	s.health.check.state = CHECK_UNHEALTHY;
	diagnose(&s, NULL, &custom, &d);
	const struct issue *i = must_find(&d, ISSUE_ERROR_RATE);
	assert_int_equal(i->action_count, 1);
	assert_string_equal(i->actions[0], "clear-cache");
	assert_int_equal(must_find(&d, ISSUE_APP_DOWN)->action_count, 0);
	config_free(&custom);

	/* an unknown action is a configuration error with file:line */
	fd = open(path, O_WRONLY | O_TRUNC);
	text = "[actions]\n\nerror_rate = flushall\n";
	assert_int_equal(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	assert_int_equal(config_load_file(&custom, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":3:"));
	assert_non_null(strstr(err, "unknown action 'flushall'"));
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_healthy_has_no_issues),
	    cmocka_unit_test(test_unhealthy_services_are_high),
	    cmocka_unit_test(test_storage_full_names_the_path),
	    cmocka_unit_test(test_error_rate_threshold),
	    cmocka_unit_test(test_no_traffic_is_not_an_error),
	    cmocka_unit_test(test_slow_average_and_p95_are_medium),
	    cmocka_unit_test(test_slow_queries),
	    cmocka_unit_test(test_slow_queries_advice_fits),
	    cmocka_unit_test(test_query_stats_problems),
	    cmocka_unit_test(test_request_log_missing_and_unindexed),
	    cmocka_unit_test(test_redis_rules),
	    cmocka_unit_test(test_database_rules),
	    cmocka_unit_test(test_version_rules),
	    cmocka_unit_test(test_sorted_most_severe_first),
	    cmocka_unit_test(test_actions_are_configurable),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
