/* header.c - the dashboard's first line (header.h). */
#include "ui/header.h"

#include <stdio.h>
#include <string.h>

#include "check/overall.h"
#include "ui/fit.h"
#include "util/text.h"

enum ui_severity header_overall(const struct ui_view *v)
{
	/* Before the first answer nothing is known: the header says it waits,
	 * where overall_state would count the pending checks as healthy. */
	if (check_overall(v->snap) == CHECK_PENDING)
		return UI_SEV_PENDING;
	switch (overall_state(v->snap, v->diag)) {
	case OVERALL_CRITICAL:
		return UI_SEV_CRIT;
	case OVERALL_WARNING:
		return UI_SEV_WARN;
	case OVERALL_OK:
		return UI_SEV_OK;
	case OVERALL_UNKNOWN:
	default:
		return UI_SEV_NONE;
	}
}

/* Why the state is what it is: the most severe issue, else the first health
 * check that failed, else what the state says. */
static void header_reason(const struct ui_view *v, enum ui_severity sev, char *dst, size_t size)
{
	const struct issue *worst = overall_worst_issue(v->diag);
	if (worst != NULL) {
		text_copy(dst, worst->message, size);
		return;
	}
	for (int i = 0; i < CHECK_COUNT; i++) {
		const struct check_common *c = check_common_of(CHECKS[i], v->snap);
		if (CHECKS[i]->group == CHECK_GROUP_HEALTH && c != NULL &&
		    c->state == CHECK_UNHEALTHY) {
			text_printf(dst, size, "%s: %s", CHECKS[i]->title,
			            c->error[0] ? c->error : check_state_name(c->state));
			return;
		}
	}
	snprintf(dst, size, "%s",
	         sev == UI_SEV_PENDING ? "for the first poll"
	         : sev == UI_SEV_NONE  ? "no check is configured"
	                               : "no issues");
}

/* "3.0 s" since the newest publish, or "never". */
static void header_age(const struct ui_view *v, char *dst, size_t size)
{
	if (v->last_refresh_ms <= 0) {
		snprintf(dst, size, "never");
		return;
	}
	int64_t ms = v->now_ms - v->last_refresh_ms;
	if (ms < 1000)
		snprintf(dst, size, "0 s ago");
	else {
		char age[32];
		text_format_duration(age, sizeof(age), ms / 1000 * 1000);
		snprintf(dst, size, "%s ago", age);
	}
}

enum header_field {
	HEADER_BANNER,
	HEADER_STATE,
	HEADER_REASON,
	HEADER_MORE,
	HEADER_SPRING,
	HEADER_APP,
	HEADER_ENVIRONMENT,
	HEADER_VERSION,
	HEADER_PROGRAM,
	HEADER_PAUSED,
	HEADER_AGE,
	HEADER_FIELD_COUNT
};

#define HEADER_SEPARATED 3 /* the columns of the separator " | " */

void header_draw(struct grid *g, const struct ui_view *v, int y)
{
	const struct snapshot *s = v->snap;
	const struct version_status *ver = &s->version;
	enum ui_severity sev = header_overall(v);
	char state[32], reason[sizeof(v->diag->issues[0].message)],
	    more[32] = "", environment[96] = "", version[160] = "", version_brief[64] = "",
	    program[64], age[48], updated[64], banner[UI_BANNER_TEXT + 2] = "";
	if (v->banner != NULL && v->banner[0] != '\0')
		text_printf(banner, sizeof(banner), " %s ", v->banner);
	snprintf(state, sizeof(state), "%s %s", panel_mark_symbol(v, sev), panel_mark_overall(sev));
	header_reason(v, sev, reason, sizeof(reason));
	if (v->diag != NULL && v->diag->count > 1)
		snprintf(more, sizeof(more), "(+%d more)", v->diag->count - 1);
	const char *name = s->app_name[0] ? s->app_name : "app";
	const char *env = v->environment != NULL ? v->environment : "";
	if (env[0] != '\0')
		text_printf(environment, sizeof(environment), "(%s)", env);
	if (ver->check.state == CHECK_OK) {
		text_printf(version, sizeof(version), "%s%s%s%s%s%s%.10s", ver->version,
		            ver->build_number[0] ? " #" : "", ver->build_number,
		            ver->commit_hash[0] ? " " : "", ver->commit_hash,
		            ver->build_date[0] ? " " : "", ver->build_date);
		text_copy(version_brief, ver->version, sizeof(version_brief));
	}
	snprintf(program, sizeof(program), "opsdeck %s", v->program_version);
	header_age(v, age, sizeof(age));
	snprintf(updated, sizeof(updated), "updated %s", age);
	const char *bar = v->utf8 ? " \xe2\x94\x82 " : " | ";
	enum ui_element mark = sev >= UI_SEV_WARN ? panel_mark_element(sev) : UI_HEADER;
	const struct fit_field fields[HEADER_FIELD_COUNT] = {
	    [HEADER_BANNER] = {banner, NULL, FIT_KEEP, 0, false, UI_BANNER, NULL},
	    [HEADER_STATE] = {state, NULL, FIT_KEEP, banner[0] ? 1 : 0, false, mark, NULL},
	    [HEADER_REASON] = {reason, NULL, 50, 1, true, mark, NULL},
	    [HEADER_MORE] = {more, NULL, 30, 1, false, UI_HEADER, NULL},
	    [HEADER_SPRING] = {"", NULL, FIT_KEEP, 0, true, UI_HEADER, NULL},
	    [HEADER_APP] = {name, NULL, 40, HEADER_SEPARATED, false, UI_HEADER, bar},
	    [HEADER_ENVIRONMENT] = {environment, NULL, 35, 1, false, UI_HEADER, NULL},
	    [HEADER_VERSION] = {version, version_brief, 20, HEADER_SEPARATED, false, UI_HEADER,
	                        bar},
	    [HEADER_PROGRAM] = {program, NULL, 10, HEADER_SEPARATED, false, UI_HEADER, bar},
	    [HEADER_PAUSED] = {v->state->paused ? "PAUSED" : "", NULL, 70, HEADER_SEPARATED, false,
	                       UI_WARNING, bar},
	    [HEADER_AGE] = {updated, age, 60, HEADER_SEPARATED, false, UI_HEADER, bar},
	};
	grid_fill(g, 0, y, g->width, 1, ' ', UI_HEADER);
	panel_draw_fields(g, v, 1, y, g->width - 1, fields, HEADER_FIELD_COUNT, NULL);
}
