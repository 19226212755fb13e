/* test_recheck.c - before -> after lines for the issues an action
 * addresses (the pure part of job/recheck.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "job/recheck.h"

static void add_issue(struct diagnosis *d, enum issue_type type, const char *id,
                      const char *message, const char *action)
{
	struct issue *i = &d->issues[d->count++];
	memset(i, 0, sizeof(*i));
	i->type = type;
	strcpy(i->id, id);
	strcpy(i->message, message);
	if (action) {
		strcpy(i->actions[0], action);
		i->action_count = 1;
	}
}

struct fixture {
	struct snapshot before, after;
	struct diagnosis before_issues, after_issues;
	struct strbuf out;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	snapshot_init(&f->before);
	snapshot_init(&f->after);
	strbuf_init(&f->out, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	strbuf_free(&f->out);
	free(f);
	return 0;
}

static void test_cleared_with_figures(void **state)
{
	struct fixture *f = *state;
	f->before.requests.error_rate = 0.072;
	f->after.requests.error_rate = 0.004;
	add_issue(&f->before_issues, ISSUE_ERROR_RATE, "error_rate", "Error rate 7.2%",
	          "restart-app");
	add_issue(&f->before_issues, ISSUE_STORAGE_FULL, "storage_full:/", "disk", NULL);
	add_issue(&f->after_issues, ISSUE_STORAGE_FULL, "storage_full:/", "disk", NULL);
	int present = recheck_compare("restart-app", NULL, &f->before, &f->before_issues, &f->after,
	                              &f->after_issues, &f->out);
	assert_int_equal(present, 0);
	assert_string_equal(strbuf_str(&f->out),
	                    "error_rate: error rate 7.2 % -> 0.4 %, issue cleared\n");
}

static void test_still_present(void **state)
{
	struct fixture *f = *state;
	f->before.health.status_code = 500;
	f->after.health.status_code = 502;
	add_issue(&f->before_issues, ISSUE_APP_DOWN, "app_down", "HTTP 500", "restart-app");
	add_issue(&f->after_issues, ISSUE_APP_DOWN, "app_down", "HTTP 502", "restart-app");
	int present = recheck_compare("clear-cache", "app_down", &f->before, &f->before_issues,
	                              &f->after, &f->after_issues, &f->out);
	assert_int_equal(present, 1);
	assert_string_equal(strbuf_str(&f->out), "app_down: health HTTP 500 -> 502, still present\n"
	                                         "  now: HTTP 502\n");
}

static void test_nothing_relevant(void **state)
{
	struct fixture *f = *state;
	add_issue(&f->after_issues, ISSUE_STORAGE_FULL, "storage_full:/", "disk", NULL);
	assert_int_equal(recheck_compare("clear-cache", NULL, &f->before, &f->before_issues,
	                                 &f->after, &f->after_issues, &f->out),
	                 0);
	assert_string_equal(
	    strbuf_str(&f->out),
	    "no issue that clear-cache addresses was present before; now 1 issue\n");
}

/* terminate-query started from the Slow queries panel (no focus) ended the
 * blocker: the lock it acted on is compared, though the issue suggested
 * another action. */
static void test_addressed_whatever_the_panel(void **state)
{
	struct fixture *f = *state;
	f->before.database.lock_waiters = 2;
	f->after.database.lock_waiters = 0;
	f->before.requests.error_rate = f->after.requests.error_rate = 0.072;
	f->before.requests.error_rate = f->after.requests.error_rate = 0.072;
	add_issue(&f->before_issues, ISSUE_LOCK_WAITERS, "lock_waiters",
	          "2 backends are waiting on a lock", "cancel-query");
	add_issue(&f->before_issues, ISSUE_ERROR_RATE, "error_rate", "errors", "restart-app");
	add_issue(&f->after_issues, ISSUE_ERROR_RATE, "error_rate", "errors", "restart-app");
	assert_int_equal(recheck_compare("terminate-query", NULL, &f->before, &f->before_issues,
	                                 &f->after, &f->after_issues, &f->out),
	                 0);
	assert_string_equal(strbuf_str(&f->out),
	                    "lock_waiters: lock waiters 2 -> 0, issue cleared\n");
	/* from another issue: that one and the ones it addresses */
	strbuf_reset(&f->out);
	assert_int_equal(recheck_compare("terminate-query", "error_rate", &f->before,
	                                 &f->before_issues, &f->after, &f->after_issues, &f->out),
	                 1);
	assert_string_equal(strbuf_str(&f->out),
	                    "lock_waiters: lock waiters 2 -> 0, issue cleared\n"
	                    "error_rate: error rate 7.2 %, unchanged, still present\n"
	                    "  now: errors\n");
	/* a parenthesis is not cut in two */
	strbuf_reset(&f->out);
	f->before.database.connections_idle_in_tx = f->after.database.connections_idle_in_tx = 1;
	f->before.database.longest_idle_in_tx_s = 8;
	f->after.database.longest_idle_in_tx_s = 9;
	struct diagnosis idle = {.count = 0};
	add_issue(&idle, ISSUE_IDLE_IN_TRANSACTION, "idle_in_transaction", "idle", NULL);
	recheck_compare("terminate-query", NULL, &f->before, &idle, &f->after, &idle, &f->out);
	assert_string_equal(
	    strbuf_str(&f->out),
	    "idle_in_transaction: 1 idle in transaction (longest 8.0 s) -> (longest "
	    "9.0 s), still present\n"
	    "  now: idle\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_cleared_with_figures, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_still_present, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nothing_relevant, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_addressed_whatever_the_panel, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
