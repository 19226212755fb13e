/* event.c - a notification's text and body (event.h). */
#include "notify/event.h"

#include <json-c/json.h>
#include <string.h>

#include "job/audit.h"
#include "model/redact.h"
#include "util/clock.h"
#include "util/sanitize.h"
#include "util/text.h"

const char *notify_kind_name(enum notify_kind kind)
{
	switch (kind) {
	case NOTIFY_ISSUE_OPENED:
		return "issue_opened";
	case NOTIFY_ISSUE_CLEARED:
		return "issue_cleared";
	case NOTIFY_ISSUE_ESCALATED:
		return "issue_escalated";
	case NOTIFY_ACTION_ENDED:
		return "action_ended";
	case NOTIFY_HELD_BACK:
		return "held_back";
	}
	return "unknown";
}

int notify_format_parse(const char *name, enum notify_format *format)
{
	if (strcmp(name, "json") == 0)
		*format = NOTIFY_FORMAT_JSON;
	else if (strcmp(name, "slack") == 0)
		*format = NOTIFY_FORMAT_SLACK;
	else
		return -1;
	return 0;
}

static bool is_issue_event(enum notify_kind kind)
{
	return kind == NOTIFY_ISSUE_OPENED || kind == NOTIFY_ISSUE_CLEARED ||
	       kind == NOTIFY_ISSUE_ESCALATED;
}

static void event_text_body(const struct notify_event *ev, struct strbuf *out)
{
	char took[32];
	switch (ev->kind) {
	case NOTIFY_ISSUE_OPENED:
		strbuf_printf(out, "issue opened: %s (%s): %s", ev->issue_id,
		              issue_severity_name(ev->severity), ev->message);
		break;
	case NOTIFY_ISSUE_CLEARED:
		strbuf_printf(out, "issue cleared: %s (was %s)", ev->issue_id,
		              issue_severity_name(ev->severity));
		if (ev->open_ms >= 0) {
			text_format_duration(took, sizeof(took), ev->open_ms);
			strbuf_printf(out, ", open %s", took);
		}
		break;
	case NOTIFY_ISSUE_ESCALATED:
		strbuf_printf(out, "issue %s: %s -> %s: %s", ev->issue_id,
		              issue_severity_name(ev->old_severity),
		              issue_severity_name(ev->severity), ev->message);
		break;
	case NOTIFY_ACTION_ENDED:
		strbuf_printf(out, "%s %s", ev->action, ev->result);
		if (ev->duration_ms >= 0) {
			text_format_duration(took, sizeof(took), ev->duration_ms);
			strbuf_printf(out, " in %s", took);
		}
		if (ev->target[0])
			strbuf_printf(out, " on %s", ev->target);
		if (ev->user[0])
			strbuf_printf(out, " by %s", ev->user);
		if (ev->detail[0])
			strbuf_printf(out, ": %s", ev->detail);
		break;
	case NOTIFY_HELD_BACK:
		strbuf_printf(out, "%d notification%s held back by [notify] max_per_hour",
		              ev->held_count, ev->held_count == 1 ? "" : "s");
		break;
	}
	if (is_issue_event(ev->kind) && ev->held_changes > 0)
		strbuf_printf(out, " (%d change%s held back while it flapped)", ev->held_changes,
		              ev->held_changes == 1 ? "" : "s");
}

void notify_event_text(const struct notify_event *ev, const struct notify_origin *origin,
                       struct strbuf *out)
{
	const char *app = origin->app && origin->app[0] ? origin->app : "opsdeck";
	if (origin->environment && origin->environment[0])
		strbuf_printf(out, "%s (%s): ", app, origin->environment);
	else
		strbuf_printf(out, "%s: ", app);
	event_text_body(ev, out);
}

/* A string field, redacted and free of control bytes. */
static json_object *clean_string(const char *text)
{
	char buf[2048];
	sanitize_text(buf, sizeof(buf), text ? text : "");
	redact_text(buf, sizeof(buf));
	return json_object_new_string(buf);
}

static void add_issue(json_object *root, const struct notify_event *ev)
{
	json_object *issue = json_object_new_object();
	json_object_object_add(issue, "id", clean_string(ev->issue_id));
	json_object_object_add(issue, "type", clean_string(ev->issue_type));
	json_object_object_add(issue, "severity",
	                       json_object_new_string(issue_severity_name(ev->severity)));
	if (ev->kind == NOTIFY_ISSUE_ESCALATED)
		json_object_object_add(
		    issue, "previous_severity",
		    json_object_new_string(issue_severity_name(ev->old_severity)));
	json_object_object_add(issue, "message", clean_string(ev->message));
	if (ev->kind == NOTIFY_ISSUE_CLEARED && ev->open_ms >= 0)
		json_object_object_add(issue, "open_seconds",
		                       json_object_new_int64(ev->open_ms / 1000));
	json_object_object_add(root, "issue", issue);
	json_object_object_add(root, "held_changes", json_object_new_int(ev->held_changes));
}

static void add_action(json_object *root, const struct notify_event *ev)
{
	json_object *action = json_object_new_object();
	json_object_object_add(action, "name", clean_string(ev->action));
	json_object_object_add(action, "result", clean_string(ev->result));
	json_object_object_add(action, "target", clean_string(ev->target));
	json_object_object_add(action, "detail", clean_string(ev->detail));
	json_object_object_add(action, "user", clean_string(ev->user));
	json_object_object_add(action, "duration_ms",
	                       ev->duration_ms >= 0 ? json_object_new_int64(ev->duration_ms)
	                                            : NULL);
	json_object_object_add(root, "action", action);
}

void notify_event_body(const struct notify_event *ev, const struct notify_origin *origin,
                       enum notify_format format, struct strbuf *out)
{
	struct strbuf text;
	strbuf_init(&text, 0);
	notify_event_text(ev, origin, &text);
	json_object *root = json_object_new_object();
	if (format == NOTIFY_FORMAT_SLACK) {
		json_object_object_add(root, "text", clean_string(strbuf_str(&text)));
	} else {
		char at[40];
		clock_format_iso8601(at, sizeof(at), ev->at_ms);
		json_object_object_add(root, "source", json_object_new_string("opsdeck"));
		json_object_object_add(root, "event",
		                       json_object_new_string(notify_kind_name(ev->kind)));
		json_object_object_add(root, "app", clean_string(origin->app));
		json_object_object_add(root, "environment", clean_string(origin->environment));
		json_object_object_add(root, "host", clean_string(origin->host));
		json_object_object_add(root, "at", json_object_new_string(at));
		json_object_object_add(root, "text", clean_string(strbuf_str(&text)));
		if (is_issue_event(ev->kind))
			add_issue(root, ev);
		else if (ev->kind == NOTIFY_ACTION_ENDED)
			add_action(root, ev);
		else
			json_object_object_add(root, "held", json_object_new_int(ev->held_count));
	}
	strbuf_puts(out, json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN |
	                                                          JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	strbuf_free(&text);
}

int notify_event_from_audit(const char *line, struct notify_event *ev)
{
	struct audit_entry e;
	if (audit_entry_parse(line, &e) < 0)
		return -1;
	if (!audit_entry_told(&e))
		return 0;
	memset(ev, 0, sizeof(*ev));
	ev->kind = NOTIFY_ACTION_ENDED;
	ev->at_ms = e.at_ms >= 0 ? e.at_ms : 0;
	ev->open_ms = -1;
	ev->duration_ms = e.duration_ms;
	text_copy(ev->action, e.action, sizeof(ev->action));
	text_copy(ev->result, e.result, sizeof(ev->result));
	text_copy(ev->target, e.target, sizeof(ev->target));
	text_copy(ev->detail, e.detail, sizeof(ev->detail));
	text_copy(ev->user, e.user, sizeof(ev->user));
	return 1;
}
