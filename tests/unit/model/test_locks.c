/* Unit tests for model/locks.c: the blocking forest (roots, transitive
 * waiters, depth, several chains, cycles, hidden blockers) and the
 * descriptions the rule and the action print. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "model/locks.h"

/* Adds a session: pid, state, wait age, then the pids it waits on (0 ends). */
static struct lock_session *add(struct lock_status *s, int pid, const char *state, double wait_s,
                                ...)
{
	struct lock_session *x = &s->sessions[s->session_count++];
	memset(x, 0, sizeof(*x));
	x->pid = pid;
	snprintf(x->state, sizeof(x->state), "%s", state);
	snprintf(x->application_name, sizeof(x->application_name), "app%d", pid);
	snprintf(x->user, sizeof(x->user), "app");
	snprintf(x->client_addr, sizeof(x->client_addr), "10.0.0.5");
	x->xact_age_s = 192;
	x->query_age_s = 10;
	x->wait_age_s = wait_s;
	va_list ap;
	va_start(ap, wait_s);
	for (int b; (b = va_arg(ap, int)) != 0;)
		x->blocked_by[x->blocked_by_count++] = b;
	va_end(ap);
	return x;
}

/* root <- mid <- leaf, and a fourth on the root: one root, 3 waiters, any
 * depth, the oldest wait over all of them. */
static void test_chain_depth(void **state)
{
	struct lock_status s;
	locks_init(&s);
	add(&s, 4242, "idle in transaction", -1, 0);
	add(&s, 100, "active", 47, 4242, 0);
	add(&s, 101, "active", 30, 100, 0);
	add(&s, 102, "active", 12, 4242, 0);
	locks_build(&s);
	assert_int_equal(s.root_count, 1);
	assert_int_equal(s.waiting, 3);
	assert_int_equal(s.roots[0].pid, 4242);
	assert_int_equal(s.roots[0].waiters_total, 3);
	assert_int_equal(s.roots[0].direct, 2);
	assert_true(s.roots[0].oldest_wait_s == 47);
	assert_true(s.longest_wait_s == 47);
	assert_int_equal(locks_find(&s, 101)->depth, 2);
	assert_int_equal(locks_find(&s, 101)->root_pid, 4242);
	assert_int_equal(locks_find(&s, 4242)->root_pid, 4242);
	assert_true(locks_waits_behind(&s, locks_find(&s, 101), 4242));
	assert_false(locks_waits_behind(&s, locks_find(&s, 102), 100));
	assert_int_equal(s.cycle_sessions, 0);
	assert_int_equal(locks_top_root(&s)->pid, 4242);

	char line[256];
	locks_describe_root(&s, &s.roots[0], line, sizeof(line));
	assert_string_equal(line, "pid 4242 (app4242, app@10.0.0.5, idle in transaction 3m12s) "
	                          "blocks 3 sessions, oldest waiting 47.0 s");
	/* idempotent */
	locks_build(&s);
	assert_int_equal(s.root_count, 1);
	assert_int_equal(s.roots[0].waiters_total, 3);
}

/* Two independent chains: the one with more waiters first. */
static void test_two_chains(void **state)
{
	struct lock_status s;
	locks_init(&s);
	add(&s, 1, "idle in transaction", -1, 0);
	add(&s, 2, "active", 5, 1, 0);
	add(&s, 10, "active", -1, 0);
	add(&s, 11, "active", 3, 10, 0);
	add(&s, 12, "active", 2, 11, 0);
	locks_build(&s);
	assert_int_equal(s.root_count, 2);
	assert_int_equal(s.roots[0].pid, 10);
	assert_int_equal(s.roots[0].waiters_total, 2);
	assert_int_equal(s.roots[1].pid, 1);
	assert_int_equal(s.roots[1].waiters_total, 1);
	assert_false(locks_waits_behind(&s, locks_find(&s, 12), 1));
	assert_int_equal(s.waiting, 3);
}

/* A waiter on two blockers of one chain is counted once. */
static void test_counted_once(void **state)
{
	struct lock_status s;
	locks_init(&s);
	add(&s, 1, "idle in transaction", -1, 0);
	add(&s, 2, "active", 5, 1, 0);
	add(&s, 3, "active", 4, 1, 2, 0);
	locks_build(&s);
	assert_int_equal(s.root_count, 1);
	assert_int_equal(s.roots[0].waiters_total, 2);
	assert_int_equal(locks_find(&s, 3)->depth, 1);
}

/* A cycle with no root: no root, the sessions marked, no loop. A cycle
 * hanging under a root is counted in that root. */
static void test_cycle(void **state)
{
	struct lock_status s;
	locks_init(&s);
	add(&s, 1, "active", 2, 2, 0);
	add(&s, 2, "active", 2, 3, 0);
	add(&s, 3, "active", 2, 1, 0);
	locks_build(&s);
	assert_int_equal(s.root_count, 0);
	assert_null(locks_top_root(&s));
	assert_int_equal(s.cycle_sessions, 3);
	assert_true(locks_find(&s, 2)->in_cycle);
	assert_false(locks_waits_behind(&s, locks_find(&s, 1), 99));

	locks_init(&s);
	add(&s, 9, "idle in transaction", -1, 0);
	add(&s, 1, "active", 2, 2, 9, 0);
	add(&s, 2, "active", 2, 1, 0);
	locks_build(&s);
	assert_int_equal(s.root_count, 1);
	assert_int_equal(s.roots[0].waiters_total, 2);
	assert_int_equal(s.cycle_sessions, 0);
}

/* A blocker the role cannot see, or that is not among the sessions. */
static void test_hidden_blocker(void **state)
{
	struct lock_status s;
	locks_init(&s);
	struct lock_session *h = add(&s, 7, "", -1, 0);
	h->hidden = true;
	h->xact_age_s = h->query_age_s = -1;
	add(&s, 8, "active", 6, 7, 0);
	add(&s, 9, "active", 6, 55, 0); /* 55 not listed */
	locks_build(&s);
	assert_int_equal(s.root_count, 1);
	assert_int_equal(s.roots[0].pid, 7);
	assert_int_equal(s.hidden_blockers, 2);
	assert_int_equal(s.cycle_sessions, 0);
	char line[256];
	locks_describe_session(h, line, sizeof(line));
	assert_string_equal(line, "pid 7 (app7, app, hidden from this role)");
}

/* More roots than LOCKS_MAX_ROOTS: the best kept, all counted; more blocking
 * pids than LOCKS_MAX_BLOCKED_BY are cut, not overrun. */
static void test_bounds(void **state)
{
	struct lock_status s;
	locks_init(&s);
	for (int r = 0; r < 10; r++) { /* 10 roots, 25 sessions */
		add(&s, 100 + r, "idle in transaction", -1, 0);
		for (int w = 0; w <= r % 2; w++)
			add(&s, 1000 + r * 10 + w, "active", r, 100 + r, 0);
	}
	assert_true(s.session_count <= LOCKS_MAX_SESSIONS);
	locks_build(&s);
	assert_int_equal(s.root_count, 10);
	for (int k = 1; k < LOCKS_MAX_ROOTS; k++)
		assert_true(s.roots[k - 1].waiters_total >= s.roots[k].waiters_total);
	s.sessions[1].blocked_by_count = 99;
	locks_build(&s);
	assert_int_equal(s.sessions[1].blocked_by_count, LOCKS_MAX_BLOCKED_BY);
}

static void test_deadlocks_since(void **state)
{
	struct lock_status before, now;
	locks_init(&before);
	locks_init(&now);
	now.deadlocks_total = 5;
	locks_deadlocks_since(&now, NULL);
	assert_int_equal(now.deadlocks_delta, -1);
	locks_deadlocks_since(&now, &before); /* unknown before */
	assert_int_equal(now.deadlocks_delta, -1);
	before.deadlocks_total = 3;
	locks_deadlocks_since(&now, &before);
	assert_int_equal(now.deadlocks_delta, 2);
	before.deadlocks_total = 9; /* statistics reset */
	locks_deadlocks_since(&now, &before);
	assert_int_equal(now.deadlocks_delta, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_chain_depth),     cmocka_unit_test(test_two_chains),
	    cmocka_unit_test(test_counted_once),    cmocka_unit_test(test_cycle),
	    cmocka_unit_test(test_hidden_blocker),  cmocka_unit_test(test_bounds),
	    cmocka_unit_test(test_deadlocks_since),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
