/* diagnose.c - the engine: runs every rule of RULE_LIST over a snapshot
 * and orders what they find (see diagnose.h, rule.h). */
#include "diag/diagnose.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diag/causes.h"
#include "diag/rule.h"
#include "util/text.h"

struct issue *rule_add_issue(const struct rule_context *ctx, enum issue_type type,
                             enum issue_severity severity, const char *subject)
{
	struct diagnosis *d = ctx->out;
	if (d->count >= ISSUE_MAX)
		return NULL;
	struct issue *issue = &d->issues[d->count++];
	memset(issue, 0, sizeof(*issue));
	issue->type = type;
	issue->severity = severity;
	if (subject && *subject)
		snprintf(issue->id, sizeof(issue->id), "%s:%s", ISSUE_TYPES[type].name, subject);
	else
		snprintf(issue->id, sizeof(issue->id), "%s", ISSUE_TYPES[type].name);
	const struct config_actions *actions = &ctx->cfg->actions;
	for (size_t i = 0; i < actions->counts[type] && i < ISSUE_MAX_ACTIONS; i++)
		text_copy(issue->actions[issue->action_count++], actions->names[type][i],
		          sizeof(issue->actions[0]));
	return issue;
}

void rule_say(char *dst, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(dst, size, fmt, ap);
	va_end(ap);
}

/* clang-format off */
static void (*const rules[])(const struct rule_context *) = {
#define RULE_ENTRY(name) rule_##name,
	RULE_LIST(RULE_ENTRY)
#undef RULE_ENTRY
};
/* clang-format on */

/* Most severe first; equal severities keep rule order (a stable sort). */
static void sort_by_severity(struct diagnosis *d)
{
	for (int a = 1; a < d->count; a++) {
		struct issue moving = d->issues[a];
		int b = a;
		while (b > 0 && d->issues[b - 1].severity < moving.severity) {
			d->issues[b] = d->issues[b - 1];
			b--;
		}
		d->issues[b] = moving;
	}
}

void diagnose(const struct snapshot *now, const struct snapshot *previous, const struct config *cfg,
              struct diagnosis *out)
{
	memset(out, 0, sizeof(*out));
	struct rule_context ctx = {now, previous, cfg, out};
	for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++)
		rules[r](&ctx);
	sort_by_severity(out);
	diagnose_link_causes(out);
	out->status = DIAGNOSIS_OK;
	for (int i = 0; i < out->count; i++) {
		if (out->issues[i].severity == SEVERITY_HIGH)
			out->status = DIAGNOSIS_ERROR;
		else if (out->status == DIAGNOSIS_OK)
			out->status = DIAGNOSIS_WARNING;
	}
}
