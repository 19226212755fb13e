/* text.c - the snapshot for people reading a terminal or a mail from cron.
 *
 * The document: the app's name, the identity rows (the version), the
 * overall line (overall_state: the checks and the diagnosis) with the issue
 * that decided it, the health checks, then the metrics, each row as its
 * check_class text renderer writes it (check/check.h), then the audit log
 * and the diagnosis. */
#include "out/out.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "check/check.h"
#include "check/overall.h"
#include "history/lock.h"
#include "util/clock.h"
#include "util/text.h"

static void text_group(const struct snapshot *s, enum check_group group, struct strbuf *b)
{
	for (size_t i = 0; i < CHECK_COUNT; i++)
		if (CHECKS[i]->group == group && CHECKS[i]->text)
			CHECKS[i]->text(s, b);
}

/* The history line: whether a recorder writes it, where, how much. */
static void text_history(const struct history_status *h, struct strbuf *b)
{
	if (!h->looked)
		return;
	if (!h->enabled) {
		strbuf_printf(b, "%-9s %-10s %9s  %s\n", "history", "OFF", "", h->dir);
		return;
	}
	const char *state = h->problem[0] ? "PROBLEM" : h->recorder_pid ? "RECORDING" : "IDLE";
	char count[32];
	text_format_count(count, sizeof(count), h->records);
	strbuf_printf(b, "%-9s %-10s %9s  %s (%s record%s%s)\n", "history", state, "", h->dir,
	              count, h->records == 1 ? "" : "s",
	              strcmp(h->recorder_role, HISTORY_ROLE_DASHBOARD) == 0
	                  ? ", written by a dashboard while no opsdeck record runs"
	                  : "");
	if (h->problem[0])
		strbuf_printf(b, "%31s%s\n", "", h->problem);
}

void out_text(const struct snapshot *s, const struct diagnosis *d, struct strbuf *b)
{
	char when[32];
	clock_format_iso8601(when, sizeof(when), s->taken_at_ms);
	enum overall_state overall = overall_state(s, d);
	const struct issue *worst = overall_worst_issue(d);
	strbuf_printf(b, "%s\n", s->app_name);
	text_group(s, CHECK_GROUP_IDENTITY, b);
	strbuf_printf(b, "overall   %s  (polled %s in %" PRId64 " ms)\n",
	              overall_state_word(overall), when, s->duration_ms);
	if (overall == OVERALL_UNKNOWN)
		strbuf_puts(b, "          nothing is configured to check\n");
	else if (worst)
		strbuf_printf(b, "          %s: %s\n", issue_severity_name(worst->severity),
		              worst->message);
	strbuf_putc(b, '\n');

	text_group(s, CHECK_GROUP_HEALTH, b);
	strbuf_putc(b, '\n');
	text_group(s, CHECK_GROUP_METRICS, b);
	if (s->audit_log.path[0]) {
		strbuf_printf(b, "\n%-9s %-10s %9s  %s\n", "audit log",
		              s->audit_log.problem[0] ? "REFUSING" : "OK", "", s->audit_log.path);
		if (s->audit_log.problem[0])
			strbuf_printf(b, "%31s%s\n", "", s->audit_log.problem);
	}
	text_history(&s->history, b);

	if (d) {
		strbuf_printf(b, "\ndiagnosis %s\n", diagnosis_status_name(d->status));
		out_issues_text(d, b);
	}
}
