/* report.c - the incident report as text and Markdown, and what every form
 * shares (report.h, report_impl.h). */
#include "out/report.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "out/report_impl.h"
#include "util/text.h"
#include "util/xalloc.h"

enum report_event_kind {
	REPORT_EVENT_GAP_START,
	REPORT_EVENT_GAP_END,
	REPORT_EVENT_DEPLOY,
	REPORT_EVENT_OPENED,
	REPORT_EVENT_CLEARED,
	REPORT_EVENT_BACKUP,
	REPORT_EVENT_ACTION,
};

struct report_event {
	int64_t at_ms;
	enum report_event_kind kind;
	size_t index; /* into the timeline's or the report's array of its kind */
};

bool report_is_backup(const struct audit_entry *e)
{
	return strncmp(e->action, "backup-", 7) == 0;
}

void report_time(char *dst, size_t size, int64_t ms)
{
	time_t secs = (time_t)(ms / 1000);
	struct tm tm;
	if (gmtime_r(&secs, &tm) == NULL || strftime(dst, size, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		text_copy(dst, "?", size);
}

int64_t report_issue_duration(const struct report *r, const struct timeline_issue *ti)
{
	int64_t end = ti->ended_ms >= 0 ? ti->ended_ms : r->timeline->last_ms;
	int64_t start = ti->open_at_start ? r->timeline->first_ms : ti->started_ms;
	return end > start ? end - start : 0;
}

void report_issue_times(const struct report *r, const struct timeline_issue *ti,
                        struct report_issue_times *out)
{
	report_time(out->start, sizeof(out->start),
	            ti->open_at_start ? r->timeline->first_ms : ti->started_ms);
	if (ti->ended_ms >= 0)
		report_time(out->end, sizeof(out->end), ti->ended_ms);
	else
		text_copy(out->end, "still open", sizeof(out->end));
	text_format_duration(out->took, sizeof(out->took), report_issue_duration(r, ti));
}

static int event_order(const void *a, const void *b)
{
	const struct report_event *x = a, *y = b;
	if (x->at_ms != y->at_ms)
		return x->at_ms < y->at_ms ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

/* Every event of r by time (an issue open at the start begins at the
 * first record); *events is allocated, the caller frees it. */
static size_t report_events(const struct report *r, struct report_event **events)
{
	const struct timeline *t = r->timeline;
	size_t cap = 2 * t->gap_count + t->deploy_count + 2 * t->issue_count + r->action_count +
	             r->backup_count + 1;
	struct report_event *ev = xcalloc(cap, sizeof(*ev));
	size_t n = 0;
	for (size_t i = 0; i < t->gap_count; i++) {
		ev[n++] = (struct report_event){t->gaps[i].from_ms, REPORT_EVENT_GAP_START, i};
		ev[n++] = (struct report_event){t->gaps[i].until_ms, REPORT_EVENT_GAP_END, i};
	}
	for (size_t i = 0; i < t->deploy_count; i++)
		ev[n++] = (struct report_event){t->deploys[i].at_ms, REPORT_EVENT_DEPLOY, i};
	for (size_t i = 0; i < t->issue_count; i++) {
		const struct timeline_issue *ti = &t->issues[i];
		ev[n++] = (struct report_event){ti->open_at_start ? t->first_ms : ti->started_ms,
		                                REPORT_EVENT_OPENED, i};
		if (ti->ended_ms >= 0)
			ev[n++] = (struct report_event){ti->ended_ms, REPORT_EVENT_CLEARED, i};
	}
	for (size_t i = 0; i < r->backup_count; i++)
		ev[n++] = (struct report_event){r->backups[i].at_ms, REPORT_EVENT_BACKUP, i};
	for (size_t i = 0; i < r->action_count; i++)
		ev[n++] = (struct report_event){r->actions[i].at_ms, REPORT_EVENT_ACTION, i};
	qsort(ev, n, sizeof(*ev), event_order);
	*events = ev;
	return n;
}

static void audit_line(const struct audit_entry *e, struct strbuf *out)
{
	strbuf_printf(out, "%s %s", e->action, e->result);
	if (e->duration_ms >= 0) {
		char took[32];
		text_format_duration(took, sizeof(took), e->duration_ms);
		strbuf_printf(out, " in %s", took);
	}
	if (e->target[0])
		strbuf_printf(out, " on %s", e->target);
	if (e->user[0])
		strbuf_printf(out, " by %s", e->user);
	if (e->detail[0])
		strbuf_printf(out, ": %s", e->detail);
}

/* One event for people, without its time: "OPENED error_rate (high): ...". */
static void report_event_line(const struct report *r, const struct report_event *e,
                              struct strbuf *out)
{
	const struct timeline *t = r->timeline;
	char took[32];
	switch (e->kind) {
	case REPORT_EVENT_GAP_START:
		text_format_duration(took, sizeof(took),
		                     t->gaps[e->index].until_ms - t->gaps[e->index].from_ms);
		strbuf_printf(out, "nothing recorded for %s", took);
		break;
	case REPORT_EVENT_GAP_END:
		strbuf_puts(out, "recording again");
		break;
	case REPORT_EVENT_DEPLOY: {
		const struct timeline_deploy *d = &t->deploys[e->index];
		strbuf_printf(out, "DEPLOY %s -> %s", d->from, d->to);
		if (d->commit[0])
			strbuf_printf(out, " (commit %.12s)", d->commit);
		break;
	}
	case REPORT_EVENT_OPENED: {
		const struct timeline_issue *ti = &t->issues[e->index];
		strbuf_printf(out, "%s %s (%s): %s", ti->open_at_start ? "OPEN" : "OPENED", ti->id,
		              issue_severity_name(ti->severity), ti->message);
		if (ti->open_at_start)
			strbuf_puts(out, " (open in the range's first record)");
		if (ti->deploy >= 0) {
			const struct timeline_deploy *d = &t->deploys[ti->deploy];
			text_format_duration(took, sizeof(took), ti->started_ms - d->at_ms);
			strbuf_printf(out, " - %s after deploy %s -> %s", took, d->from, d->to);
		}
		break;
	}
	case REPORT_EVENT_CLEARED: {
		const struct timeline_issue *ti = &t->issues[e->index];
		text_format_duration(took, sizeof(took), report_issue_duration(r, ti));
		strbuf_printf(out, "CLEARED %s after %s", ti->id, took);
		if (ti->has_peak)
			strbuf_printf(out, " (peak %s %g)", ti->peak_figure, ti->peak);
		break;
	}
	case REPORT_EVENT_BACKUP:
		audit_line(&r->backups[e->index], out);
		break;
	case REPORT_EVENT_ACTION:
		audit_line(&r->actions[e->index], out);
		break;
	}
}

size_t report_timeline(const struct report *r, struct strbuf *out, const char *heading,
                       void (*row)(struct strbuf *out, const char *at, const char *line))
{
	struct report_event *ev;
	size_t n = report_events(r, &ev);
	if (n > 0)
		strbuf_puts(out, heading);
	struct strbuf line;
	strbuf_init(&line, 0);
	for (size_t i = 0; i < n; i++) {
		char at[32];
		report_time(at, sizeof(at), ev[i].at_ms);
		strbuf_reset(&line);
		report_event_line(r, &ev[i], &line);
		row(out, at, strbuf_str(&line));
	}
	strbuf_free(&line);
	free(ev);
	return n;
}

static void text_row(struct strbuf *out, const char *at, const char *line)
{
	strbuf_printf(out, "  %s  %s\n", at, line);
}

static void report_heading(const struct report *r, struct strbuf *out, const char *prefix)
{
	char from[32], until[32];
	report_time(from, sizeof(from), r->from_ms);
	report_time(until, sizeof(until), r->until_ms);
	strbuf_printf(out, "%sIncident report: %s", prefix, r->app);
	if (r->environment[0])
		strbuf_printf(out, " (%s)", r->environment);
	strbuf_printf(out, ", %s to %s UTC\n", from, until);
}

static void report_summary(const struct report *r, struct strbuf *out)
{
	const struct timeline *t = r->timeline;
	size_t still = 0;
	for (size_t i = 0; i < t->issue_count; i++)
		still += t->issues[i].ended_ms < 0;
	strbuf_printf(out,
	              "%lld record%s, %zu issue%s (%zu still open at the end), %zu deploy%s, %zu "
	              "backup%s, %zu other action%s, %zu gap%s in the recording",
	              (long long)t->records, t->records == 1 ? "" : "s", t->issue_count,
	              t->issue_count == 1 ? "" : "s", still, t->deploy_count,
	              t->deploy_count == 1 ? "" : "s", r->backup_count,
	              r->backup_count == 1 ? "" : "s", r->action_count,
	              r->action_count == 1 ? "" : "s", t->gap_count, t->gap_count == 1 ? "" : "s");
	if (r->skipped > 0)
		strbuf_printf(out, "; %lld damaged record%s skipped", (long long)r->skipped,
		              r->skipped == 1 ? "" : "s");
	strbuf_puts(out, ".\n");
}

void report_text(const struct report *r, struct strbuf *out)
{
	report_heading(r, out, "");
	report_summary(r, out);
	report_timeline(r, out, "\nTimeline (UTC)\n", text_row);
	if (r->timeline->records == 0)
		strbuf_puts(out,
		            "\nNothing was recorded in this range: is `opsdeck record` running?\n");
}

/* Markdown table cells: no '|' or newline may break the row. */
static void md_cell(struct strbuf *out, const char *text)
{
	for (const char *c = text; *c; c++) {
		if (*c == '|')
			strbuf_puts(out, "\\|");
		else if (*c == '\n' || *c == '\r')
			strbuf_putc(out, ' ');
		else
			strbuf_putc(out, *c);
	}
}

static void md_row(struct strbuf *out, const char *at, const char *line)
{
	strbuf_printf(out, "| %s | ", at);
	md_cell(out, line);
	strbuf_puts(out, " |\n");
}

void report_markdown(const struct report *r, struct strbuf *out)
{
	report_heading(r, out, "## ");
	strbuf_putc(out, '\n');
	report_summary(r, out);
	const struct timeline *t = r->timeline;
	if (t->issue_count > 0) {
		strbuf_puts(out,
		            "\n### Issues\n\n| issue | severity | started (UTC) | ended (UTC) | "
		            "open for | peak | message |\n|---|---|---|---|---|---|---|\n");
		for (size_t i = 0; i < t->issue_count; i++) {
			const struct timeline_issue *ti = &t->issues[i];
			struct report_issue_times when;
			report_issue_times(r, ti, &when);
			strbuf_puts(out, "| `");
			md_cell(out, ti->id);
			strbuf_printf(
			    out, "` | %s | %s%s | %s | %s | ", issue_severity_name(ti->severity),
			    ti->open_at_start ? "before " : "", when.start, when.end, when.took);
			if (ti->has_peak)
				strbuf_printf(out, "%g (`%s`)", ti->peak, ti->peak_figure);
			strbuf_puts(out, " | ");
			md_cell(out, ti->message);
			strbuf_puts(out, " |\n");
		}
	}
	report_timeline(r, out, "\n### Timeline (UTC)\n\n| time | event |\n|---|---|\n", md_row);
}
