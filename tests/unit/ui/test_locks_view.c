/* Unit tests for ui/locks_view: the rows of a hand-built chain (root idle in
 * transaction <- mid <- leaf, and a fourth on the root) in tree order, the
 * selection that follows its pid across polls, the action t and c pick for
 * a row, and the whole screen against golden files in tests/fixtures/ui at
 * 80x24 and 120x40, ASCII and UTF-8 (OPSDECK_UPDATE_GOLDEN=1 rewrites them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/action.h"
#include "screen.h"
#include "ui/grid.h"
#include "ui/locks_view.h"

static struct screen_parts parts;

static struct lock_session *add_session(struct lock_status *l, int pid, const char *app,
                                        const char *state, double xact_s, const char *query)
{
	struct lock_session *x = &l->sessions[l->session_count++];
	memset(x, 0, sizeof(*x));
	x->pid = pid;
	snprintf(x->application_name, sizeof(x->application_name), "%s", app);
	snprintf(x->user, sizeof(x->user), "app");
	snprintf(x->client_addr, sizeof(x->client_addr), "10.0.0.5");
	snprintf(x->state, sizeof(x->state), "%s", state);
	snprintf(x->backend_type, sizeof(x->backend_type), "client backend");
	x->xact_age_s = xact_s;
	x->query_age_s = xact_s;
	x->wait_age_s = -1;
	snprintf(x->query, sizeof(x->query), "%s", query);
	return x;
}

static void waits(struct lock_session *x, int on, double age_s, const char *event)
{
	x->blocked_by[x->blocked_by_count++] = on;
	x->wait_age_s = age_s;
	snprintf(x->wait_event_type, sizeof(x->wait_event_type), "Lock");
	snprintf(x->wait_event, sizeof(x->wait_event), "%s", event);
}

static void add_running(struct lock_status *l, int pid, double s, const char *event,
                        const char *query)
{
	struct running_query *q = &l->running[l->running_count++];
	memset(q, 0, sizeof(*q));
	q->pid = pid;
	q->duration_s = s;
	snprintf(q->application_name, sizeof(q->application_name), "web");
	snprintf(q->user, sizeof(q->user), "app");
	if (event[0]) {
		snprintf(q->wait_event_type, sizeof(q->wait_event_type), "Lock");
		snprintf(q->wait_event, sizeof(q->wait_event), "%s", event);
	}
	snprintf(q->query, sizeof(q->query), "%s", query);
}

/* The chain of the issue: 4242 idle in transaction <- 4243 <- 4244, and
 * 4245 on 4242; 4243 and 4244 also run long. */
static void make_chain(struct ui_view *v, bool utf8)
{
	screen_view_quiet(v, &parts);
	v->utf8 = utf8;
	struct lock_status *l = &parts.snap.locks;
	locks_init(l);
	l->probed = true;
	l->role_sees_all = true;
	snprintf(l->role, sizeof(l->role), "opsdeck");
	l->deadlocks_total = 2;
	l->deadlocks_delta = 0;
	add_session(l, 4242, "worker", "idle in transaction", 192,
	            "UPDATE orders SET status = 'paid' WHERE id = 1");
	struct lock_session *mid = add_session(l, 4243, "web", "active", 47,
	                                       "UPDATE orders SET status = 'shipped' WHERE id = 1");
	waits(mid, 4242, 47, "transactionid");
	struct lock_session *leaf =
	    add_session(l, 4244, "web", "active", 30, "UPDATE orders SET n = n + 1 WHERE id = 1");
	waits(leaf, 4243, 30, "tuple");
	struct lock_session *fourth =
	    add_session(l, 4245, "cron", "active", 12, "DELETE FROM orders WHERE id = 2");
	waits(fourth, 4242, 12, "transactionid");
	locks_build(l);
	add_running(l, 4243, 47, "transactionid",
	            "UPDATE orders SET status = 'shipped' WHERE id = 1");
	add_running(l, 4244, 30, "tuple", "UPDATE orders SET n = n + 1 WHERE id = 1");
	add_running(l, 5001, 8.5, "",
	            "SELECT o.id, o.total, c.email FROM orders o JOIN customers c ON c.id = "
	            "o.customer_id WHERE o.created_at > now() - interval '30 days' ORDER BY 1");
	parts.state.locks.open = true;
}

static void test_rows_tree_order(void **state)
{
	(void)state;
	struct ui_view v;
	make_chain(&v, false);
	struct locks_row rows[LOCKS_VIEW_ROWS];
	int n = locks_view_rows(&parts.snap.locks, rows, LOCKS_VIEW_ROWS);
	assert_int_equal(n, 7);
	const int pids[] = {4242, 4243, 4244, 4245, 4243, 4244, 5001};
	const int depths[] = {0, 1, 2, 1, 0, 0, 0};
	for (int i = 0; i < n; i++) {
		assert_int_equal(rows[i].pid, pids[i]);
		assert_int_equal(rows[i].depth, depths[i]);
		assert_int_equal(rows[i].kind, i < 4 ? LOCKS_ROW_CHAIN : LOCKS_ROW_RUNNING);
	}
	assert_false(rows[1].last); /* 4243 has a sibling below: 4245 */
	assert_true(rows[3].last);
}

/* The selection is a pid: a poll that reorders the rows keeps it. */
static void test_selection_follows_pid(void **state)
{
	(void)state;
	struct ui_view v;
	make_chain(&v, false);
	struct lock_status *l = &parts.snap.locks;
	struct ui_locks_state *sel = &parts.state.locks;
	locks_view_move(l, sel, 1, false);
	locks_view_move(l, sel, 1, false);
	assert_int_equal(sel->pid, 4244);
	assert_false(sel->running);
	/* the next poll lists the fourth first */
	struct lock_session tmp = l->sessions[3];
	memmove(&l->sessions[1], &l->sessions[0], 3 * sizeof(tmp));
	l->sessions[0] = tmp;
	locks_build(l);
	struct locks_row rows[LOCKS_VIEW_ROWS];
	int n = locks_view_rows(l, rows, LOCKS_VIEW_ROWS);
	int at = locks_view_selected(rows, n, sel);
	assert_int_equal(rows[at].pid, 4244);
	/* down into Running now: the same pid there is another row */
	locks_view_move(l, sel, 1, true);
	assert_int_equal(sel->pid, 5001);
	assert_true(sel->running);
	locks_view_move(l, sel, -1, true);
	assert_int_equal(sel->pid, 4242);
}

static void test_actions(void **state)
{
	(void)state;
	struct ui_view v;
	make_chain(&v, false);
	const struct lock_status *l = &parts.snap.locks;
	struct locks_row rows[LOCKS_VIEW_ROWS];
	locks_view_rows(l, rows, LOCKS_VIEW_ROWS);
	const char *action = NULL;
	char why[256] = "";
	assert_int_equal(locks_view_action(l, &rows[0], 't', &action, why, sizeof(why)), 0);
	assert_string_equal(action, ACTION_NAME_TERMINATE_BLOCKER);
	assert_int_equal(locks_view_action(l, &rows[1], 't', &action, why, sizeof(why)), 0);
	assert_string_equal(action, ACTION_NAME_TERMINATE_QUERY);
	assert_int_equal(locks_view_action(l, &rows[0], 'c', &action, why, sizeof(why)), -1);
	assert_string_equal(why, "pid 4242 is idle in transaction and runs no query: cancelling "
	                         "does nothing; t terminates it");
	assert_int_equal(locks_view_action(l, &rows[2], 'c', &action, why, sizeof(why)), 0);
	assert_string_equal(action, ACTION_NAME_CANCEL_QUERY);
	assert_int_equal(locks_view_action(l, &rows[6], 'c', &action, why, sizeof(why)), 0);
	assert_string_equal(action, ACTION_NAME_CANCEL_QUERY);
	assert_int_equal(locks_view_action(l, &rows[6], 't', &action, why, sizeof(why)), 0);
	assert_string_equal(action, ACTION_NAME_TERMINATE_QUERY);
}

static void test_details(void **state)
{
	(void)state;
	struct ui_view v;
	make_chain(&v, false);
	struct locks_row rows[LOCKS_VIEW_ROWS];
	locks_view_rows(&parts.snap.locks, rows, LOCKS_VIEW_ROWS);
	char title[80], text[1024];
	locks_view_details(&parts.snap.locks, &rows[2], title, sizeof(title), text, sizeof(text));
	assert_string_equal(title, "pid 4244");
	assert_non_null(strstr(text, "Waits 30.0 s on Lock:tuple behind pid 4243."));
	assert_non_null(strstr(text, "UPDATE orders SET n = n + 1 WHERE id = 1"));
	locks_view_details(&parts.snap.locks, &rows[0], title, sizeof(title), text, sizeof(text));
	assert_non_null(strstr(text, "Blocks 2 sessions directly, 3 in all."));
}

static void test_golden_80x24_ascii(void **state)
{
	(void)state;
	struct ui_view v;
	make_chain(&v, false);
	parts.state.locks.pid = 4244;
	screen_check_golden(&v, 80, 24, "locks_80x24_ascii");
	screen_check_golden(&v, 70, 20, "locks_70x20_ascii");
}

/* Before the database's first poll, and with no database at all. */
static void test_not_probed(void **state)
{
	(void)state;
	struct ui_view v;
	screen_view_quiet(&v, &parts);
	locks_init(&parts.snap.locks);
	parts.state.locks.open = true;
	parts.snap.database.check.state = CHECK_NOT_CONFIGURED;
	struct grid g;
	assert_int_equal(grid_init(&g, 80, 24), 0);
	panels_draw(&g, &v);
	char *text = grid_to_text(&g);
	assert_non_null(strstr(text, "| no database is configured"));
	free(text);
	parts.snap.database.check.state = CHECK_PENDING;
	panels_draw(&g, &v);
	text = grid_to_text(&g);
	assert_non_null(strstr(text, "| waiting for the first poll of the database"));
	free(text);
	grid_free(&g);
}

static void test_golden_120x40(void **state)
{
	(void)state;
	struct ui_view v;
	make_chain(&v, false);
	screen_check_golden(&v, 120, 40, "locks_120x40_ascii");
	make_chain(&v, true);
	parts.state.locks.pid = 5001;
	parts.state.locks.running = true;
	parts.state.read_only = true;
	screen_check_golden(&v, 120, 40, "locks_120x40_utf8");
}

/* No chain, a role that cannot see every session: the empty text and the
 * grant that shows them. */
static void test_golden_empty_hidden(void **state)
{
	(void)state;
	struct ui_view v;
	screen_view_quiet(&v, &parts);
	struct lock_status *l = &parts.snap.locks;
	locks_init(l);
	l->probed = true;
	l->hidden = 3;
	snprintf(l->role, sizeof(l->role), "opsdeck");
	locks_build(l);
	parts.state.locks.open = true;
	struct grid g;
	assert_int_equal(grid_init(&g, 80, 24), 0);
	panels_draw(&g, &v);
	char *text = grid_to_text(&g);
	assert_non_null(strstr(text, "no session waits on a lock"));
	assert_non_null(strstr(text, "Running now: no query is running"));
	assert_non_null(
	    strstr(text, "3 sessions hidden from this role: GRANT pg_read_all_stats TO opsdeck;"));
	free(text);
	grid_free(&g);
	screen_check_golden(&v, 80, 24, "locks_empty_80x24");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rows_tree_order),
	    cmocka_unit_test(test_selection_follows_pid),
	    cmocka_unit_test(test_actions),
	    cmocka_unit_test(test_details),
	    cmocka_unit_test(test_golden_80x24_ascii),
	    cmocka_unit_test(test_golden_120x40),
	    cmocka_unit_test(test_golden_empty_hidden),
	    cmocka_unit_test(test_not_probed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
