/* Unit tests for diag/rules_replication.c and rules_upkeep.c: each rule
 * fires over its threshold, stays quiet just under it, and rises in
 * severity. Only the pg_upkeep row is filled: the other rows stay pending,
 * which no other rule looks at. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "diag/diagnose.h"
#include "diag_fixture.h"

static struct snapshot now;
static struct diagnosis d;

static int setup_upkeep(void **state)
{
	setup(state);
	snapshot_init(&now);
	struct pg_upkeep_status *u = &now.pg_upkeep;
	u->check.state = CHECK_OK;
	u->xid_age = 1000;
	u->freeze_max_age = 200000000;
	u->blocks_hit = 100000;
	u->blocks_read = 10;
	return 0;
}

static const struct issue *run(enum issue_type type, const struct snapshot *previous)
{
	diagnose(&now, previous, &cfg, &d);
	for (int i = 0; i < d.count; i++)
		if (d.issues[i].type == type)
			return &d.issues[i];
	return NULL;
}

static void test_quiet_when_healthy(void **state)
{
	(void)state;
	diagnose(&now, NULL, &cfg, &d);
	for (int i = 0; i < d.count; i++)
		assert_true(d.issues[i].type < ISSUE_REPLICATION_LAG);
}

static void test_quiet_when_not_read(void **state)
{
	(void)state;
	now.pg_upkeep.check.state = CHECK_UNHEALTHY;
	now.pg_upkeep.xid_age = 2000000000;
	assert_null(run(ISSUE_XID_WRAPAROUND, NULL));
}

static void add_standby(const char *name, double replay_lag_s)
{
	struct pg_upkeep_status *u = &now.pg_upkeep;
	struct pg_standby *s = &u->standbys[u->standby_count++];
	u->standby_total = u->standby_count;
	snprintf(s->name, sizeof(s->name), "%s", name);
	snprintf(s->client, sizeof(s->client), "10.0.0.9");
	s->write_lag_s = s->flush_lag_s = 0.1;
	s->replay_lag_s = replay_lag_s;
	s->replay_behind_bytes = 1 << 20;
}

static void test_primary_standby_lag(void **state)
{
	(void)state;
	add_standby("fast", 1);
	add_standby("slow", 59.9); /* limit 1m: just under */
	assert_null(run(ISSUE_REPLICATION_LAG, NULL));
	now.pg_upkeep.standbys[1].replay_lag_s = 95;
	const struct issue *i = run(ISSUE_REPLICATION_LAG, NULL);
	assert_non_null(i);
	assert_int_equal(i->severity, SEVERITY_MEDIUM);
	assert_string_equal(i->id, "replication_lag:slow");
	assert_non_null(strstr(i->message, "Standby slow at 10.0.0.9 replays 1m35s behind"));
	assert_non_null(strstr(i->message, "1 of 2 standbys behind"));
	now.pg_upkeep.standbys[1].replay_lag_s = 700; /* over ten times the limit */
	assert_int_equal(run(ISSUE_REPLICATION_LAG, NULL)->severity, SEVERITY_HIGH);
}

static void test_standby_paused(void **state)
{
	(void)state;
	struct pg_upkeep_status *u = &now.pg_upkeep;
	u->in_recovery = true;
	u->replay_lag_s = 30;
	u->replay_pending_bytes = 65536;
	assert_null(run(ISSUE_REPLICATION_LAG, NULL));
	cfg.thresholds.replication_lag_ms = 10000;
	u->replay_paused = true;
	const struct issue *i = run(ISSUE_REPLICATION_LAG, NULL);
	assert_non_null(i);
	assert_int_equal(i->severity, SEVERITY_MEDIUM);
	assert_non_null(strstr(i->message, "replays 30.0 s behind"));
	assert_non_null(strstr(i->message, "replay is paused"));
	assert_non_null(strstr(i->recommendation, "pg_wal_replay_resume()"));
	cfg.thresholds.replication_lag_ms = 60000;
}

static void add_slot(const char *name, bool active, int64_t retained)
{
	struct pg_upkeep_status *u = &now.pg_upkeep;
	struct pg_slot *s = &u->slots[u->slot_count++];
	u->slot_total = u->slot_count;
	snprintf(s->name, sizeof(s->name), "%s", name);
	snprintf(s->type, sizeof(s->type), "physical");
	s->active = active;
	s->retained_bytes = retained;
}

static void test_inactive_slot(void **state)
{
	(void)state;
	int64_t gib = 1073741824;
	add_slot("busy", true, 50 * gib); /* active: its standby reads it */
	add_slot("gone", false, gib);     /* at the limit, not over */
	assert_null(run(ISSUE_REPLICATION_SLOT, NULL));
	now.pg_upkeep.slots[1].retained_bytes = 3 * gib;
	const struct issue *i = run(ISSUE_REPLICATION_SLOT, NULL);
	assert_non_null(i);
	assert_string_equal(i->id, "replication_slot:gone");
	assert_int_equal(i->severity, SEVERITY_MEDIUM);
	assert_non_null(
	    strstr(i->message, "Inactive physical replication slot gone retains 3.0 GiB"));
	assert_non_null(strstr(i->recommendation, "pg_drop_replication_slot('gone')"));
	now.pg_upkeep.slots[1].retained_bytes = 20 * gib;
	assert_int_equal(run(ISSUE_REPLICATION_SLOT, NULL)->severity, SEVERITY_HIGH);
}

static void test_xid_wraparound(void **state)
{
	(void)state;
	struct pg_upkeep_status *u = &now.pg_upkeep;
	snprintf(u->xid_database, sizeof(u->xid_database), "shop");
	u->xid_age = 1073741824; /* exactly half: not over */
	assert_null(run(ISSUE_XID_WRAPAROUND, NULL));
	u->xid_age = 1200000000;
	const struct issue *i = run(ISSUE_XID_WRAPAROUND, NULL);
	assert_non_null(i);
	assert_int_equal(i->severity, SEVERITY_MEDIUM);
	assert_string_equal(i->id, "xid_wraparound:shop");
	assert_non_null(strstr(i->message, "age 1200000000 in database shop: 56%"));
	assert_non_null(strstr(i->message, "6.0x autovacuum_freeze_max_age 200000000"));
	u->xid_age = 2000000000;
	assert_int_equal(run(ISSUE_XID_WRAPAROUND, NULL)->severity, SEVERITY_HIGH);
}

static void test_cache_hit(void **state)
{
	(void)state;
	struct pg_upkeep_status *u = &now.pg_upkeep;
	struct snapshot before = now;
	before.pg_upkeep.check.state = CHECK_OK;
	/* One-shot (no earlier poll): the figures since the reset count
	 * every bulk load and dump, so even 75% says nothing. */
	u->blocks_hit = 9000;
	u->blocks_read = 3000;
	assert_null(run(ISSUE_CACHE_HIT, NULL));
	/* Between polls: too few blocks to judge, then 90%: at the limit, then 75%. */
	u->blocks_hit = 900;
	u->blocks_read = 99;
	assert_null(run(ISSUE_CACHE_HIT, &before));
	u->blocks_hit = 9000;
	u->blocks_read = 1000;
	assert_null(run(ISSUE_CACHE_HIT, &before));
	u->blocks_read = 3000;
	const struct issue *i = run(ISSUE_CACHE_HIT, &before);
	assert_non_null(i);
	assert_int_equal(i->severity, SEVERITY_LOW);
	assert_non_null(strstr(i->message, "75.0%"));
	/* All of the last interval's 2000 accesses hit. */
	before = now;
	u->blocks_hit = 11000;
	assert_null(run(ISSUE_CACHE_HIT, &before));
	/* ... or half of them, with sorts spilling to disk meanwhile. */
	u->blocks_hit = 10000;
	u->blocks_read = 4000;
	before.pg_upkeep.temp_bytes = 0;
	u->temp_bytes = 2 << 20;
	i = run(ISSUE_CACHE_HIT, &before);
	assert_non_null(i);
	assert_non_null(
	    strstr(i->message, "50.0% (limit 90%) over 2000 block reads; 2.0 MiB written"));
	assert_non_null(strstr(i->recommendation, "work_mem"));
}

static void add_table(const char *name, int64_t live, int64_t dead)
{
	struct pg_upkeep_status *u = &now.pg_upkeep;
	struct pg_table_dead *t = &u->tables[u->table_count++];
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->live_tuples = live;
	t->dead_tuples = dead;
	t->dead_ratio = (double)dead / (double)(live + dead);
}

static void test_dead_tuples(void **state)
{
	(void)state;
	add_table("public.Tiny", 10, 900);     /* few dead rows: not worth it */
	add_table("public.Order", 8000, 2000); /* 20%: at the limit */
	assert_null(run(ISSUE_DEAD_TUPLES, NULL));
	now.pg_upkeep.tables[1].dead_tuples = 6000;
	now.pg_upkeep.tables[1].dead_ratio = 6000.0 / 14000;
	const struct issue *i = run(ISSUE_DEAD_TUPLES, NULL);
	assert_non_null(i);
	assert_string_equal(i->id, "dead_tuples:public.Order");
	assert_non_null(strstr(i->message, "public.Order has 6000 dead tuples, 43%"));
	assert_non_null(strstr(i->recommendation, "VACUUM (VERBOSE) public.Order"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_quiet_when_healthy, setup_upkeep, teardown),
	    cmocka_unit_test_setup_teardown(test_quiet_when_not_read, setup_upkeep, teardown),
	    cmocka_unit_test_setup_teardown(test_primary_standby_lag, setup_upkeep, teardown),
	    cmocka_unit_test_setup_teardown(test_standby_paused, setup_upkeep, teardown),
	    cmocka_unit_test_setup_teardown(test_inactive_slot, setup_upkeep, teardown),
	    cmocka_unit_test_setup_teardown(test_xid_wraparound, setup_upkeep, teardown),
	    cmocka_unit_test_setup_teardown(test_cache_hit, setup_upkeep, teardown),
	    cmocka_unit_test_setup_teardown(test_dead_tuples, setup_upkeep, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
