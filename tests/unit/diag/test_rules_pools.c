/* Unit tests for diag/rules_pools.c and the connections rule's use of the
 * usable slots (rules_database.c), on hand-built snapshots. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "diag/diagnose.h"
#include "diag_fixture.h"

/* 100 max_connections, 3 reserved, `total` connected of which `app` are
 * the app's; `instances` x `limit`. */
static void pools(struct snapshot *s, int instances, int limit, int total, int app)
{
	snapshot_init(s);
	s->database.check.state = CHECK_OK;
	s->database.max_connections = 100;
	s->database.connections_total = total;
	struct pg_connections *c = &s->connections;
	c->check.state = CHECK_OK;
	c->max_connections = 100;
	c->superuser_reserved = 3;
	c->usable = 97;
	c->total = total;
	c->app_connections = app;
	c->instances = instances;
	c->connection_limit = limit;
	c->default_limit = 9;
	c->by[CONN_BY_APPLICATION].count = 2;
	snprintf(c->by[CONN_BY_APPLICATION].items[0].name, CONN_NAME_LEN, "worker");
	c->by[CONN_BY_APPLICATION].items[0].count = total - 5;
	snprintf(c->by[CONN_BY_APPLICATION].items[1].name, CONN_NAME_LEN, "web");
	c->by[CONN_BY_APPLICATION].items[1].count = 5;
}

static void pools_that_do_not_fit_say_the_numbers(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	pools(&s, 30, 5, 10, 10);
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = must_find(&d, ISSUE_POOL_FIT);
	assert_non_null(
	    strstr(i->message, "30 instances × connection_limit 5 = 150 > 97 available"));
	assert_int_equal(i->severity, SEVERITY_MEDIUM);
	assert_non_null(strstr(i->recommendation, "at most 3"));
}

static void pools_that_fit_are_quiet(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	pools(&s, 19, 5, 10, 10); /* 95 <= 97 */
	diagnose(&s, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_POOL_FIT));
	pools(&s, 1, 5, 10, 10); /* unread groups: nothing to say */
	s.connections.check.state = CHECK_UNHEALTHY;
	s.connections.usable = 0;
	diagnose(&s, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_POOL_FIT));
}

/* Through PgBouncer the limit is of the connections to PgBouncer. */
static void pgbouncer_pools_are_not_counted(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	pools(&s, 30, 5, 10, 10);
	s.connections.pgbouncer = true;
	diagnose(&s, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_POOL_FIT));
}

/* When not even one instance's pool fits, it is high; Prisma's default is
 * named when the URL has no limit. */
static void one_pool_too_big_is_high(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	pools(&s, 2, -1, 95, 2); /* 93 others: 4 left, 2 x 9 needed */
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = must_find(&d, ISSUE_POOL_FIT);
	assert_int_equal(i->severity, SEVERITY_HIGH);
	assert_non_null(strstr(i->message, "connection_limit 9 (Prisma's default"));
	assert_non_null(strstr(i->message, "= 18 > 4 available"));
}

/* The connections rule counts against the usable slots and names the
 * applications that hold the most. */
static void connections_rule_uses_usable_slots(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	pools(&s, 1, 5, 78, 10); /* 78 > 0.8 x 97 = 77.6, not > 0.8 x 100 */
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = must_find(&d, ISSUE_CONNECTIONS);
	assert_non_null(strstr(i->message, "78 of 97 usable PostgreSQL connections"));
	assert_non_null(strstr(i->message, "most held by worker 73, web 5"));
	pools(&s, 1, 5, 77, 10);
	diagnose(&s, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_CONNECTIONS));
}

/* PgBouncer: `waiting` clients of pool shop/app, the oldest for `wait_ms`. */
static void bouncer(struct snapshot *s, int waiting, int64_t wait_ms)
{
	snapshot_init(s);
	struct pgbouncer_status *g = &s->pgbouncer;
	g->check.state = CHECK_OK;
	g->pool_total = g->pool_count = 2;
	struct pgbouncer_pool *p = &g->pools[0];
	snprintf(p->database, sizeof(p->database), "shop");
	snprintf(p->user, sizeof(p->user), "app");
	p->cl_active = 1;
	p->cl_waiting = waiting;
	p->sv_active = 1;
	p->maxwait_us = wait_ms * 1000;
	p = &g->pools[1];
	snprintf(p->database, sizeof(p->database), "shop");
	snprintf(p->user, sizeof(p->user), "report");
	p->cl_active = 2;
	p->sv_active = 2;
	g->cl_waiting = waiting;
	g->maxwait_us = wait_ms * 1000;
}

static void pgbouncer_waiting_clients_name_the_pool(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	bouncer(&s, 2, 1500);
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = must_find(&d, ISSUE_PGBOUNCER_WAITING);
	assert_int_equal(i->severity, SEVERITY_MEDIUM);
	assert_non_null(strstr(i->message, "pool shop/app: 2 clients waiting"));
	assert_null(strstr(i->message, "report"));
	assert_non_null(strstr(i->recommendation, "default_pool_size"));
	assert_non_null(strstr(i->recommendation, "long transactions"));
	assert_null(find(&d, ISSUE_PGBOUNCER_MAX_WAIT));
	bouncer(&s, 0, 0); /* nobody waits */
	diagnose(&s, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_PGBOUNCER_WAITING));
	assert_null(find(&d, ISSUE_PGBOUNCER_MAX_WAIT));
}

/* Over [thresholds] pgbouncer_max_wait (5 s by default) it is high, and
 * said once: not also as "waiting". */
static void pgbouncer_long_wait_is_high(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	bouncer(&s, 3, 7000);
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = must_find(&d, ISSUE_PGBOUNCER_MAX_WAIT);
	assert_int_equal(i->severity, SEVERITY_HIGH);
	assert_non_null(strstr(i->message, "pool shop/app: a client has waited 7"));
	assert_non_null(strstr(i->message, "3 waiting"));
	assert_non_null(strstr(i->recommendation, "reserve_pool_size"));
	assert_null(find(&d, ISSUE_PGBOUNCER_WAITING));
	bouncer(&s, 3, 5000); /* at the limit: not over it */
	diagnose(&s, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_PGBOUNCER_MAX_WAIT));
	must_find(&d, ISSUE_PGBOUNCER_WAITING);
}

/* Not configured is quiet; configured and unreachable is high, with the
 * reason. */
static void pgbouncer_down_only_when_configured(void **state)
{
	(void)state;
	struct snapshot s;
	struct diagnosis d;
	bouncer(&s, 0, 0);
	s.pgbouncer.check.state = CHECK_NOT_CONFIGURED;
	diagnose(&s, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_PGBOUNCER_DOWN));
	s.pgbouncer.check.state = CHECK_UNHEALTHY;
	snprintf(s.pgbouncer.check.error, sizeof(s.pgbouncer.check.error), "connection refused");
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = must_find(&d, ISSUE_PGBOUNCER_DOWN);
	assert_int_equal(i->severity, SEVERITY_HIGH);
	assert_non_null(strstr(i->message, "connection refused"));
	assert_null(find(&d, ISSUE_PGBOUNCER_WAITING));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(pools_that_do_not_fit_say_the_numbers),
	    cmocka_unit_test(pools_that_fit_are_quiet),
	    cmocka_unit_test(pgbouncer_pools_are_not_counted),
	    cmocka_unit_test(one_pool_too_big_is_high),
	    cmocka_unit_test(connections_rule_uses_usable_slots),
	    cmocka_unit_test(pgbouncer_waiting_clients_name_the_pool),
	    cmocka_unit_test(pgbouncer_long_wait_is_high),
	    cmocka_unit_test(pgbouncer_down_only_when_configured),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
