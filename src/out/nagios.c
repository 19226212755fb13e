/* nagios.c - the monitoring-plugins line: "OPSDECK STATE - summary | perfdata".
 *
 * The summary names what is wrong first, so the one line a pager shows is
 * the useful one. Perfdata follows the plugin guidelines:
 * 'label'=value[unit];warn;crit;min;max, with base units (s, B, %).
 *
 * The summary lists the health checks (check/check.h), then what the
 * identity rows add; the perfdata has the health checks' latencies, then
 * each row's own figures in table order.
 */
#include "out/out.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "check/check.h"
#include "check/overall.h"

/* The health check at index i of the table, or NULL for another row. */
static const struct check_common *nagios_health(const struct snapshot *s, size_t i)
{
	return CHECKS[i]->group == CHECK_GROUP_HEALTH ? check_common_of(CHECKS[i], s) : NULL;
}

enum plugin_state out_plugin_state(const struct snapshot *s, const struct diagnosis *d)
{
	return (enum plugin_state)overall_state(s, d);
}

static void summary(struct strbuf *b, const struct snapshot *s)
{
	bool first = true;
	/* Problems first, with their reason; then the rest, briefly. */
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		const struct check_common *c = nagios_health(s, i);
		if (!c || c->state != CHECK_UNHEALTHY)
			continue;
		strbuf_printf(b, "%s%s unhealthy", first ? "" : "; ", CHECKS[i]->key);
		if (c->error[0]) {
			/* '|' would start the perfdata section. */
			strbuf_puts(b, ": ");
			for (const char *e = c->error; *e; e++)
				strbuf_putc(b, *e == '|' ? '/' : *e);
		}
		first = false;
	}
	const char *separator = first ? "" : "; ";
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		const struct check_common *c = nagios_health(s, i);
		if (!c || c->state == CHECK_UNHEALTHY)
			continue;
		strbuf_printf(b, "%s%s %s", separator, CHECKS[i]->key, check_state_name(c->state));
		separator = ", ";
	}
	for (size_t i = 0; i < CHECK_COUNT; i++)
		if (CHECKS[i]->nagios_summary)
			CHECKS[i]->nagios_summary(s, b);
}

/* An issue the check list above does not already say. */
static bool issue_is_news(const struct issue *issue)
{
	switch (issue->type) {
	case ISSUE_DATABASE_DOWN:
	case ISSUE_REDIS_DOWN:
	case ISSUE_APP_DOWN:
	case ISSUE_STORAGE_FULL:
	case ISSUE_VERSION_UNKNOWN:
		return false;
	default:
		return true;
	}
}

static void issues_summary(struct strbuf *b, const struct diagnosis *d)
{
	int shown = 0;
	for (int i = 0; i < d->count; i++) {
		const struct issue *issue = &d->issues[i];
		if (!issue_is_news(issue))
			continue;
		if (shown++ == 2) {
			strbuf_puts(b, "; ...");
			break;
		}
		strbuf_printf(b, "; %s: ", issue_severity_name(issue->severity));
		for (const char *m = issue->message; *m; m++)
			strbuf_putc(b, *m == '|' ? '/' : *m);
	}
}

static void perfdata(struct strbuf *b, const struct snapshot *s)
{
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		const struct check_common *c = nagios_health(s, i);
		if (c && c->latency_ms >= 0)
			strbuf_printf(b, " %s_latency=%.6fs;;;0", CHECKS[i]->key,
			              c->latency_ms / 1000.0);
	}
	for (size_t i = 0; i < CHECK_COUNT; i++)
		if (CHECKS[i]->nagios_perfdata)
			CHECKS[i]->nagios_perfdata(s, b);
}

enum plugin_state out_nagios(const struct snapshot *s, const struct diagnosis *d, struct strbuf *b)
{
	enum plugin_state state = out_plugin_state(s, d);

	strbuf_printf(b, "OPSDECK %s - ", overall_state_word((enum overall_state)state));
	if (state == PLUGIN_UNKNOWN)
		strbuf_puts(b, "nothing is configured to check; ");
	summary(b, s);
	if (d)
		issues_summary(b, d);
	strbuf_puts(b, " |");
	perfdata(b, s);
	strbuf_putc(b, '\n');
	return state;
}
