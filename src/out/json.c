/* json.c - the snapshot as a JSON document (schema: doc/status-json.md).
 *
 * Every check has the same frame {state, healthy, latency_ms, target, error,
 * checked_at}; its figures are present only when the check is ok, so a
 * consumer never mistakes a stale zero for a measurement. The identity rows
 * (the version) are members of the root, the health checks of "checks",
 * the metrics of "metrics", each built by its check_class (check/check.h).
 */
#include "out/out.h"

#include <json-c/json.h>

#include "check/check.h"
#include "check/overall.h"

/* 2: "overall" is the state of the checks and the diagnosis together.
 * 4: the incident data: locks, connections, endpoints, replication and
 * upkeep; issues name their likely cause.
 * 5: disaster recovery: the last backup drill (metrics.backup_drill).
 * 6: the history and its recorder ("history"). */
#define JSON_SCHEMA_VERSION 6

/* Adds the JSON of every row of the group to o, under the row's key. */
static void json_group(const struct snapshot *s, enum check_group group, json_object *o)
{
	for (size_t i = 0; i < CHECK_COUNT; i++)
		if (CHECKS[i]->group == group && CHECKS[i]->json)
			json_object_object_add(o, CHECKS[i]->key, CHECKS[i]->json(s));
}

/* The history and its recorder (schema 6). */
static json_object *json_history(const struct history_status *h)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "enabled", json_object_new_boolean(h->enabled));
	json_object_object_add(o, "dir", render_json_string_or_null(h->dir));
	json_object_object_add(o, "recording", json_object_new_boolean(h->recorder_pid != 0));
	json_object_object_add(o, "recorder_pid",
	                       h->recorder_pid > 0 ? json_object_new_int(h->recorder_pid) : NULL);
	json_object_object_add(o, "recorder", render_json_string_or_null(h->recorder_role));
	render_json_add_int(o, "records", h->records);
	json_object_object_add(o, "oldest", h->oldest_ms ? render_json_time(h->oldest_ms) : NULL);
	json_object_object_add(o, "newest", h->newest_ms ? render_json_time(h->newest_ms) : NULL);
	json_object_object_add(o, "problem", render_json_string_or_null(h->problem));
	return o;
}

void out_json(const struct snapshot *s, const struct diagnosis *d, struct strbuf *b)
{
	json_object *root = json_object_new_object();
	render_json_add_int(root, "schema_version", JSON_SCHEMA_VERSION);
	json_object_object_add(root, "app", json_object_new_string(s->app_name));
	json_object_object_add(root, "taken_at", render_json_time(s->taken_at_ms));
	render_json_add_int(root, "duration_ms", s->duration_ms);
	json_object_object_add(root, "overall",
	                       json_object_new_string(overall_state_name(overall_state(s, d))));
	json_group(s, CHECK_GROUP_IDENTITY, root);
	json_object *checks = json_object_new_object();
	json_group(s, CHECK_GROUP_HEALTH, checks);
	json_object_object_add(root, "checks", checks);
	json_object *metrics = json_object_new_object();
	json_group(s, CHECK_GROUP_METRICS, metrics);
	json_object_object_add(root, "metrics", metrics);
	json_object *audit = json_object_new_object();
	json_object_object_add(audit, "path", render_json_string_or_null(s->audit_log.path));
	json_object_object_add(audit, "problem", render_json_string_or_null(s->audit_log.problem));
	json_object_object_add(root, "audit_log", audit);
	if (s->history.looked)
		json_object_object_add(root, "history", json_history(&s->history));
	if (d)
		json_object_object_add(root, "diagnosis", out_diagnosis_json(d));

	out_json_take(root, b);
}

void out_json_take(struct json_object *doc, struct strbuf *b)
{
	strbuf_puts(b, json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
	                                                       JSON_C_TO_STRING_SPACED |
	                                                       JSON_C_TO_STRING_NOSLASHESCAPE));
	strbuf_putc(b, '\n');
	json_object_put(doc);
}
