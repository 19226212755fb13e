/* issues.c - a diagnosis for people and for programs, shared by `status`
 * and `diagnose`. */
#include "out/out.h"

#include <json-c/json.h>

static const char *severity_word(enum issue_severity severity)
{
	switch (severity) {
	case SEVERITY_HIGH:
		return "HIGH";
	case SEVERITY_MEDIUM:
		return "MEDIUM";
	case SEVERITY_LOW:
		return "LOW";
	}
	return "?";
}

void out_issues_text(const struct diagnosis *d, struct strbuf *b)
{
	if (d->count == 0) {
		strbuf_puts(b, "no issues\n");
		return;
	}
	for (int i = 0; i < d->count; i++) {
		const struct issue *issue = &d->issues[i];
		strbuf_printf(b, "%-6s  %s\n", severity_word(issue->severity), issue->message);
		strbuf_printf(b, "        -> %s\n", issue->recommendation);
		const struct issue *cause = diagnosis_find(d, issue->likely_cause);
		char title[96];
		if (cause) {
			issue_title(cause, title, sizeof(title));
			strbuf_printf(b, "        likely cause: %s (above)\n", title);
		} else if (issue->related_count > 0) {
			strbuf_puts(b, "        likely cause of:");
			for (int r = 0; r < issue->related_count; r++) {
				const struct issue *effect = diagnosis_find(d, issue->related[r]);
				if (!effect)
					continue;
				issue_title(effect, title, sizeof(title));
				strbuf_printf(b, "%s %s", r ? "," : "", title);
			}
			strbuf_putc(b, '\n');
		}
		if (issue->action_count > 0) {
			strbuf_puts(b, "        actions:");
			for (int a = 0; a < issue->action_count; a++)
				strbuf_printf(b, "%s opsdeck recover %s", a ? "," : "",
				              issue->actions[a]);
			strbuf_putc(b, '\n');
		}
	}
}

struct json_object *out_diagnosis_json(const struct diagnosis *d)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "status",
	                       json_object_new_string(diagnosis_status_name(d->status)));
	json_object *issues = json_object_new_array();
	for (int i = 0; i < d->count; i++) {
		const struct issue *issue = &d->issues[i];
		json_object *j = json_object_new_object();
		json_object_object_add(j, "id", json_object_new_string(issue->id));
		json_object_object_add(j, "type",
		                       json_object_new_string(ISSUE_TYPES[issue->type].name));
		json_object_object_add(
		    j, "severity", json_object_new_string(issue_severity_name(issue->severity)));
		json_object_object_add(j, "message", json_object_new_string(issue->message));
		json_object_object_add(j, "recommendation",
		                       json_object_new_string(issue->recommendation));
		json_object *actions = json_object_new_array();
		for (int a = 0; a < issue->action_count; a++)
			json_object_array_add(actions, json_object_new_string(issue->actions[a]));
		json_object_object_add(j, "actions", actions);
		json_object_object_add(
		    j, "likely_cause",
		    issue->likely_cause[0] ? json_object_new_string(issue->likely_cause) : NULL);
		json_object *related = json_object_new_array();
		for (int r = 0; r < issue->related_count; r++)
			json_object_array_add(related, json_object_new_string(issue->related[r]));
		json_object_object_add(j, "related", related);
		json_object_array_add(issues, j);
	}
	json_object_object_add(o, "issues", issues);
	return o;
}
