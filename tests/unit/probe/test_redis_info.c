/* test_redis_info.c - redis_info_parse on real INFO replies captured from
 * redis 7 (tests/fixtures/redis) and on hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../fixture.h"
#include "model/snapshot.h"
#include "probe/redis_info.h"

/* Reads FIXTURES/redis/NAME; the caller frees it. */
static char *read_fixture(const char *name, size_t *len)
{
	char rel[256];
	snprintf(rel, sizeof(rel), "redis/%s", name);
	return fixture_read(rel, len);
}

/* What snapshot_init leaves in a redis_status. */
static void fresh(struct redis_status *r)
{
	memset(r, 0, sizeof(*r));
	r->hit_rate = -1;
}

static void test_standalone_crlf(void **state)
{
	(void)state;
	size_t len;
	char *text = read_fixture("info7_standalone.txt", &len);
	assert_non_null(memchr(text, '\r', len)); /* the fixture really is CRLF */
	struct redis_status r;
	fresh(&r);
	assert_int_equal(redis_info_parse(text, len, &r), 11);
	assert_string_equal(r.version, "7.0.15");
	assert_string_equal(r.role, "master");
	assert_int_equal(r.used_memory, 966576);
	assert_int_equal(r.maxmemory, 0);
	assert_float_equal(r.fragmentation_ratio, 7.63, 1e-9);
	assert_int_equal(r.connected_clients, 1);
	assert_int_equal(r.evicted_keys, 0);
	assert_int_equal(r.keyspace_hits, 1);
	assert_int_equal(r.keyspace_misses, 1);
	assert_float_equal(r.hit_rate, 0.5, 1e-9);
	assert_true(r.last_bgsave_ok);
	assert_int_equal(r.uptime_s, 0);
	free(text);
}

static void test_standalone_lf_same_result(void **state)
{
	(void)state;
	size_t crlf_len, lf_len;
	char *crlf = read_fixture("info7_standalone.txt", &crlf_len);
	char *lf = read_fixture("info7_standalone_lf.txt", &lf_len);
	assert_null(memchr(lf, '\r', lf_len));
	struct redis_status a, b;
	fresh(&a);
	fresh(&b);
	assert_int_equal(redis_info_parse(crlf, crlf_len, &a), 11);
	assert_int_equal(redis_info_parse(lf, lf_len, &b), 11);
	assert_memory_equal(&a, &b, sizeof(a));
	free(crlf);
	free(lf);
}

static void test_maxmemory(void **state)
{
	(void)state;
	size_t len;
	char *text = read_fixture("info7_maxmemory.txt", &len);
	struct redis_status r;
	fresh(&r);
	assert_int_equal(redis_info_parse(text, len, &r), 11);
	assert_int_equal(r.maxmemory, 104857600);
	assert_int_equal(r.used_memory, 1015960);
	assert_int_equal(r.keyspace_hits, 1);
	assert_int_equal(r.keyspace_misses, 51);
	assert_float_equal(r.hit_rate, 1.0 / 52.0, 1e-9);
	free(text);
}

static void test_bgsave_err(void **state)
{
	(void)state;
	size_t len;
	char *text = read_fixture("info7_bgsave_err.txt", &len);
	struct redis_status r;
	fresh(&r);
	r.last_bgsave_ok = true;
	assert_int_equal(redis_info_parse(text, len, &r), 11);
	assert_false(r.last_bgsave_ok);
	/* No lookups at all: the hit rate is unknown, not 0 %. */
	assert_int_equal(r.keyspace_hits, 0);
	assert_int_equal(r.keyspace_misses, 0);
	assert_float_equal(r.hit_rate, -1, 0);
	free(text);
}

static void test_replica(void **state)
{
	(void)state;
	size_t len;
	char *text = read_fixture("info7_replica.txt", &len);
	struct redis_status r;
	fresh(&r);
	assert_int_equal(redis_info_parse(text, len, &r), 11);
	assert_string_equal(r.role, "slave");
	assert_int_equal(r.uptime_s, 2);
	free(text);
}

/* Lines without a colon, junk numbers, overlong lines and binary bytes are
 * skipped; the good lines around them still count; later valid values win. */
static void test_garbage(void **state)
{
	(void)state;
	size_t len;
	char *text = read_fixture("garbage.txt", &len);
	struct redis_status r;
	fresh(&r);
	r.connected_clients = 42;
	r.uptime_s = 9;
	int n = redis_info_parse(text, len, &r);
	assert_string_equal(r.version, "6.2.14");
	assert_int_equal(r.used_memory, 123456);
	assert_int_equal(r.connected_clients, 42); /* both values were junk */
	assert_string_equal(r.role, "mas?ter");    /* ESC sanitised */
	assert_float_equal(r.fragmentation_ratio, 1.25, 1e-9);
	assert_int_equal(r.maxmemory, 2147483648LL);
	assert_int_equal(r.keyspace_hits, 10);
	assert_int_equal(r.keyspace_misses, 30);
	assert_float_equal(r.hit_rate, 0.25, 1e-9);
	assert_int_equal(r.uptime_s, 9);     /* empty value ignored */
	assert_true(r.last_bgsave_ok);       /* the "#..." line is a comment */
	assert_int_equal(r.evicted_keys, 7); /* last line, no newline */
	/* version, used_memory, role, frag, maxmemory, hits, misses, bgsave, evicted */
	assert_int_equal(n, 9);
	free(text);
}

/* The parser reads only len bytes: a value running to the end of the
 * buffer is not read past it. */
static void test_not_terminated(void **state)
{
	(void)state;
	char buf[] = {'u', 's', 'e', 'd', '_', 'm', 'e', 'm', 'o', 'r', 'y', ':', '1', '2', '3'};
	struct redis_status r;
	fresh(&r);
	assert_int_equal(redis_info_parse(buf, sizeof(buf), &r), 1);
	assert_int_equal(r.used_memory, 123);
	fresh(&r);
	assert_int_equal(redis_info_parse(buf, 14, &r), 1); /* "used_memory:12" */
	assert_int_equal(r.used_memory, 12);
}

static void test_negative_and_overflow(void **state)
{
	(void)state;
	const char *text = "used_memory:-5\r\n"
	                   "maxmemory:9223372036854775808\r\n"
	                   "mem_fragmentation_ratio:nan\r\n"
	                   "mem_fragmentation_ratio:inf\r\n"
	                   "connected_clients:12abc\r\n"
	                   "evicted_keys: 3\r\n"
	                   "evicted_keys\r\n"
	                   "role:\r\n";
	struct redis_status r;
	fresh(&r);
	strcpy(r.role, "keep");
	assert_int_equal(redis_info_parse(text, strlen(text), &r), 0);
	assert_int_equal(r.used_memory, 0);
	assert_int_equal(r.maxmemory, 0);
	assert_float_equal(r.fragmentation_ratio, 0, 0);
	assert_int_equal(r.connected_clients, 0);
	assert_int_equal(r.evicted_keys, 0);
	assert_string_equal(r.role, "keep");
	assert_float_equal(r.hit_rate, -1, 0);
}

/* A long version string is cut to the field's size, still terminated. */
static void test_long_text_value(void **state)
{
	(void)state;
	char text[4096];
	memcpy(text, "redis_version:", 14);
	memset(text + 14, '7', sizeof(text) - 14);
	struct redis_status r;
	fresh(&r);
	assert_int_equal(redis_info_parse(text, sizeof(text), &r), 1);
	assert_int_equal(strlen(r.version), sizeof(r.version) - 1);
}

/* Megabytes of junk with no newline at all, and empty input. */
static void test_huge_and_empty(void **state)
{
	(void)state;
	size_t len = 8u << 20;
	char *big = malloc(len);
	assert_non_null(big);
	memset(big, 'z', len);
	struct redis_status r;
	fresh(&r);
	assert_int_equal(redis_info_parse(big, len, &r), 0);
	/* and many short junk lines */
	for (size_t i = 0; i < len; i += 4)
		memcpy(big + i, "::\r\n", 4);
	assert_int_equal(redis_info_parse(big, len, &r), 0);
	free(big);
	assert_int_equal(redis_info_parse("", 0, &r), 0);
	assert_int_equal(redis_info_parse(NULL, 0, &r), 0);
	assert_int_equal(redis_info_parse("\r\n\n#\r\n", 6, &r), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_standalone_crlf),
	    cmocka_unit_test(test_standalone_lf_same_result),
	    cmocka_unit_test(test_maxmemory),
	    cmocka_unit_test(test_bgsave_err),
	    cmocka_unit_test(test_replica),
	    cmocka_unit_test(test_garbage),
	    cmocka_unit_test(test_not_terminated),
	    cmocka_unit_test(test_negative_and_overflow),
	    cmocka_unit_test(test_long_text_value),
	    cmocka_unit_test(test_huge_and_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
