/* Unit tests for history/changes: the recorder's lines for check state
 * changes, issues opened, cleared and changing severity, a new version. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "history/changes.h"
#include "util/text.h"

static void add_issue(struct history_record *r, const char *id, enum issue_severity severity,
                      const char *message)
{
	struct history_issue *i = &r->issues[r->issue_count++];
	text_copy(i->id, id, sizeof(i->id));
	text_copy(i->type, id, sizeof(i->type));
	i->severity = severity;
	text_copy(i->message, message, sizeof(i->message));
}

static void test_first_poll_lists_what_is_wrong(void **state)
{
	(void)state;
	struct history_record *cur = calloc(1, sizeof(*cur));
	history_record_add_check(cur, "database", CHECK_OK);
	history_record_add_check(cur, "redis", CHECK_UNHEALTHY);
	history_record_add_check(cur, "pgbouncer", CHECK_NOT_CONFIGURED);
	add_issue(cur, "redis_down", SEVERITY_HIGH, "Redis did not answer");
	struct strbuf out;
	strbuf_init(&out, 0);
	assert_int_equal(history_changes(NULL, cur, &out), 2);
	assert_string_equal(strbuf_str(&out),
	                    "check redis: pending -> unhealthy\n"
	                    "issue opened: redis_down (high): Redis did not answer\n");
	strbuf_free(&out);
	free(cur);
}

static void test_changes_between_polls(void **state)
{
	(void)state;
	struct history_record *prev = calloc(1, sizeof(*prev));
	struct history_record *cur = calloc(1, sizeof(*cur));
	history_record_add_check(prev, "health", CHECK_OK);
	history_record_add_check(cur, "health", CHECK_UNHEALTHY);
	history_record_add_check(prev, "redis", CHECK_OK);
	history_record_add_check(cur, "redis", CHECK_OK);
	add_issue(prev, "error_rate", SEVERITY_MEDIUM, "errors 6%");
	add_issue(cur, "error_rate", SEVERITY_HIGH, "errors 30%");
	add_issue(prev, "storage_full:/srv", SEVERITY_HIGH, "95% used");
	add_issue(cur, "app_down", SEVERITY_HIGH, "health answered 500");
	text_copy(prev->version, "2.4.1", sizeof(prev->version));
	text_copy(cur->version, "2.4.2", sizeof(cur->version));
	struct strbuf out;
	strbuf_init(&out, 0);
	assert_int_equal(history_changes(prev, cur, &out), 5);
	assert_string_equal(strbuf_str(&out), "check health: ok -> unhealthy\n"
	                                      "issue error_rate: medium -> high\n"
	                                      "issue opened: app_down (high): health answered 500\n"
	                                      "issue cleared: storage_full:/srv\n"
	                                      "version: 2.4.1 -> 2.4.2\n");
	/* nothing changed: no line, a message's figure alone is no change */
	strbuf_reset(&out);
	assert_int_equal(history_changes(cur, cur, &out), 0);
	assert_string_equal(strbuf_str(&out), "");
	strbuf_free(&out);
	free(prev);
	free(cur);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_first_poll_lists_what_is_wrong),
	    cmocka_unit_test(test_changes_between_polls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
