/* report_json.c - the incident report for programs (doc/report-json.md). */
#include "out/report.h"

#include <json-c/json.h>

#include "out/report_impl.h"
#include "util/clock.h"

/* RFC 3339 UTC, or null for a time not known. */
static json_object *json_time(int64_t ms)
{
	if (ms < 0)
		return NULL;
	char at[40];
	clock_format_iso8601(at, sizeof(at), ms);
	return json_object_new_string(at);
}

static json_object *json_issue(const struct report *r, const struct timeline_issue *ti)
{
	const struct timeline *t = r->timeline;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_string(ti->id));
	json_object_object_add(o, "type", json_object_new_string(ti->type));
	json_object_object_add(o, "severity",
	                       json_object_new_string(issue_severity_name(ti->severity)));
	json_object_object_add(o, "message", json_object_new_string(ti->message));
	json_object_object_add(o, "started_at", json_time(ti->started_ms));
	json_object_object_add(o, "ended_at", json_time(ti->ended_ms));
	json_object_object_add(o, "duration_seconds",
	                       json_object_new_int64(report_issue_duration(r, ti) / 1000));
	json_object_object_add(o, "open_at_start", json_object_new_boolean(ti->open_at_start));
	json_object_object_add(o, "peak", ti->has_peak ? json_object_new_double(ti->peak) : NULL);
	json_object_object_add(o, "peak_figure",
	                       ti->has_peak ? json_object_new_string(ti->peak_figure) : NULL);
	json_object *deploy = NULL;
	if (ti->deploy >= 0) {
		deploy = json_object_new_object();
		json_object_object_add(deploy, "at", json_time(t->deploys[ti->deploy].at_ms));
		json_object_object_add(deploy, "to",
		                       json_object_new_string(t->deploys[ti->deploy].to));
		json_object_object_add(
		    deploy, "seconds_after",
		    json_object_new_int64((ti->started_ms - t->deploys[ti->deploy].at_ms) / 1000));
	}
	json_object_object_add(o, "after_deploy", deploy);
	return o;
}

static json_object *json_actions(const struct audit_entry *list, size_t n)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		const struct audit_entry *e = &list[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "at", json_time(e->at_ms));
		json_object_object_add(o, "action", json_object_new_string(e->action));
		json_object_object_add(o, "result", json_object_new_string(e->result));
		json_object_object_add(o, "target", json_object_new_string(e->target));
		json_object_object_add(o, "user", json_object_new_string(e->user));
		json_object_object_add(o, "detail", json_object_new_string(e->detail));
		json_object_object_add(o, "duration_ms",
		                       e->duration_ms >= 0 ? json_object_new_int64(e->duration_ms)
		                                           : NULL);
		json_object_array_add(a, o);
	}
	return a;
}

void report_json(const struct report *r, struct strbuf *out)
{
	const struct timeline *t = r->timeline;
	json_object *root = json_object_new_object();
	json_object_object_add(root, "from", json_time(r->from_ms));
	json_object_object_add(root, "until", json_time(r->until_ms));
	json_object_object_add(root, "app", json_object_new_string(r->app));
	json_object_object_add(root, "environment", json_object_new_string(r->environment));
	json_object_object_add(root, "records", json_object_new_int64(t->records));
	json_object_object_add(root, "skipped", json_object_new_int64(r->skipped));
	json_object *issues = json_object_new_array();
	for (size_t i = 0; i < t->issue_count; i++)
		json_object_array_add(issues, json_issue(r, &t->issues[i]));
	json_object_object_add(root, "issues", issues);
	json_object *deploys = json_object_new_array();
	for (size_t i = 0; i < t->deploy_count; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "at", json_time(t->deploys[i].at_ms));
		json_object_object_add(o, "from", json_object_new_string(t->deploys[i].from));
		json_object_object_add(o, "to", json_object_new_string(t->deploys[i].to));
		json_object_object_add(o, "commit", json_object_new_string(t->deploys[i].commit));
		json_object_array_add(deploys, o);
	}
	json_object_object_add(root, "deploys", deploys);
	json_object_object_add(root, "actions", json_actions(r->actions, r->action_count));
	json_object_object_add(root, "backups", json_actions(r->backups, r->backup_count));
	json_object *gaps = json_object_new_array();
	for (size_t i = 0; i < t->gap_count; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "from", json_time(t->gaps[i].from_ms));
		json_object_object_add(o, "until", json_time(t->gaps[i].until_ms));
		json_object_object_add(
		    o, "seconds",
		    json_object_new_int64((t->gaps[i].until_ms - t->gaps[i].from_ms) / 1000));
		json_object_array_add(gaps, o);
	}
	json_object_object_add(root, "gaps", gaps);
	strbuf_puts(out, json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
	                                                          JSON_C_TO_STRING_SPACED |
	                                                          JSON_C_TO_STRING_NOSLASHESCAPE));
	strbuf_putc(out, '\n');
	json_object_put(root);
}
