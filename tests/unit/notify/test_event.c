/* Unit tests for notify/event: the line for people, the JSON and Slack
 * bodies (valid JSON whatever the text holds, redacted), and which audit
 * records are told. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "model/redact.h"
#include "notify/event.h"
#include "util/text.h"

static const struct notify_origin ORIGIN = {
    .app = "shop", .environment = "production", .host = "web-1"};

static struct notify_event opened(const char *message)
{
	struct notify_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.kind = NOTIFY_ISSUE_OPENED;
	ev.at_ms = 1796432548323;
	text_copy(ev.issue_id, "error_rate", sizeof(ev.issue_id));
	text_copy(ev.issue_type, "error_rate", sizeof(ev.issue_type));
	ev.severity = SEVERITY_HIGH;
	text_copy(ev.message, message, sizeof(ev.message));
	ev.open_ms = ev.duration_ms = -1;
	return ev;
}

/* The body of ev as parsed JSON (the test fails when it is not JSON). */
static json_object *body(const struct notify_event *ev, enum notify_format format)
{
	struct strbuf b;
	strbuf_init(&b, 0);
	notify_event_body(ev, &ORIGIN, format, &b);
	json_object *o = json_tokener_parse(strbuf_str(&b));
	strbuf_free(&b);
	assert_non_null(o);
	return o;
}

static const char *field(json_object *o, const char *a, const char *b)
{
	json_object *v;
	if (!json_object_object_get_ex(o, a, &v))
		return NULL;
	if (b && !json_object_object_get_ex(v, b, &v))
		return NULL;
	return json_object_get_string(v);
}

static void test_formats(void **state)
{
	(void)state;
	enum notify_format f;
	assert_int_equal(notify_format_parse("json", &f), 0);
	assert_int_equal(f, NOTIFY_FORMAT_JSON);
	assert_int_equal(notify_format_parse("slack", &f), 0);
	assert_int_equal(f, NOTIFY_FORMAT_SLACK);
	assert_int_equal(notify_format_parse("xml", &f), -1);
}

static void test_json_body(void **state)
{
	(void)state;
	struct notify_event ev = opened("Error rate 42%");
	json_object *o = body(&ev, NOTIFY_FORMAT_JSON);
	assert_string_equal(field(o, "source", NULL), "opsdeck");
	assert_string_equal(field(o, "event", NULL), "issue_opened");
	assert_string_equal(field(o, "app", NULL), "shop");
	assert_string_equal(field(o, "environment", NULL), "production");
	assert_string_equal(field(o, "host", NULL), "web-1");
	assert_string_equal(field(o, "at", NULL), "2026-12-05T01:02:28.323Z");
	assert_string_equal(field(o, "issue", "id"), "error_rate");
	assert_string_equal(field(o, "issue", "severity"), "high");
	assert_string_equal(field(o, "text", NULL),
	                    "shop (production): issue opened: error_rate (high): Error rate 42%");
	json_object_put(o);
}

static void test_slack_body_is_text_alone(void **state)
{
	(void)state;
	struct notify_event ev = opened("Error rate 42%");
	json_object *o = body(&ev, NOTIFY_FORMAT_SLACK);
	assert_int_equal(json_object_object_length(o), 1);
	assert_non_null(strstr(field(o, "text", NULL), "error_rate (high)"));
	json_object_put(o);
}

static void test_hostile_text_stays_json_and_secrets_go(void **state)
{
	(void)state;
	redact_register("hunter2-secret");
	struct notify_event ev = opened("quote \" backslash \\ newline \n bell \a esc \x1b[31m "
	                                "password hunter2-secret");
	json_object *o = body(&ev, NOTIFY_FORMAT_JSON);
	const char *message = field(o, "issue", "message");
	assert_null(strstr(message, "hunter2-secret"));
	assert_null(strchr(message, '\n'));
	assert_null(strchr(message, '\x1b'));
	assert_non_null(strstr(message, "quote \" backslash \\"));
	json_object_put(o);
	redact_clear();
}

static void test_lines_for_each_kind(void **state)
{
	(void)state;
	struct notify_event ev = opened("m");
	ev.kind = NOTIFY_ISSUE_CLEARED;
	ev.open_ms = 192000;
	struct strbuf b;
	strbuf_init(&b, 0);
	notify_event_text(&ev, &ORIGIN, &b);
	assert_non_null(strstr(strbuf_str(&b), "issue cleared: error_rate (was high), open 3m12s"));
	strbuf_reset(&b);
	ev.kind = NOTIFY_ISSUE_ESCALATED;
	ev.old_severity = SEVERITY_MEDIUM;
	ev.held_changes = 2;
	notify_event_text(&ev, &ORIGIN, &b);
	assert_non_null(
	    strstr(strbuf_str(&b), "issue error_rate: medium -> high: m (2 changes held"));
	strbuf_reset(&b);
	struct notify_event held = {.kind = NOTIFY_HELD_BACK, .held_count = 7};
	struct notify_origin bare = {.app = "shop", .environment = "", .host = ""};
	notify_event_text(&held, &bare, &b);
	assert_string_equal(strbuf_str(&b),
	                    "shop: 7 notifications held back by [notify] max_per_hour");
	strbuf_free(&b);
}

static void test_audit_records(void **state)
{
	(void)state;
	struct notify_event ev;
	const char *outcome = "{\"time\":\"2026-12-05T01:20:00.000Z\",\"phase\":\"outcome\","
	                      "\"action\":\"backup-db\",\"result\":\"ok\",\"target\":\"s3://b/p\","
	                      "\"dry_run\":false,\"duration_ms\":1200,\"user\":\"alice\","
	                      "\"detail\":\"stored\"}";
	assert_int_equal(notify_event_from_audit(outcome, &ev), 1);
	assert_int_equal(ev.kind, NOTIFY_ACTION_ENDED);
	assert_string_equal(ev.action, "backup-db");
	assert_string_equal(ev.result, "ok");
	assert_string_equal(ev.target, "s3://b/p");
	assert_string_equal(ev.user, "alice");
	assert_string_equal(ev.detail, "stored");
	assert_int_equal(ev.duration_ms, 1200);
	struct strbuf b;
	strbuf_init(&b, 0);
	notify_event_text(&ev, &ORIGIN, &b);
	assert_non_null(
	    strstr(strbuf_str(&b), "backup-db ok in 1.2 s on s3://b/p by alice: stored"));
	strbuf_free(&b);
	assert_int_equal(
	    notify_event_from_audit("{\"phase\":\"attempt\",\"action\":\"backup-db\"}", &ev), 0);
	assert_int_equal(notify_event_from_audit("{\"phase\":\"outcome\",\"result\":\"ok\","
	                                         "\"dry_run\":true}",
	                                         &ev),
	                 0);
	assert_int_equal(
	    notify_event_from_audit("{\"phase\":\"outcome\",\"result\":\"declined\"}", &ev), 0);
	assert_int_equal(notify_event_from_audit("not json at all", &ev), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_formats),
	    cmocka_unit_test(test_json_body),
	    cmocka_unit_test(test_slack_body_is_text_alone),
	    cmocka_unit_test(test_hostile_text_stays_json_and_secrets_go),
	    cmocka_unit_test(test_lines_for_each_kind),
	    cmocka_unit_test(test_audit_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
