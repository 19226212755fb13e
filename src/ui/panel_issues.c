/* panel_issues.c - the Issues panel: the diagnosis, worst first, each with
 * its recommendation when there is room (panel.h). */
#include "ui/panel.h"

#include <stdio.h>
#include <string.h>

#define ISSUES_INDENT 5 /* the recommendation's arrow under the mark */

/* What goes under an issue's message: its recommendation; for an issue
 * whose likely cause is listed above it, that cause first. */
static const char *panel_issues_advice(const struct diagnosis *d, const struct issue *is, char *buf,
                                       size_t size)
{
	const struct issue *cause = diagnosis_find(d, is->likely_cause);
	if (!cause)
		return is->recommendation;
	char title[96];
	issue_title(cause, title, sizeof(title));
	snprintf(buf, size, "likely cause: %s (above). %s", title, is->recommendation);
	return buf;
}

/* The lines an issue takes with its advice wrapped into `width` columns. */
static int panel_issues_lines(struct grid *g, const struct diagnosis *d, const struct issue *is,
                              int width)
{
	char buf[sizeof(is->recommendation) + 128];
	struct ui_wrap_out count = {g, 0, 0, 0, 0, 0, 0, UI_DIM};
	return 1 + panel_wrap(&count, panel_issues_advice(d, is, buf, sizeof(buf)), width);
}

/* Each issue: its mark and message, then its recommendation after an arrow,
 * wrapped over the rows when every issue's fits, else on one line that ends
 * in an ellipsis when cut (Enter shows it whole). Below four rows, the
 * messages alone. */
static void panel_issues_draw(struct grid *g, const struct ui_view *v, struct ui_area a,
                              bool focused)
{
	const struct diagnosis *d = v->diag;
	int end = a.x + a.w, y = a.y;
	if (d == NULL || d->count == 0) {
		if (v->last_refresh_ms == 0)
			grid_printf(g, a.x, y, end, UI_UNKNOWN, "waiting for the first poll%s",
			            panel_ellipsis(v));
		else
			grid_printf(g, a.x, y, end, UI_OK, "%s no issues",
			            panel_mark_symbol(v, UI_SEV_OK));
		return;
	}
	const char *arrow = v->utf8 ? "\xe2\x86\x92" : "->";
	int advice_x = ISSUES_INDENT + fit_text_width(arrow) + 1;
	bool advice = a.h >= 4;
	int total = 0;
	for (int i = 0; advice && i < d->count; i++)
		total += panel_issues_lines(g, d, &d->issues[i], a.w - advice_x);
	bool wrap = advice && total <= a.h;
	int per = advice ? 2 : 1;
	int sel = v->state->selected[PANEL_ISSUES];
	int first = wrap ? 0 : panel_scroll_first(sel, a.h / per, d->count);
	for (int i = first; i < d->count && y + per <= a.y + a.h; i++) {
		const struct issue *is = &d->issues[i];
		enum ui_severity sev = panel_severity_of_issue(is->severity);
		bool selected = focused && i == sel;
		enum ui_element el = selected ? UI_SELECTION : UI_NORMAL;
		if (selected)
			grid_fill(g, a.x, y, a.w, 1, ' ', UI_SELECTION);
		int n = panel_draw_mark(g, v, a.x, y, end, sev) + 1;
		struct fit_field message = {is->message, NULL, 0, 0, true, el, NULL};
		panel_draw_fields(g, v, a.x + n, y, a.w - n, &message, 1, NULL);
		y++;
		if (!advice)
			continue;
		grid_put(g, a.x + ISSUES_INDENT, y, end, arrow, UI_DIM);
		int x = a.x + advice_x, width = end - x;
		char buf[sizeof(is->recommendation) + 128];
		const char *advice_text = panel_issues_advice(d, is, buf, sizeof(buf));
		if (wrap) {
			struct ui_wrap_out o = {g, x, y, end, 0, a.y + a.h - y, 0, UI_DIM};
			y += panel_wrap(&o, advice_text, width);
		} else {
			struct fit_field rec = {advice_text, NULL, 0, 0, true, UI_DIM, NULL};
			panel_draw_fields(g, v, x, y, width, &rec, 1, NULL);
			y++;
		}
	}
}

static int panel_issues_rows(const struct ui_view *v)
{
	return v->diag != NULL ? v->diag->count : 0;
}

static int panel_issues_details(const struct ui_view *v, int selected, char *title,
                                size_t title_size, char *text, size_t text_size)
{
	if (v->diag == NULL || selected < 0 || selected >= v->diag->count)
		return -1;
	const struct issue *is = &v->diag->issues[selected];
	char name[96];
	issue_title(is, name, sizeof(name));
	snprintf(title, title_size, "Issue: %s", name);
	char actions[128] = "";
	for (int i = 0; i < is->action_count; i++) {
		size_t len = strlen(actions);
		snprintf(actions + len, sizeof(actions) - len, "%s%s", i ? ", " : "",
		         is->actions[i]);
	}
	char cause[160] = "";
	const struct issue *by = diagnosis_find(v->diag, is->likely_cause);
	if (by) {
		char by_title[96];
		issue_title(by, by_title, sizeof(by_title));
		snprintf(cause, sizeof(cause), "\n\nLikely cause: %s (the issue above it)",
		         by_title);
	}
	snprintf(text, text_size, "Severity: %s\n\n%s\n\nWhat to do: %s\n\nSuggested actions: %s%s",
	         panel_mark_word(panel_severity_of_issue(is->severity)), is->message,
	         is->recommendation, actions[0] ? actions : "none", cause);
	return 0;
}

const struct ui_panel_class panel_issues = {
    .id = PANEL_ISSUES,
    .title = "Issues",
    .draw = panel_issues_draw,
    .row_count = panel_issues_rows,
    .details = panel_issues_details,
};
