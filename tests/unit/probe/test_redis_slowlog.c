/* test_redis_slowlog.c - SLOWLOG GET and LATENCY LATEST replies (built as
 * hiredis reply trees, as the probe receives them), the first-key choice
 * that keeps secrets out, and INFO's load fields (redis_info_parse_load). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/redis_load.h"
#include "probe/redis_info.h"
#include "probe/redis_slowlog.h"

/* Replies live in a pool freed at the end of each test. */
#define POOL 256
static redisReply pool[POOL];
static redisReply *children[POOL][8];
static int used;

static redisReply *str(const char *s)
{
	redisReply *r = &pool[used++];
	memset(r, 0, sizeof(*r));
	r->type = REDIS_REPLY_STRING;
	r->str = (char *)s;
	r->len = strlen(s);
	return r;
}

static redisReply *num(long long v)
{
	redisReply *r = &pool[used++];
	memset(r, 0, sizeof(*r));
	r->type = REDIS_REPLY_INTEGER;
	r->integer = v;
	return r;
}

/* An array of n replies (at most 8). */
static redisReply *arr(int n, ...)
{
	int at = used;
	redisReply *r = &pool[used++];
	memset(r, 0, sizeof(*r));
	r->type = REDIS_REPLY_ARRAY;
	r->elements = (size_t)n;
	r->element = children[at];
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		children[at][i] = va_arg(ap, redisReply *);
	va_end(ap);
	return r;
}

static int reset(void **state)
{
	(void)state;
	used = 0;
	return 0;
}

/* One slow-log entry as Redis 7 sends it. */
static redisReply *entry(long long id, long long us, redisReply *args)
{
	return arr(6, num(id), num(1800000000), num(us), args, str("127.0.0.1:5000"),
	           str("worker"));
}

static void test_entries_name_and_first_key(void **state)
{
	(void)state;
	struct redis_load l;
	redis_load_init(&l);
	redisReply *reply =
	    arr(3, entry(12, 201000, arr(3, str("SET"), str("session:7f3a"), str("TOPSECRET-1"))),
	        entry(11, 150000, arr(2, str("KEYS"), str("*"))),
	        entry(10, 120000,
	              arr(5, str("EVAL"), str("return 'TOPSECRET-2'"), str("1"),
	                  str("queue:emails"), str("TOPSECRET-3"))));
	assert_int_equal(redis_slowlog_parse(reply, &l), 3);
	assert_int_equal(l.slowlog_newest_id, 12);
	assert_string_equal(l.slowlog[0].command, "set");
	assert_string_equal(l.slowlog[0].first_key, "session:7f3a");
	assert_int_equal(l.slowlog[0].duration_us, 201000);
	assert_int_equal(l.slowlog[0].started_s, 1800000000);
	assert_string_equal(l.slowlog[1].command, "keys");
	assert_string_equal(l.slowlog[1].first_key, ""); /* a pattern, not a key */
	assert_string_equal(l.slowlog[2].command, "eval");
	assert_string_equal(l.slowlog[2].first_key, "queue:emails");
	/* No argument but the first key is anywhere in what was kept. */
	assert_null(memmem(&l, sizeof(l), "TOPSECRET", 9));
}

static void test_secret_commands_show_no_argument(void **state)
{
	(void)state;
	struct redis_load l;
	redis_load_init(&l);
	redisReply *reply =
	    arr(5, entry(5, 1, arr(2, str("AUTH"), str("TOPSECRET-A"))),
	        entry(4, 1, arr(4, str("HELLO"), str("3"), str("AUTH"), str("TOPSECRET-B"))),
	        entry(3, 1, arr(3, str("CONFIG"), str("SET"), str("TOPSECRET-C"))),
	        entry(2, 1, arr(4, str("EVALSHA"), str("abc"), str("0"), str("TOPSECRET-D"))),
	        entry(1, 1,
	              arr(6, str("MIGRATE"), str("10.0.0.9"), str("6379"), str("k"), str("0"),
	                  str("TOPSECRET-E"))));
	assert_int_equal(redis_slowlog_parse(reply, &l), 5);
	for (int i = 0; i < 5; i++)
		assert_string_equal(l.slowlog[i].first_key, "");
	assert_null(memmem(&l, sizeof(l), "TOPSECRET", 9));
}

static void test_hostile_entries_skipped_and_sanitised(void **state)
{
	(void)state;
	struct redis_load l;
	redis_load_init(&l);
	redisReply *reply = arr(4, str("junk"), arr(2, num(1), num(2)),
	                        arr(4, num(-1), num(0), num(5), arr(1, str("GET"))),
	                        entry(9, 7, arr(2, str("GE\x1b[2JT"), str("key\x07x"))));
	assert_int_equal(redis_slowlog_parse(reply, &l), 1);
	assert_null(strchr(l.slowlog[0].command, '\x1b'));
	assert_null(strchr(l.slowlog[0].first_key, '\x07'));
	assert_int_equal(redis_slowlog_parse(str("ERR"), &l), -1);
	assert_int_equal(l.slowlog_newest_id, -1);
}

static void test_latency_latest(void **state)
{
	(void)state;
	struct redis_load l;
	redis_load_init(&l);
	redisReply *reply = arr(2, arr(4, str("command"), num(1800000000), num(150), num(250)),
	                        arr(4, str("fork"), num(1799999990), num(620), num(900)));
	assert_int_equal(redis_latency_parse(reply, &l), 2);
	assert_string_equal(l.latency[1].event, "fork");
	assert_int_equal(l.latency[1].latest_ms, 620);
	assert_int_equal(l.latency[1].max_ms, 900);
	assert_int_equal(redis_latency_parse(arr(0), &l), 0);
}

static void test_info_load_master(void **state)
{
	(void)state;
	const char *info = "# Persistence\r\nrdb_changes_since_last_save:40\r\n"
	                   "rdb_bgsave_in_progress:0\r\naof_enabled:1\r\n"
	                   "aof_last_write_status:err\r\nlatest_fork_usec:1264\r\n"
	                   "# Stats\r\nrejected_connections:3\r\n# Clients\r\nblocked_clients:2\r\n"
	                   "# Memory\r\nmaxmemory_policy:noeviction\r\n# Replication\r\n"
	                   "role:master\r\nconnected_slaves:2\r\n"
	                   "slave0:ip=127.0.0.1,port=40149,state=online,offset=14,lag=0\r\n"
	                   "slave1:ip=10.0.0.8,port=6380,state=wait_bgsave,offset=0,lag=7\r\n"
	                   "master_repl_offset:14\r\n";
	struct redis_load l;
	redis_load_init(&l);
	assert_true(redis_info_parse_load(info, strlen(info), &l) > 0);
	assert_true(l.info_read);
	assert_int_equal(l.rdb_changes_since_last_save, 40);
	assert_true(l.aof_enabled);
	assert_false(l.aof_last_write_ok);
	assert_int_equal(l.latest_fork_usec, 1264);
	assert_int_equal(l.rejected_connections, 3);
	assert_int_equal(l.blocked_clients, 2);
	assert_string_equal(l.maxmemory_policy, "noeviction");
	assert_int_equal(l.connected_replicas, 2);
	assert_int_equal(l.replica_count, 2);
	assert_string_equal(l.replicas[0].addr, "127.0.0.1:40149");
	assert_string_equal(l.replicas[1].state, "wait_bgsave");
	assert_int_equal(l.replicas[1].lag_s, 7);
	assert_int_equal(redis_load_replica_behind(&l, &l.replicas[1]), 14);
	assert_int_equal(l.master_last_io_s, -1);
}

static void test_info_load_replica_link_down(void **state)
{
	(void)state;
	const char *info = "role:slave\nmaster_host:127.0.0.1\nmaster_port:38141\n"
	                   "master_link_status:down\nmaster_last_io_seconds_ago:-1\n"
	                   "master_link_down_since_seconds:42\nslave_repl_offset:99\n";
	struct redis_load l;
	redis_load_init(&l);
	assert_true(redis_info_parse_load(info, strlen(info), &l) > 0);
	assert_false(l.master_link_up);
	assert_string_equal(l.master_addr, "127.0.0.1:38141");
	assert_int_equal(l.master_last_io_s, -1); /* -1 from Redis is "unknown", kept */
	assert_int_equal(l.master_link_down_since_s, 42);
	assert_int_equal(l.replica_repl_offset, 99);
	assert_true(l.aof_last_write_ok); /* no AOF status: not a failure */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_entries_name_and_first_key, reset),
	    cmocka_unit_test_setup(test_secret_commands_show_no_argument, reset),
	    cmocka_unit_test_setup(test_hostile_entries_skipped_and_sanitised, reset),
	    cmocka_unit_test_setup(test_latency_latest, reset),
	    cmocka_unit_test_setup(test_info_load_master, reset),
	    cmocka_unit_test_setup(test_info_load_replica_link_down, reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
