/* nagios.c - the monitoring-plugins line: "OPSDECK STATE - summary | perfdata".
 *
 * The summary names what is wrong first, so the one line a pager shows is
 * the useful one. Perfdata follows the plugin guidelines:
 * 'label'=value[unit];warn;crit;min;max, with base units (s, B, %).
 */
#include "out/out.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char *const PLUGIN_WORDS[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

struct named_check {
	const char *name;
	const struct check_common *check;
};

enum plugin_state out_plugin_state(const struct snapshot *s, const struct diagnosis *d)
{
	const struct check_common *health[] = {&s->database.check, &s->redis.check,
	                                       &s->health.check, &s->storage.check};
	bool any_configured = false;
	for (size_t i = 0; i < sizeof(health) / sizeof(health[0]); i++) {
		if (health[i]->state == CHECK_UNHEALTHY)
			return PLUGIN_CRITICAL;
		if (health[i]->state != CHECK_NOT_CONFIGURED)
			any_configured = true;
	}
	if (!any_configured)
		return PLUGIN_UNKNOWN;
	if (d && d->status == DIAGNOSIS_ERROR)
		return PLUGIN_CRITICAL;
	if (d && d->status == DIAGNOSIS_WARNING)
		return PLUGIN_WARNING;
	if (s->version.check.state == CHECK_UNHEALTHY)
		return PLUGIN_WARNING;
	return PLUGIN_OK;
}

/* A perfdata label, quoted when it holds anything but [A-Za-z0-9_]. */
static void put_label(struct strbuf *b, const char *prefix, const char *name)
{
	bool plain = true;
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '_'))
			plain = false;
	strbuf_puts(b, plain ? "" : "'");
	strbuf_puts(b, prefix);
	for (const char *c = name; *c; c++) {
		if (*c == '\'')
			strbuf_puts(b, "''");
		else if (*c != '=' && *c != '|')
			strbuf_putc(b, *c);
	}
	strbuf_puts(b, plain ? "" : "'");
}

static void summary(struct strbuf *b, const struct named_check *checks, size_t n,
                    const struct version_status *v)
{
	bool first = true;
	/* Problems first, with their reason; then the rest, briefly. */
	for (size_t i = 0; i < n; i++) {
		const struct check_common *c = checks[i].check;
		if (c->state != CHECK_UNHEALTHY)
			continue;
		strbuf_printf(b, "%s%s unhealthy", first ? "" : "; ", checks[i].name);
		if (c->error[0]) {
			/* '|' would start the perfdata section. */
			strbuf_puts(b, ": ");
			for (const char *e = c->error; *e; e++)
				strbuf_putc(b, *e == '|' ? '/' : *e);
		}
		first = false;
	}
	const char *separator = first ? "" : "; ";
	for (size_t i = 0; i < n; i++) {
		const struct check_common *c = checks[i].check;
		if (c->state == CHECK_UNHEALTHY)
			continue;
		strbuf_printf(b, "%s%s %s", separator, checks[i].name, check_state_name(c->state));
		separator = ", ";
	}
	if (v->check.state == CHECK_OK)
		strbuf_printf(b, "; version %s", v->version);
	else if (v->check.state == CHECK_UNHEALTHY)
		strbuf_printf(b, "; version unknown");
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

static void perfdata(struct strbuf *b, const struct snapshot *s,
                     const struct named_check *checks, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (checks[i].check->latency_ms < 0)
			continue;
		strbuf_printf(b, " %s_latency=%.6fs;;;0", checks[i].name,
		              checks[i].check->latency_ms / 1000.0);
	}
	if (s->database.check.state == CHECK_OK)
		strbuf_printf(b, " db_connections=%d;;;0;%d", s->database.connections_total,
		              s->database.max_connections);
	if (s->redis.check.state == CHECK_OK) {
		strbuf_printf(b, " redis_used_memory=%lldB;;;0", (long long)s->redis.used_memory);
		if (s->redis.maxmemory > 0)
			strbuf_printf(b, ";%lld", (long long)s->redis.maxmemory);
	}
	const struct request_metrics *m = &s->requests;
	if (m->check.state == CHECK_OK) {
		strbuf_printf(b, " requests=%lld;;;0", (long long)m->requests);
		if (m->error_rate >= 0)
			strbuf_printf(b, " error_rate=%.2f%%;;;0;100", m->error_rate * 100);
		if (m->avg_ms >= 0)
			strbuf_printf(b, " avg_response=%.6fs;;;0 p95_response=%.6fs;;;0",
			              m->avg_ms / 1000, m->p95_ms / 1000);
	}
	for (int i = 0; i < s->storage.path_count; i++) {
		const struct disk_status *d = &s->storage.paths[i];
		if (d->error[0])
			continue;
		strbuf_putc(b, ' ');
		put_label(b, "storage_", d->path);
		strbuf_printf(b, "=%.1f%%;;%.0f;0;100", d->used_percent, s->storage.max_used_percent);
	}
}

enum plugin_state out_nagios(const struct snapshot *s, const struct diagnosis *d, struct strbuf *b)
{
	const struct named_check checks[] = {
		{"database", &s->database.check},
		{"redis", &s->redis.check},
		{"health", &s->health.check},
		{"storage", &s->storage.check},
	};
	const size_t n = sizeof(checks) / sizeof(checks[0]);
	enum plugin_state state = out_plugin_state(s, d);

	strbuf_printf(b, "OPSDECK %s - ", PLUGIN_WORDS[state]);
	if (state == PLUGIN_UNKNOWN)
		strbuf_puts(b, "nothing is configured to check; ");
	summary(b, checks, n, &s->version);
	if (d)
		issues_summary(b, d);
	strbuf_puts(b, " |");
	perfdata(b, s, checks, n);
	strbuf_putc(b, '\n');
	return state;
}
