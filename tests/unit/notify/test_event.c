/* Unit tests for notify/event: the format names, the line for people, the
 * webhook bodies (JSON and Slack's) as JSON that parses whatever the texts
 * hold, redacted, and audit log lines read as action events. */
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
#include "util/strbuf.h"
#include "util/text.h"

#define T0 ((int64_t)1796432556533) /* 2026-12-05T01:02:36.533Z */

static const struct notify_origin ORIGIN = {
    .app = "shop",
    .environment = "production",
    .host = "web-1",
};

static struct notify_event issue_event(enum notify_kind kind, const char *id, const char *type,
                                       enum issue_severity severity, const char *message)
{
	struct notify_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.at_ms = T0;
	text_copy(ev.issue_id, id, sizeof(ev.issue_id));
	text_copy(ev.issue_type, type, sizeof(ev.issue_type));
	ev.severity = severity;
	ev.old_severity = severity;
	text_copy(ev.message, message, sizeof(ev.message));
	ev.open_ms = -1;
	ev.duration_ms = -1;
	return ev;
}

static struct notify_event action_event(const char *action, const char *result)
{
	struct notify_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.kind = NOTIFY_ACTION_ENDED;
	ev.at_ms = T0;
	text_copy(ev.action, action, sizeof(ev.action));
	text_copy(ev.result, result, sizeof(ev.result));
	text_copy(ev.target, "s3://bucket/prefix", sizeof(ev.target));
	text_copy(ev.detail, "uploaded 12 MB", sizeof(ev.detail));
	text_copy(ev.user, "alice", sizeof(ev.user));
	ev.duration_ms = 2310;
	ev.open_ms = -1;
	return ev;
}

static struct notify_event held_event(int count)
{
	struct notify_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.kind = NOTIFY_HELD_BACK;
	ev.at_ms = T0;
	ev.held_count = count;
	ev.open_ms = -1;
	ev.duration_ms = -1;
	return ev;
}

static char *text_of(const struct notify_event *ev, const struct notify_origin *origin)
{
	struct strbuf b;
	strbuf_init(&b, 0);
	notify_event_text(ev, origin, &b);
	return strbuf_take(&b);
}

/* The body checked to be JSON by the grammar's rules on what a string may
 * hold (json-c takes a raw control byte in a string), then parsed strictly,
 * as UTF-8. */
static json_object *body_of(const struct notify_event *ev, const struct notify_origin *origin,
                            enum notify_format format)
{
	struct strbuf b;
	strbuf_init(&b, 0);
	notify_event_body(ev, origin, format, &b);
	const char *s = strbuf_str(&b);
	bool in_string = false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (!in_string) {
			if (*p == '"')
				in_string = true;
			else if (*p < 0x20 && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
				fail_msg("control byte 0x%02x outside a string in %s", *p, s);
			continue;
		}
		if (*p < 0x20)
			fail_msg("raw control byte 0x%02x in a string in %s", *p, s);
		if (*p == '"') {
			in_string = false;
		} else if (*p == '\\') {
			p++;
			if (!*p || !strchr("\"\\/bfnrtu", *p))
				fail_msg("bad escape in %s", s);
		}
	}
	assert_false(in_string);
	json_tokener *tok = json_tokener_new();
	assert_non_null(tok);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	json_object *o = json_tokener_parse_ex(tok, s, (int)strlen(s));
	if (!o || json_tokener_get_error(tok) != json_tokener_success)
		fail_msg("not JSON (%s): %s", json_tokener_error_desc(json_tokener_get_error(tok)),
		         s);
	json_tokener_free(tok);
	assert_true(json_object_is_type(o, json_type_object));
	strbuf_free(&b);
	return o;
}

static json_object *member(json_object *o, const char *key)
{
	json_object *v = NULL;
	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("no \"%s\" in %s", key, json_object_to_json_string(o));
	return v;
}

static const char *string_member(json_object *o, const char *key)
{
	json_object *v = member(o, key);
	assert_true(json_object_is_type(v, json_type_string));
	return json_object_get_string(v);
}

static bool has_member(json_object *o, const char *key)
{
	return json_object_object_get_ex(o, key, NULL);
}

static void test_format_parse(void **state)
{
	(void)state;
	enum notify_format f = NOTIFY_FORMAT_SLACK;
	assert_int_equal(notify_format_parse("json", &f), 0);
	assert_int_equal(f, NOTIFY_FORMAT_JSON);
	assert_int_equal(notify_format_parse("slack", &f), 0);
	assert_int_equal(f, NOTIFY_FORMAT_SLACK);
	static const char *const bad[] = {"", "xml", "jsonx", "slac", "slack ", " json", "text"};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		f = NOTIFY_FORMAT_SLACK;
		if (notify_format_parse(bad[k], &f) != -1)
			fail_msg("format '%s' was taken", bad[k]);
	}
}

static void test_kind_names(void **state)
{
	(void)state;
	assert_string_equal(notify_kind_name(NOTIFY_ISSUE_OPENED), "issue_opened");
	assert_string_equal(notify_kind_name(NOTIFY_ISSUE_CLEARED), "issue_cleared");
	assert_string_equal(notify_kind_name(NOTIFY_ISSUE_ESCALATED), "issue_escalated");
	assert_string_equal(notify_kind_name(NOTIFY_ACTION_ENDED), "action_ended");
	assert_string_equal(notify_kind_name(NOTIFY_HELD_BACK), "held_back");
}

static void test_text(void **state)
{
	(void)state;
	struct notify_event opened = issue_event(NOTIFY_ISSUE_OPENED, "redis_down", "redis_down",
	                                         SEVERITY_HIGH, "Redis is not answering");
	char *s = text_of(&opened, &ORIGIN);
	assert_non_null(strstr(s, "shop"));
	assert_non_null(strstr(s, "production"));
	assert_non_null(strstr(s, "opened"));
	assert_non_null(strstr(s, "redis_down"));
	assert_non_null(strstr(s, "high"));
	assert_non_null(strstr(s, "Redis is not answering"));
	assert_null(strchr(s, '\n'));
	free(s);

	struct notify_event cleared = issue_event(NOTIFY_ISSUE_CLEARED, "storage_full:/srv",
	                                          "storage_full", SEVERITY_MEDIUM, "91% used");
	cleared.open_ms = 300000;
	s = text_of(&cleared, &ORIGIN);
	assert_non_null(strstr(s, "storage_full:/srv"));
	assert_null(strchr(s, '\n'));
	free(s);

	struct notify_event escalated = issue_event(NOTIFY_ISSUE_ESCALATED, "error_rate",
	                                            "error_rate", SEVERITY_HIGH, "errors 30%");
	escalated.old_severity = SEVERITY_MEDIUM;
	s = text_of(&escalated, &ORIGIN);
	assert_non_null(strstr(s, "error_rate"));
	assert_non_null(strstr(s, "high"));
	assert_null(strchr(s, '\n'));
	free(s);

	struct notify_event action = action_event("backup-db", "failed");
	s = text_of(&action, &ORIGIN);
	assert_non_null(strstr(s, "backup-db"));
	assert_non_null(strstr(s, "failed"));
	assert_null(strchr(s, '\n'));
	free(s);

	struct notify_event held = held_event(7);
	s = text_of(&held, &ORIGIN);
	assert_non_null(strstr(s, "7"));
	assert_non_null(strstr(s, "shop"));
	assert_null(strchr(s, '\n'));
	free(s);
}

static void test_text_appends(void **state)
{
	(void)state;
	struct notify_event ev = issue_event(NOTIFY_ISSUE_OPENED, "app_down", "app_down",
	                                     SEVERITY_HIGH, "health answered 503");
	struct strbuf b;
	strbuf_init(&b, 0);
	strbuf_puts(&b, "before|");
	notify_event_text(&ev, &ORIGIN, &b);
	assert_true(text_starts_with(strbuf_str(&b), "before|"));
	assert_non_null(strstr(strbuf_str(&b), "app_down"));
	strbuf_free(&b);

	strbuf_init(&b, 0);
	strbuf_puts(&b, "before|");
	notify_event_body(&ev, &ORIGIN, NOTIFY_FORMAT_JSON, &b);
	assert_true(text_starts_with(strbuf_str(&b), "before|"));
	json_object *o = json_tokener_parse(strbuf_str(&b) + strlen("before|"));
	assert_non_null(o);
	json_object_put(o);
	strbuf_free(&b);
}

static void test_body_issue_opened(void **state)
{
	(void)state;
	struct notify_event ev =
	    issue_event(NOTIFY_ISSUE_OPENED, "app_down", "app_down", SEVERITY_HIGH,
	                "The app's health check failed: HTTP 503");
	json_object *o = body_of(&ev, &ORIGIN, NOTIFY_FORMAT_JSON);
	assert_string_equal(string_member(o, "source"), "opsdeck");
	assert_string_equal(string_member(o, "event"), notify_kind_name(NOTIFY_ISSUE_OPENED));
	assert_string_equal(string_member(o, "event"), "issue_opened");
	assert_string_equal(string_member(o, "app"), "shop");
	assert_string_equal(string_member(o, "environment"), "production");
	assert_string_equal(string_member(o, "host"), "web-1");
	assert_string_equal(string_member(o, "at"), "2026-12-05T01:02:36.533Z");
	char *text = text_of(&ev, &ORIGIN);
	assert_string_equal(string_member(o, "text"), text);
	free(text);
	json_object *issue = member(o, "issue");
	assert_true(json_object_is_type(issue, json_type_object));
	assert_string_equal(string_member(issue, "id"), "app_down");
	assert_string_equal(string_member(issue, "type"), "app_down");
	assert_string_equal(string_member(issue, "severity"), "high");
	assert_string_equal(string_member(issue, "message"),
	                    "The app's health check failed: HTTP 503");
	assert_false(has_member(issue, "previous_severity"));
	assert_false(has_member(issue, "open_seconds"));
	assert_int_equal(json_object_get_int(member(o, "held_changes")), 0);
	assert_false(has_member(o, "action"));
	json_object_put(o);
}

static void test_body_issue_escalated_and_cleared(void **state)
{
	(void)state;
	struct notify_event ev = issue_event(NOTIFY_ISSUE_ESCALATED, "error_rate", "error_rate",
	                                     SEVERITY_HIGH, "errors 30%");
	ev.old_severity = SEVERITY_MEDIUM;
	json_object *o = body_of(&ev, &ORIGIN, NOTIFY_FORMAT_JSON);
	assert_string_equal(string_member(o, "event"), "issue_escalated");
	json_object *issue = member(o, "issue");
	assert_string_equal(string_member(issue, "id"), "error_rate");
	assert_string_equal(string_member(issue, "severity"), "high");
	assert_string_equal(string_member(issue, "previous_severity"), "medium");
	json_object_put(o);

	ev = issue_event(NOTIFY_ISSUE_CLEARED, "storage_full:/srv", "storage_full", SEVERITY_MEDIUM,
	                 "91% used");
	ev.open_ms = 300000;
	ev.held_changes = 3;
	o = body_of(&ev, &ORIGIN, NOTIFY_FORMAT_JSON);
	assert_string_equal(string_member(o, "event"), "issue_cleared");
	issue = member(o, "issue");
	assert_string_equal(string_member(issue, "id"), "storage_full:/srv");
	assert_string_equal(string_member(issue, "type"), "storage_full");
	assert_string_equal(string_member(issue, "severity"), "medium");
	assert_int_equal(json_object_get_int64(member(issue, "open_seconds")), 300);
	assert_int_equal(json_object_get_int(member(o, "held_changes")), 3);
	json_object_put(o);

	/* the opening not seen: no open_seconds */
	ev.open_ms = -1;
	o = body_of(&ev, &ORIGIN, NOTIFY_FORMAT_JSON);
	assert_false(has_member(member(o, "issue"), "open_seconds"));
	json_object_put(o);
}

static void test_body_action(void **state)
{
	(void)state;
	struct notify_event ev = action_event("backup-db", "ok");
	json_object *o = body_of(&ev, &ORIGIN, NOTIFY_FORMAT_JSON);
	assert_string_equal(string_member(o, "source"), "opsdeck");
	assert_string_equal(string_member(o, "event"), notify_kind_name(NOTIFY_ACTION_ENDED));
	assert_string_equal(string_member(o, "app"), "shop");
	assert_string_equal(string_member(o, "environment"), "production");
	json_object *action = member(o, "action");
	assert_true(json_object_is_type(action, json_type_object));
	assert_string_equal(string_member(action, "name"), "backup-db");
	assert_string_equal(string_member(action, "result"), "ok");
	assert_string_equal(string_member(action, "target"), "s3://bucket/prefix");
	assert_string_equal(string_member(action, "detail"), "uploaded 12 MB");
	assert_string_equal(string_member(action, "user"), "alice");
	assert_int_equal(json_object_get_int64(member(action, "duration_ms")), 2310);
	assert_false(has_member(o, "issue"));
	json_object_put(o);
}

static void test_body_held_back(void **state)
{
	(void)state;
	struct notify_event ev = held_event(7);
	json_object *o = body_of(&ev, &ORIGIN, NOTIFY_FORMAT_JSON);
	assert_string_equal(string_member(o, "event"), "held_back");
	assert_int_equal(json_object_get_int(member(o, "held")), 7);
	assert_false(has_member(o, "issue"));
	assert_false(has_member(o, "action"));
	json_object_put(o);
}

static void test_body_empty_environment(void **state)
{
	(void)state;
	const struct notify_origin origin = {.app = "shop", .environment = "", .host = "web-1"};
	struct notify_event ev = issue_event(NOTIFY_ISSUE_OPENED, "redis_down", "redis_down",
	                                     SEVERITY_HIGH, "Redis is not answering");
	json_object *o = body_of(&ev, &origin, NOTIFY_FORMAT_JSON);
	assert_string_equal(string_member(o, "environment"), "");
	assert_string_equal(string_member(o, "app"), "shop");
	json_object_put(o);
}

static void test_body_slack(void **state)
{
	(void)state;
	struct notify_event events[] = {
	    issue_event(NOTIFY_ISSUE_OPENED, "redis_down", "redis_down", SEVERITY_HIGH,
	                "Redis is not answering"),
	    issue_event(NOTIFY_ISSUE_CLEARED, "redis_down", "redis_down", SEVERITY_HIGH,
	                "Redis is not answering"),
	    action_event("restore-db", "cancelled"),
	    held_event(4),
	};
	for (size_t k = 0; k < sizeof(events) / sizeof(events[0]); k++) {
		json_object *o = body_of(&events[k], &ORIGIN, NOTIFY_FORMAT_SLACK);
		assert_int_equal(json_object_object_length(o), 1);
		char *text = text_of(&events[k], &ORIGIN);
		assert_string_equal(string_member(o, "text"), text);
		free(text);
		json_object_put(o);
	}
	json_object *o = body_of(&events[0], &ORIGIN, NOTIFY_FORMAT_SLACK);
	assert_non_null(strstr(string_member(o, "text"), "redis_down"));
	json_object_put(o);
	o = body_of(&events[2], &ORIGIN, NOTIFY_FORMAT_SLACK);
	assert_non_null(strstr(string_member(o, "text"), "restore-db"));
	json_object_put(o);
}

static void test_body_hostile_texts(void **state)
{
	(void)state;
	static const char nasty[] = "said \"hi\" back\\slash\nnew line\ttab\r\x01\x02\x1b[31mred"
	                            "\x7f \xc3\xa9t\xc3\xa9 \xff\xfe\xc3 \\u0000 end\\";
	const struct notify_origin origin = {
	    .app = "sh\"op\\", .environment = "pro\nd\x01", .host = "we\"b\\-1"};
	struct notify_event ev = issue_event(NOTIFY_ISSUE_OPENED, "storage_full:/a\"b\\c",
	                                     "storage_full", SEVERITY_HIGH, nasty);
	for (int format = NOTIFY_FORMAT_JSON; format <= NOTIFY_FORMAT_SLACK; format++) {
		json_object *o = body_of(&ev, &origin, (enum notify_format)format);
		if (format == NOTIFY_FORMAT_JSON) {
			const char *message = string_member(member(o, "issue"), "message");
			assert_non_null(strstr(message, "\"hi\""));
			assert_non_null(strstr(message, "back\\slash"));
			assert_string_equal(string_member(member(o, "issue"), "id"),
			                    "storage_full:/a\"b\\c");
		} else {
			assert_int_equal(json_object_object_length(o), 1);
			assert_non_null(strstr(string_member(o, "text"), "\"hi\""));
		}
		json_object_put(o);
	}
	struct notify_event action = action_event("clear-cache", "failed");
	text_copy(action.detail, nasty, sizeof(action.detail));
	text_copy(action.target, "redis://\"x\"\\\n\x01/0", sizeof(action.target));
	text_copy(action.user, "al\"ice\\", sizeof(action.user));
	for (int format = NOTIFY_FORMAT_JSON; format <= NOTIFY_FORMAT_SLACK; format++) {
		json_object *o = body_of(&action, &origin, (enum notify_format)format);
		if (format == NOTIFY_FORMAT_JSON) {
			json_object *a = member(o, "action");
			assert_non_null(strstr(string_member(a, "detail"), "\"hi\""));
			assert_string_equal(string_member(a, "user"), "al\"ice\\");
		}
		json_object_put(o);
	}
	/* a message filling its field whole */
	struct notify_event full =
	    issue_event(NOTIFY_ISSUE_OPENED, "app_down", "app_down", SEVERITY_HIGH, "");
	memset(full.message, '"', sizeof(full.message) - 1);
	full.message[sizeof(full.message) - 1] = '\0';
	json_object *o = body_of(&full, &ORIGIN, NOTIFY_FORMAT_JSON);
	assert_int_equal(strlen(string_member(member(o, "issue"), "message")),
	                 sizeof(full.message) - 1);
	json_object_put(o);
}

static void test_body_redacted(void **state)
{
	(void)state;
	static const char secret[] = "hunter2-very-secret";
	redact_register(secret);
	struct notify_event ev =
	    issue_event(NOTIFY_ISSUE_OPENED, "app_down", "app_down", SEVERITY_HIGH,
	                "login failed with hunter2-very-secret");
	struct notify_event action = action_event("restart-app", "failed");
	text_copy(action.detail, "command said hunter2-very-secret", sizeof(action.detail));
	for (int format = NOTIFY_FORMAT_JSON; format <= NOTIFY_FORMAT_SLACK; format++) {
		struct strbuf b;
		strbuf_init(&b, 0);
		notify_event_body(&ev, &ORIGIN, (enum notify_format)format, &b);
		notify_event_body(&action, &ORIGIN, (enum notify_format)format, &b);
		assert_null(strstr(strbuf_str(&b), secret));
		strbuf_free(&b);
	}
	redact_clear();
}

static void test_from_audit_outcome(void **state)
{
	(void)state;
	static const char line[] =
	    "{\"time\":\"2026-12-05T01:02:36.533Z\",\"user\":\"alice\",\"uid\":1000,"
	    "\"ssh_client\":\"10.0.0.9\",\"host\":\"web-1\",\"action\":\"backup-db\","
	    "\"target\":\"s3://bucket/prefix\",\"arguments\":null,\"dry_run\":false,"
	    "\"phase\":\"outcome\",\"result\":\"ok\",\"detail\":\"uploaded 12 MB\","
	    "\"duration_ms\":2310,\"id\":\"0b6c52a4-1f57-4c1e-9d1a-6c6f1b2f9a10\"}\n";
	struct notify_event ev;
	memset(&ev, 0x5a, sizeof(ev));
	assert_int_equal(notify_event_from_audit(line, &ev), 1);
	assert_int_equal(ev.kind, NOTIFY_ACTION_ENDED);
	assert_string_equal(ev.action, "backup-db");
	assert_string_equal(ev.result, "ok");
	assert_string_equal(ev.target, "s3://bucket/prefix");
	assert_string_equal(ev.detail, "uploaded 12 MB");
	assert_string_equal(ev.user, "alice");
	assert_int_equal(ev.duration_ms, 2310);
	assert_int_equal(ev.at_ms, T0);
}

static void test_from_audit_other_results(void **state)
{
	(void)state;
	struct notify_event ev;
	/* failed, refused and cancelled runs are told, as they are */
	static const char failed[] =
	    "{\"time\":\"2026-12-05T01:02:36.533Z\",\"user\":\"bob\",\"action\":\"clear-cache\","
	    "\"target\":\"redis://cache:6379/0\",\"dry_run\":false,\"phase\":\"outcome\","
	    "\"result\":\"failed\",\"detail\":\"FLUSHDB: connection refused\","
	    "\"duration_ms\":12,\"id\":\"x\"}";
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(notify_event_from_audit(failed, &ev), 1);
	assert_string_equal(ev.action, "clear-cache");
	assert_string_equal(ev.result, "failed");
	assert_string_equal(ev.user, "bob");
	assert_string_equal(ev.detail, "FLUSHDB: connection refused");
	assert_int_equal(ev.duration_ms, 12);
	static const char refused[] =
	    "{\"time\":\"2026-12-05T01:02:36.533Z\",\"user\":\"bob\",\"action\":\"restore-db\","
	    "\"target\":\"db\",\"dry_run\":false,\"phase\":\"outcome\",\"result\":\"refused\","
	    "\"detail\":\"no backup\",\"duration_ms\":0,\"id\":\"y\"}";
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(notify_event_from_audit(refused, &ev), 1);
	assert_string_equal(ev.result, "refused");
	assert_int_equal(ev.duration_ms, 0);
	/* no time and no duration recorded */
	static const char bare[] = "{\"action\":\"restart-app\",\"dry_run\":false,"
	                           "\"phase\":\"outcome\",\"result\":\"cancelled\","
	                           "\"duration_ms\":null}";
	memset(&ev, 0x5a, sizeof(ev));
	assert_int_equal(notify_event_from_audit(bare, &ev), 1);
	assert_int_equal(ev.kind, NOTIFY_ACTION_ENDED);
	assert_string_equal(ev.action, "restart-app");
	assert_string_equal(ev.result, "cancelled");
	assert_int_equal(ev.at_ms, 0);
	assert_int_equal(ev.duration_ms, -1);
}

static void test_from_audit_not_told(void **state)
{
	(void)state;
	struct notify_event ev;
	static const char *const lines[] = {
	    /* an attempt */
	    "{\"time\":\"2026-12-05T01:02:36.533Z\",\"user\":\"alice\",\"action\":\"backup-db\","
	    "\"target\":\"s3://bucket/prefix\",\"arguments\":null,\"dry_run\":false,"
	    "\"phase\":\"attempt\",\"result\":null,\"detail\":null,\"duration_ms\":null,"
	    "\"id\":\"a\"}",
	    /* a dry run's outcome */
	    "{\"time\":\"2026-12-05T01:02:36.533Z\",\"user\":\"alice\",\"action\":\"clear-cache\","
	    "\"target\":\"redis://cache:6379/0\",\"dry_run\":true,\"phase\":\"outcome\","
	    "\"result\":\"ok\",\"detail\":\"would flush\",\"duration_ms\":0,\"id\":\"b\"}",
	    /* a declined confirmation */
	    "{\"time\":\"2026-12-05T01:02:36.533Z\",\"user\":\"alice\",\"action\":\"restart-app\","
	    "\"target\":\"app\",\"dry_run\":false,\"phase\":\"outcome\",\"result\":\"declined\","
	    "\"detail\":\"not confirmed\",\"duration_ms\":0,\"id\":\"c\"}",
	    /* an object that is no record */
	    "{}",
	};
	for (size_t k = 0; k < sizeof(lines) / sizeof(lines[0]); k++) {
		memset(&ev, 0, sizeof(ev));
		int rc = notify_event_from_audit(lines[k], &ev);
		if (rc != 0)
			fail_msg("line %zu: %d, not 0", k, rc);
	}
}

static void test_from_audit_garbage(void **state)
{
	(void)state;
	struct notify_event ev;
	static const char *const lines[] = {
	    "", "not json", "{\"phase\":\"outcome\"", "[1,2]", "42", "\"outcome\"", "null",
	};
	for (size_t k = 0; k < sizeof(lines) / sizeof(lines[0]); k++) {
		memset(&ev, 0, sizeof(ev));
		int rc = notify_event_from_audit(lines[k], &ev);
		if (rc != -1)
			fail_msg("'%s': %d, not -1", lines[k], rc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_format_parse),
	    cmocka_unit_test(test_kind_names),
	    cmocka_unit_test(test_text),
	    cmocka_unit_test(test_text_appends),
	    cmocka_unit_test(test_body_issue_opened),
	    cmocka_unit_test(test_body_issue_escalated_and_cleared),
	    cmocka_unit_test(test_body_action),
	    cmocka_unit_test(test_body_held_back),
	    cmocka_unit_test(test_body_empty_environment),
	    cmocka_unit_test(test_body_slack),
	    cmocka_unit_test(test_body_hostile_texts),
	    cmocka_unit_test(test_body_redacted),
	    cmocka_unit_test(test_from_audit_outcome),
	    cmocka_unit_test(test_from_audit_other_results),
	    cmocka_unit_test(test_from_audit_not_told),
	    cmocka_unit_test(test_from_audit_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
