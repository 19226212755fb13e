/* Unit tests for diag/rules_locks.c and the lock-waiters rule's advice:
 * the root-blocker issue (message, severity by waiters and wait age, its
 * actions by the root's state), hidden blockers, deadlocks between polls. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "diag/diagnose.h"
#include "diag_fixture.h"

/* A database with root 4242 (idle in transaction 3m12s) and `waiters`
 * sessions waiting on it directly, the oldest for `wait_s`. */
static void chain(struct snapshot *s, int waiters, double wait_s)
{
	snapshot_init(s);
	s->database.check.state = CHECK_OK;
	s->database.max_connections = 100;
	s->database.connections_total = 10;
	s->database.lock_waiters = waiters;
	struct lock_status *l = &s->locks;
	l->probed = true;
	l->role_sees_all = true;
	snprintf(l->role, sizeof(l->role), "app");
	struct lock_session *root = &l->sessions[l->session_count++];
	root->pid = 4242;
	snprintf(root->application_name, sizeof(root->application_name), "worker");
	snprintf(root->user, sizeof(root->user), "app");
	snprintf(root->client_addr, sizeof(root->client_addr), "10.0.0.5");
	snprintf(root->state, sizeof(root->state), "idle in transaction");
	snprintf(root->query, sizeof(root->query), "UPDATE orders SET paid = true");
	root->xact_age_s = 192;
	root->wait_age_s = -1;
	for (int i = 0; i < waiters; i++) {
		struct lock_session *w = &l->sessions[l->session_count++];
		w->pid = 5000 + i;
		snprintf(w->state, sizeof(w->state), "active");
		w->wait_age_s = i == 0 ? wait_s : 1;
		w->blocked_by[w->blocked_by_count++] = 4242;
	}
	locks_build(l);
}

static void test_root_blocker_message_and_actions(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	chain(&s, 3, 47);
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = find(&d, ISSUE_ROOT_BLOCKER);
	assert_non_null(i);
	assert_string_equal(i->id, "root_blocker:4242");
	assert_string_equal(i->message, "pid 4242 (worker, app@10.0.0.5, idle in transaction "
	                                "3m12s) blocks 3 sessions, oldest waiting 47.0 s");
	/* idle: terminate-blocker only, cancelling would do nothing */
	assert_int_equal(i->action_count, 1);
	assert_string_equal(i->actions[0], "terminate-blocker");
	assert_non_null(strstr(i->recommendation, "cancelling does nothing"));
	/* the lock-waiters issue points at it, no longer "find the blocker" */
	const struct issue *w = find(&d, ISSUE_LOCK_WAITERS);
	assert_non_null(w);
	assert_non_null(strstr(w->recommendation, "root blocker is pid 4242"));
	assert_null(strstr(w->recommendation, "Find the blocker"));

	/* an active root: cancel-query offered after terminate-blocker */
	snprintf(s.locks.sessions[0].state, sizeof(s.locks.sessions[0].state), "active");
	diagnose(&s, NULL, &cfg, &d);
	i = find(&d, ISSUE_ROOT_BLOCKER);
	assert_non_null(i);
	assert_int_equal(i->action_count, 2);
	assert_string_equal(i->actions[0], "terminate-blocker");
	assert_string_equal(i->actions[1], "cancel-query");
}

/* Severity: medium under both thresholds, high at either. */
static void test_root_blocker_severity(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	chain(&s, 1, 5); /* 1 waiter < 3, 5 s < 1 min */
	diagnose(&s, NULL, &cfg, &d);
	assert_int_equal(find(&d, ISSUE_ROOT_BLOCKER)->severity, SEVERITY_MEDIUM);
	chain(&s, 3, 5); /* blocker_waiters = 3 */
	diagnose(&s, NULL, &cfg, &d);
	assert_int_equal(find(&d, ISSUE_ROOT_BLOCKER)->severity, SEVERITY_HIGH);
	chain(&s, 1, 60); /* blocker_wait = 1m */
	diagnose(&s, NULL, &cfg, &d);
	assert_int_equal(find(&d, ISSUE_ROOT_BLOCKER)->severity, SEVERITY_HIGH);
	cfg.thresholds.blocker_waiters = 10;
	cfg.thresholds.blocker_wait_ms = 600000;
	chain(&s, 3, 60);
	diagnose(&s, NULL, &cfg, &d);
	assert_int_equal(find(&d, ISSUE_ROOT_BLOCKER)->severity, SEVERITY_MEDIUM);
	cfg.thresholds.blocker_waiters = 3;
	cfg.thresholds.blocker_wait_ms = 60000;

	/* no chain, no issue; a failed probe, none either */
	chain(&s, 0, 0);
	diagnose(&s, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_ROOT_BLOCKER));
	chain(&s, 2, 5);
	s.locks.probed = false;
	diagnose(&s, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_ROOT_BLOCKER));
}

/* A root the role cannot see: named, with the grant; never a failure. */
static void test_hidden_root(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	chain(&s, 2, 5);
	struct lock_session *root = &s.locks.sessions[0];
	root->hidden = true;
	root->state[0] = root->query[0] = '\0';
	s.locks.role_sees_all = false;
	locks_build(&s.locks);
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = find(&d, ISSUE_ROOT_BLOCKER);
	assert_non_null(i);
	assert_non_null(strstr(i->message, "hidden from this role"));
	assert_non_null(strstr(i->recommendation, "GRANT pg_read_all_stats TO app"));
	const struct issue *w = find(&d, ISSUE_LOCK_WAITERS);
	assert_non_null(w);
	assert_non_null(strstr(w->recommendation, "hidden from role app"));
}

static void test_deadlocks_between_polls(void **state)
{
	struct snapshot before, now;
	struct diagnosis d;
	chain(&before, 0, 0);
	chain(&now, 0, 0);
	before.locks.deadlocks_total = 4;
	now.locks.deadlocks_total = 4;
	diagnose(&now, &before, &cfg, &d);
	assert_null(find(&d, ISSUE_DEADLOCKS));
	now.locks.deadlocks_total = 6;
	diagnose(&now, NULL, &cfg, &d); /* one-shot: the total only, no issue */
	assert_null(find(&d, ISSUE_DEADLOCKS));
	diagnose(&now, &before, &cfg, &d);
	const struct issue *i = find(&d, ISSUE_DEADLOCKS);
	assert_non_null(i);
	assert_string_equal(i->message, "2 deadlocks since the previous poll (6 in total)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_root_blocker_message_and_actions),
	    cmocka_unit_test(test_root_blocker_severity),
	    cmocka_unit_test(test_hidden_root),
	    cmocka_unit_test(test_deadlocks_between_polls),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
