/* panel_issues.c - the Issues panel: the diagnosis, worst first, each with
 * its recommendation when there is room (panel.h). */
#include "ui/panel.h"

#include <stdio.h>
#include <string.h>

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
	int per = a.h >= 4 ? 2 : 1;
	int rows = a.h / per;
	int sel = v->state->selected[PANEL_ISSUES];
	int first = panel_scroll_first(sel, rows, d->count);
	for (int i = first; i < d->count && y + per <= a.y + a.h; i++) {
		const struct issue *is = &d->issues[i];
		enum ui_severity sev = panel_severity_of_issue(is->severity);
		bool selected = focused && i == sel;
		if (selected)
			grid_fill(g, a.x, y, a.w, 1, ' ', UI_SELECTION);
		int n = panel_draw_mark(g, v, a.x, y, end, sev);
		grid_printf(g, a.x + n, y, end, selected ? UI_SELECTION : UI_NORMAL, " %s",
		            is->message);
		y++;
		if (per == 2) {
			grid_printf(g, a.x, y, end, UI_DIM, "     %s %s",
			            v->utf8 ? "\xe2\x86\x92" : "->", is->recommendation);
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
	snprintf(title, title_size, "Issue: %s", ISSUE_TYPES[is->type].name);
	char actions[128] = "";
	for (int i = 0; i < is->action_count; i++) {
		size_t len = strlen(actions);
		snprintf(actions + len, sizeof(actions) - len, "%s%s", i ? ", " : "",
		         is->actions[i]);
	}
	snprintf(text, text_size, "Severity: %s\n\n%s\n\nWhat to do: %s\n\nSuggested actions: %s",
	         issue_severity_name(is->severity), is->message, is->recommendation,
	         actions[0] ? actions : "none");
	return 0;
}

const struct ui_panel_class panel_issues = {
    .id = PANEL_ISSUES,
    .title = "Issues",
    .draw = panel_issues_draw,
    .row_count = panel_issues_rows,
    .details = panel_issues_details,
};
