/* Unit tests for diag/rules_redis_load.c: each rule fires on its condition
 * only, with its figures in the message; deltas need a previous poll. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "diag/diagnose.h"
#include "diag_fixture.h"

#define NOW_S 1800000000

/* A healthy master Redis, polled at NOW_S, with nothing to say. */
static void healthy(struct snapshot *s)
{
	snapshot_init(s);
	s->taken_at_ms = (int64_t)NOW_S * 1000;
	s->redis.check.state = CHECK_OK;
	s->redis.last_bgsave_ok = true;
	snprintf(s->redis.role, sizeof(s->redis.role), "master");
	s->redis.maxmemory = 1000;
	s->redis.used_memory = 100;
	struct redis_load *l = &s->redis_load;
	l->info_read = true;
	l->slowlog_access = REDIS_ACCESS_OK;
	l->latency_access = REDIS_ACCESS_OK;
	snprintf(l->maxmemory_policy, sizeof(l->maxmemory_policy), "noeviction");
}

static void add_slow(struct redis_load *l, int64_t id, int64_t started_s, int64_t us,
                     const char *command, const char *key)
{
	struct redis_slow_entry *e = &l->slowlog[l->slowlog_count++];
	e->id = id;
	e->started_s = started_s;
	e->duration_us = us;
	snprintf(e->command, sizeof(e->command), "%s", command);
	snprintf(e->first_key, sizeof(e->first_key), "%s", key);
	if (id > l->slowlog_newest_id)
		l->slowlog_newest_id = id;
}

static void test_healthy_says_nothing(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	healthy(&s);
	diagnose(&s, NULL, &cfg, &d);
	assert_int_equal(d.count, 0);
}

static void test_noeviction_near_limit(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	healthy(&s);
	s.redis.used_memory = 950;
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = find(&d, ISSUE_REDIS_NOEVICTION);
	assert_non_null(i);
	assert_int_equal(i->severity, SEVERITY_HIGH);
	assert_string_equal(i->message, "Redis is at 95% of maxmemory with maxmemory-policy "
	                                "noeviction: writes will fail with OOM at the limit");
	/* an evicting policy at the same level: memory high, but writes go on */
	snprintf(s.redis_load.maxmemory_policy, sizeof(s.redis_load.maxmemory_policy),
	         "allkeys-lru");
	diagnose(&s, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_REDIS_NOEVICTION));
	assert_non_null(find(&d, ISSUE_REDIS_MEMORY));
}

static void test_aof_write_and_fork(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	healthy(&s);
	s.redis_load.aof_enabled = true;
	s.redis_load.aof_last_write_ok = false;
	s.redis_load.rdb_changes_since_last_save = 12;
	s.redis_load.latest_fork_usec = 820000;
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = find(&d, ISSUE_REDIS_AOF_WRITE);
	assert_non_null(i);
	assert_int_equal(i->severity, SEVERITY_HIGH);
	assert_string_equal(i->message, "Redis cannot write its append-only file (12 changes not "
	                                "saved); it refuses writes until it can");
	i = find(&d, ISSUE_REDIS_FORK);
	assert_non_null(i);
	assert_string_equal(i->message, "Redis's latest fork took 820 ms (limit 500 ms): it serves "
	                                "nothing while it forks for a save or an AOF rewrite");
	s.redis_load.latest_fork_usec = 499000;
	diagnose(&s, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_REDIS_FORK));
}

static void test_slow_commands_since_last_poll(void **state)
{
	(void)state;
	struct snapshot before, now;
	struct diagnosis d;
	healthy(&before);
	healthy(&now);
	add_slow(&before.redis_load, 4, NOW_S - 10, 300000, "keys", "*");
	/* newest first: 7 and 6 are new, 4 was seen */
	add_slow(&now.redis_load, 7, NOW_S - 1, 120000, "hgetall", "user:42");
	add_slow(&now.redis_load, 6, NOW_S - 2, 201000, "eval", "token:abc");
	add_slow(&now.redis_load, 4, NOW_S - 10, 300000, "keys", "*");
	diagnose(&now, &before, &cfg, &d);
	const struct issue *i = find(&d, ISSUE_REDIS_SLOW_COMMANDS);
	assert_non_null(i);
	assert_string_equal(i->message, "Redis ran 2 commands over 100 ms since the last poll; "
	                                "slowest: eval on token:abc, 201 ms");
	/* nothing new since: no issue */
	diagnose(&now, &now, &cfg, &d);
	assert_null(find(&d, ISSUE_REDIS_SLOW_COMMANDS));
	/* one-shot: entries of the last 5 minutes count */
	diagnose(&now, NULL, &cfg, &d);
	i = find(&d, ISSUE_REDIS_SLOW_COMMANDS);
	assert_non_null(i);
	assert_string_equal(i->message, "Redis ran 3 commands over 100 ms in the last 5 minutes; "
	                                "slowest: keys on *, 300 ms");
	/* the slow log not readable: no guess */
	now.redis_load.slowlog_access = REDIS_ACCESS_DENIED;
	diagnose(&now, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_REDIS_SLOW_COMMANDS));
}

static void test_recent_slow_counts_entries_not_kept(void **state)
{
	(void)state;
	struct redis_load before, now;
	redis_load_init(&before);
	redis_load_init(&now);
	before.slowlog_access = REDIS_ACCESS_OK;
	before.slowlog_newest_id = 10;
	add_slow(&now, 40, NOW_S, 1000, "get", "a");
	add_slow(&now, 39, NOW_S, 1000, "get", "b");
	int64_t total;
	assert_int_equal(redis_load_recent_slow(&now, &before, NOW_S, &total), 2);
	assert_int_equal(total, 30); /* ids rise by one: 30 slow commands since */
}

static void test_latency_spike_with_advice(void **state)
{
	(void)state;
	struct snapshot before, now;
	struct diagnosis d;
	healthy(&before);
	healthy(&now);
	struct redis_latency_event fork = {"fork", NOW_S - 3, 620, 900};
	struct redis_latency_event cmd = {"command", NOW_S - 400, 150, 150};
	now.redis_load.latency[0] = fork;
	now.redis_load.latency[1] = cmd;
	now.redis_load.latency_count = 2;
	diagnose(&now, NULL, &cfg, &d);
	const struct issue *i = find(&d, ISSUE_REDIS_LATENCY);
	assert_non_null(i);
	assert_string_equal(
	    i->message,
	    "Redis latency spike: fork took 620 ms (worst 900 ms; 1 event over 100 ms)");
	assert_non_null(strstr(i->recommendation, "transparent huge pages"));
	/* the same spike seen by the previous poll: not new */
	before.redis_load.latency[0] = fork;
	before.redis_load.latency_count = 1;
	diagnose(&now, &before, &cfg, &d);
	assert_null(find(&d, ISSUE_REDIS_LATENCY));
}

static void test_rejected_needs_a_previous_poll(void **state)
{
	(void)state;
	struct snapshot before, now;
	struct diagnosis d;
	healthy(&before);
	healthy(&now);
	before.redis_load.rejected_connections = 5;
	now.redis_load.rejected_connections = 8;
	now.redis.connected_clients = 10000;
	diagnose(&now, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_REDIS_REJECTED));
	diagnose(&now, &before, &cfg, &d);
	const struct issue *i = find(&d, ISSUE_REDIS_REJECTED);
	assert_non_null(i);
	assert_string_equal(
	    i->message,
	    "Redis rejected 3 connections since the last poll (10000 clients connected)");
	/* a restart resets the counter: no issue */
	before.redis_load.rejected_connections = 50;
	diagnose(&now, &before, &cfg, &d);
	assert_null(find(&d, ISSUE_REDIS_REJECTED));
}

static void test_blocked_clients(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	healthy(&s);
	s.redis_load.blocked_clients = 49;
	diagnose(&s, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_REDIS_BLOCKED));
	s.redis_load.blocked_clients = 50;
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = find(&d, ISSUE_REDIS_BLOCKED);
	assert_non_null(i);
	assert_int_equal(i->severity, SEVERITY_LOW);
}

static void test_replica_link_down(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	healthy(&s);
	snprintf(s.redis.role, sizeof(s.redis.role), "slave");
	snprintf(s.redis_load.master_addr, sizeof(s.redis_load.master_addr), "10.0.0.5:6379");
	s.redis_load.master_link_up = false;
	s.redis_load.master_link_down_since_s = 42;
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = find(&d, ISSUE_REDIS_REPLICATION);
	assert_non_null(i);
	assert_int_equal(i->severity, SEVERITY_HIGH);
	assert_string_equal(i->message, "This Redis replica's link to 10.0.0.5:6379 is down (for "
	                                "42.0 s): it serves stale data");
	/* up, but silent for longer than the lag threshold */
	s.redis_load.master_link_up = true;
	s.redis_load.master_link_down_since_s = -1;
	s.redis_load.master_last_io_s = 11;
	diagnose(&s, NULL, &cfg, &d);
	i = find(&d, ISSUE_REDIS_REPLICATION);
	assert_non_null(i);
	assert_int_equal(i->severity, SEVERITY_MEDIUM);
	s.redis_load.master_last_io_s = 1;
	diagnose(&s, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_REDIS_REPLICATION));
}

static void test_master_sees_lagging_replica(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	healthy(&s);
	struct redis_load *l = &s.redis_load;
	l->master_repl_offset = 40000000;
	struct redis_replica ok = {"10.0.0.7:6380", "online", 40000000, 0};
	struct redis_replica late = {"10.0.0.8:6380", "online", 20000000, 1};
	l->replicas[0] = ok;
	l->replicas[1] = late;
	l->replica_count = 2;
	diagnose(&s, NULL, &cfg, &d);
	assert_int_equal(d.count, 1);
	const struct issue *i = find(&d, ISSUE_REDIS_REPLICATION);
	assert_non_null(i);
	assert_string_equal(i->id, "redis_replication:10.0.0.8:6380");
	assert_string_equal(i->message, "Redis replica 10.0.0.8:6380 is 19 MiB behind, last ack "
	                                "1s ago");
}

static void test_redis_down_no_load_rules(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	healthy(&s);
	s.redis.check.state = CHECK_UNHEALTHY;
	s.redis_load.aof_enabled = true;
	s.redis_load.aof_last_write_ok = false;
	s.redis_load.blocked_clients = 500;
	diagnose(&s, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_REDIS_AOF_WRITE));
	assert_null(find(&d, ISSUE_REDIS_BLOCKED));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_healthy_says_nothing),
	    cmocka_unit_test(test_noeviction_near_limit),
	    cmocka_unit_test(test_aof_write_and_fork),
	    cmocka_unit_test(test_slow_commands_since_last_poll),
	    cmocka_unit_test(test_recent_slow_counts_entries_not_kept),
	    cmocka_unit_test(test_latency_spike_with_advice),
	    cmocka_unit_test(test_rejected_needs_a_previous_poll),
	    cmocka_unit_test(test_blocked_clients),
	    cmocka_unit_test(test_replica_link_down),
	    cmocka_unit_test(test_master_sees_lagging_replica),
	    cmocka_unit_test(test_redis_down_no_load_rules),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
