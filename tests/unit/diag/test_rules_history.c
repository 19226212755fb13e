/* Unit tests for diag/rules_history.c: a history that cannot be written is
 * a low issue naming the problem and [history] dir, while a recorder runs
 * or records exist; quiet when it can be written, when nobody records, when
 * recording is off or the history was not looked at. */
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

/* A history in use (a recorder, records) that cannot be written. */
static void history_in_use(void)
{
	snapshot_init(&now);
	struct history_status *h = &now.history;
	h->looked = true;
	h->enabled = true;
	snprintf(h->dir, sizeof(h->dir), "/var/lib/opsdeck/history");
	h->recorder_pid = 4121;
	h->records = 300;
	snprintf(h->problem, sizeof(h->problem), "the file system of /var/lib/opsdeck is full");
}

static int setup_history(void **state)
{
	setup(state);
	history_in_use();
	return 0;
}

static void test_unwritable_while_recording(void **state)
{
	(void)state;
	diagnose(&now, NULL, &cfg, &d);
	const struct issue *i = must_find(&d, ISSUE_HISTORY_UNWRITABLE);
	assert_int_equal(i->severity, SEVERITY_LOW);
	assert_string_equal(i->id, "history_unwritable");
	assert_string_equal(i->message, "The history cannot be written: the file system of "
	                                "/var/lib/opsdeck is full");
	assert_non_null(strstr(i->recommendation, "[history] dir (/var/lib/opsdeck/history)"));
	/* records and no recorder: still in use */
	now.history.recorder_pid = 0;
	diagnose(&now, NULL, &cfg, &d);
	must_find(&d, ISSUE_HISTORY_UNWRITABLE);
}

static void test_quiet_otherwise(void **state)
{
	(void)state;
	now.history.problem[0] = '\0';
	diagnose(&now, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_HISTORY_UNWRITABLE));
	history_in_use();
	now.history.recorder_pid = 0;
	now.history.records = 0; /* nobody records here */
	diagnose(&now, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_HISTORY_UNWRITABLE));
	history_in_use();
	now.history.enabled = false;
	diagnose(&now, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_HISTORY_UNWRITABLE));
	history_in_use();
	now.history.looked = false;
	diagnose(&now, NULL, &cfg, &d);
	assert_null(find(&d, ISSUE_HISTORY_UNWRITABLE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_unwritable_while_recording, setup_history,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_quiet_otherwise, setup_history, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
