/* Unit tests for probe/pg_upkeep.c: the reply of the replication and upkeep
 * query as a primary and a standby send it, bad replies, sanitising and
 * the caps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "probe/pg_upkeep.h"

static const char PRIMARY[] =
    "{\"in_recovery\": false, \"standby_total\": 1,"
    " \"standbys\": [{\"name\": \"replica1\", \"client\": \"10.0.0.2\", \"state\": \"streaming\","
    " \"sync_state\": \"async\", \"write_lag\": 0.5, \"flush_lag\": 0.75, \"replay_lag\": 12.25,"
    " \"behind\": 4096}],"
    " \"slot_total\": 2, \"slots\": [{\"name\": \"old_slot\", \"type\": \"physical\","
    " \"active\": false, \"retained\": 3221225472}, {\"name\": \"replica1\", \"type\":"
    " \"physical\", \"active\": true, \"retained\": null}],"
    " \"replay_lag\": null, \"replay_pending\": null, \"replay_paused\": false,"
    " \"xid_age\": 1200000000, \"xid_database\": \"shop\", \"freeze_max_age\": 200000000,"
    " \"blocks_hit\": 900, \"blocks_read\": 100, \"temp_bytes\": 8192,"
    " \"tables\": [{\"name\": \"public.Order\", \"live\": 300, \"dead\": 100}]}";

static void test_primary(void **state)
{
	(void)state;
	struct pg_upkeep_status u;
	char err[128] = "";
	pg_upkeep_reset(&u);
	assert_int_equal(pg_upkeep_parse(PRIMARY, &u, err, sizeof(err)), 0);
	assert_false(u.in_recovery);
	assert_int_equal(u.standby_count, 1);
	assert_string_equal(u.standbys[0].name, "replica1");
	assert_string_equal(u.standbys[0].client, "10.0.0.2");
	assert_true(u.standbys[0].replay_lag_s == 12.25);
	assert_true(u.standbys[0].flush_lag_s == 0.75);
	assert_int_equal(u.standbys[0].replay_behind_bytes, 4096);
	assert_int_equal(u.slot_total, 2);
	assert_int_equal(u.slot_count, 2);
	assert_false(u.slots[0].active);
	assert_int_equal(u.slots[0].retained_bytes, 3221225472LL);
	assert_int_equal(u.slots[1].retained_bytes, -1);
	assert_true(u.replay_lag_s == -1);
	assert_int_equal(u.xid_age, 1200000000);
	assert_string_equal(u.xid_database, "shop");
	assert_int_equal(u.freeze_max_age, 200000000);
	assert_true(u.cache_hit_ratio == 0.9);
	assert_int_equal(u.temp_bytes, 8192);
	assert_int_equal(u.table_count, 1);
	assert_true(u.tables[0].dead_ratio == 0.25);
}

static void test_standby(void **state)
{
	(void)state;
	struct pg_upkeep_status u;
	char err[128] = "";
	pg_upkeep_reset(&u);
	assert_int_equal(
	    pg_upkeep_parse("{\"in_recovery\": true, \"standby_total\": 0, \"standbys\":"
	                    " [], \"slot_total\": 0, \"slots\": [], \"replay_lag\":"
	                    " 42.5, \"replay_pending\": 65536, \"replay_paused\": true,"
	                    " \"xid_age\": 30, \"tables\": []}",
	                    &u, err, sizeof(err)),
	    0);
	assert_true(u.in_recovery);
	assert_true(u.replay_lag_s == 42.5);
	assert_int_equal(u.replay_pending_bytes, 65536);
	assert_true(u.replay_paused);
	assert_true(u.cache_hit_ratio == -1); /* no block access */
	assert_int_equal(u.temp_bytes, -1);
}

static void test_bad_replies(void **state)
{
	(void)state;
	struct pg_upkeep_status u;
	char err[128];
	const char *bad[] = {NULL,       "",
	                     "[]",       "{\"standbys\": []}",
	                     "not json", "{\"standbys\": {}, \"slots\": [], \"tables\": []}"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(pg_upkeep_parse(bad[i], &u, err, sizeof(err)), -1);
		assert_true(err[0] != '\0');
	}
}

/* Backend text with escape sequences is sanitised; lists stop at the cap. */
static void test_sanitised_and_capped(void **state)
{
	(void)state;
	char json[8192];
	size_t n = (size_t)snprintf(json, sizeof(json), "{\"standbys\": [");
	for (int i = 0; i < PG_UPKEEP_STANDBYS + 3; i++)
		n += (size_t)snprintf(json + n, sizeof(json) - n,
		                      "%s{\"name\": \"r\\u001b[31m%d\", \"replay_lag\": 1}",
		                      i ? ", " : "", i);
	snprintf(json + n, sizeof(json) - n,
	         "], \"standby_total\": %d, \"slots\": [], \"tables\": []}",
	         PG_UPKEEP_STANDBYS + 3);
	struct pg_upkeep_status u;
	char err[128] = "";
	pg_upkeep_reset(&u);
	assert_int_equal(pg_upkeep_parse(json, &u, err, sizeof(err)), 0);
	assert_int_equal(u.standby_count, PG_UPKEEP_STANDBYS);
	assert_int_equal(u.standby_total, PG_UPKEEP_STANDBYS + 3);
	assert_null(strchr(u.standbys[0].name, '\033'));
}

/* Deltas between polls: temp bytes and the cache ratio over the interval. */
static void test_deltas(void **state)
{
	(void)state;
	struct pg_upkeep_status a, b;
	pg_upkeep_reset(&a);
	pg_upkeep_reset(&b);
	a.check.state = b.check.state = CHECK_OK;
	a.temp_bytes = 1000;
	b.temp_bytes = 5000;
	a.blocks_hit = 9000;
	a.blocks_read = 0;
	b.blocks_hit = 9500;
	b.blocks_read = 500;
	assert_int_equal(pg_upkeep_temp_delta(&b, &a), 4000);
	assert_int_equal(pg_upkeep_temp_delta(&b, NULL), -1);
	assert_int_equal(pg_upkeep_temp_delta(&a, &b), -1); /* a reset */
	int64_t blocks = 0;
	assert_true(pg_upkeep_hit_ratio(&b, &a, &blocks) == 0.5);
	assert_int_equal(blocks, 1000);
	assert_true(pg_upkeep_hit_ratio(&b, NULL, &blocks) == 0.95);
	assert_int_equal(blocks, 10000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_primary),     cmocka_unit_test(test_standby),
	    cmocka_unit_test(test_bad_replies), cmocka_unit_test(test_sanitised_and_capped),
	    cmocka_unit_test(test_deltas),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
