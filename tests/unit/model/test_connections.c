/* Unit tests for model/connections.c: usable slots and the Prisma pool
 * arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/connections.h"

static void prisma_default_is_cores_times_two_plus_one(void **state)
{
	(void)state;
	assert_int_equal(pool_default_limit(1), 3);
	assert_int_equal(pool_default_limit(4), 9);
	assert_int_equal(pool_default_limit(0), 3); /* unknown: one core */
}

static void usable_slots_leave_out_the_reserved(void **state)
{
	(void)state;
	assert_int_equal(conn_usable_slots(100, 3, 0), 97);
	assert_int_equal(conn_usable_slots(100, 3, 5), 92);
	assert_int_equal(conn_usable_slots(5, 3, 5), 0);
}

static struct pg_connections pools(int instances, int limit, int total, int app)
{
	struct pg_connections c;
	memset(&c, 0, sizeof(c));
	c.max_connections = 100;
	c.superuser_reserved = 3;
	c.usable = 97;
	c.instances = instances;
	c.connection_limit = limit;
	c.default_limit = 9;
	c.total = total;
	c.app_connections = app;
	return c;
}

static void thirty_instances_of_five_do_not_fit(void **state)
{
	(void)state;
	struct pg_connections c = pools(30, 5, 1, 1);
	struct pool_fit fit;
	pool_fit_compute(&c, &fit);
	assert_int_equal(fit.limit, 5);
	assert_false(fit.defaulted);
	assert_int_equal(fit.need, 150);
	assert_int_equal(fit.available, 97);
	assert_false(fit.fits);
}

/* The app's own connections are not taken off: its pools are what is
 * counted; other clients' are. */
static void others_take_slots_the_app_does_not(void **state)
{
	(void)state;
	struct pg_connections c = pools(4, 20, 60, 40);
	struct pool_fit fit;
	pool_fit_compute(&c, &fit);
	assert_int_equal(fit.available, 77);
	assert_int_equal(fit.need, 80);
	assert_false(fit.fits);
	c.instances = 3;
	pool_fit_compute(&c, &fit);
	assert_true(fit.fits); /* 60 <= 77: exactly at the edge is no issue either */
	c.connection_limit = 25;
	c.instances = 3;
	c.total = c.app_connections = 2;
	c.usable = 75;
	pool_fit_compute(&c, &fit);
	assert_int_equal(fit.need, 75);
	assert_int_equal(fit.available, 75);
	assert_true(fit.fits);
}

static void without_a_limit_prismas_default_counts(void **state)
{
	(void)state;
	struct pg_connections c = pools(11, -1, 0, 0);
	struct pool_fit fit;
	pool_fit_compute(&c, &fit);
	assert_true(fit.defaulted);
	assert_int_equal(fit.limit, 9);
	assert_int_equal(fit.need, 99);
	assert_false(fit.fits);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(prisma_default_is_cores_times_two_plus_one),
	    cmocka_unit_test(usable_slots_leave_out_the_reserved),
	    cmocka_unit_test(thirty_instances_of_five_do_not_fit),
	    cmocka_unit_test(others_take_slots_the_app_does_not),
	    cmocka_unit_test(without_a_limit_prismas_default_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
