/* Unit tests for history_last_deploy: a poller's starting point for the
 * after_deploy rule, from the history — the last change of version in the
 * last 15 minutes with the start of the first problem a deploy can cause
 * after it; a problem open across the deploy marks it as there before;
 * nothing for an older deploy or without a history. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "history/timeline.h"
#include "store_fixture.h"
#include "util/text.h"

#define NOW 1764900000000LL

/* Appends records every 2 s from `from` to `until` (ms before NOW) with
 * version; an app_down issue in [down_from, down_until) when down_from > 0. */
static void append(struct history_store *s, int64_t from, int64_t until, const char *version,
                   int64_t down_from, int64_t down_until)
{
	struct history_record *r = calloc(1, sizeof(*r));
	for (int64_t ago = from; ago > until; ago -= 2000) {
		history_record_init(r);
		r->at_ms = NOW - ago;
		text_copy(r->version, version, sizeof(r->version));
		text_printf(r->commit, sizeof(r->commit), "c-%s", version);
		if (down_from > 0 && ago <= down_from && ago > down_until) {
			struct history_issue *i = &r->issues[r->issue_count++];
			text_copy(i->id, "app_down", sizeof(i->id));
			text_copy(i->type, "app_down", sizeof(i->type));
			i->severity = SEVERITY_HIGH;
		}
		char warning[256];
		assert_int_equal(history_store_append(s, r, warning, sizeof(warning)), 0);
	}
	free(r);
}

static void test_deploy_and_the_problem_after_it(void **state)
{
	(void)state;
	char *dir = store_fixture_dir();
	struct history_store *s = store_fixture_open(dir);
	append(s, 600000, 300000, "2.4.1", 0, 0);
	/* deployed 300 s ago; down from 260 s ago to 200 s ago */
	append(s, 300000, 0, "2.4.2", 260000, 200000);
	history_store_close(s);
	struct deploy_status d;
	assert_int_equal(history_last_deploy(dir, NOW, &d), 1);
	assert_string_equal(d.from, "2.4.1");
	assert_string_equal(d.to, "2.4.2");
	assert_string_equal(d.commit, "c-2.4.2");
	assert_int_equal(d.at_ms, NOW - 300000);
	assert_int_equal(d.problem_at_ms, NOW - 260000);
	store_fixture_remove(dir);
	free(dir);
}

static void test_problem_there_before(void **state)
{
	(void)state;
	char *dir = store_fixture_dir();
	struct history_store *s = store_fixture_open(dir);
	append(s, 600000, 300000, "2.4.1", 400000, 0);
	append(s, 300000, 0, "2.4.2", 300000, 200000);
	history_store_close(s);
	struct deploy_status d;
	assert_int_equal(history_last_deploy(dir, NOW, &d), 1);
	assert_int_equal(d.problem_at_ms, DEPLOY_PROBLEMS_BEFORE);
	store_fixture_remove(dir);
	free(dir);
}

static void test_none(void **state)
{
	(void)state;
	char *dir = store_fixture_dir();
	struct deploy_status d;
	assert_int_equal(history_last_deploy(dir, NOW, &d), 0); /* no history */
	assert_int_equal(d.at_ms, 0);
	struct history_store *s = store_fixture_open(dir);
	append(s, 3600000, 1800000, "2.4.1", 0, 0); /* deployed 30 min ago */
	append(s, 1800000, 0, "2.4.2", 0, 0);
	history_store_close(s);
	assert_int_equal(history_last_deploy(dir, NOW, &d), 0);
	assert_int_equal(d.at_ms, 0);
	store_fixture_remove(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_deploy_and_the_problem_after_it),
	    cmocka_unit_test(test_problem_there_before),
	    cmocka_unit_test(test_none),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
