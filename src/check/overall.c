/* overall.c - the overall state of a snapshot and its diagnosis (overall.h). */
#include "check/overall.h"

#include <stdbool.h>

#include "check/check.h"

enum overall_state overall_state(const struct snapshot *s, const struct diagnosis *d)
{
	bool configured = false;
	bool version_unknown = false;
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		const struct check_common *c = check_common_of(CHECKS[i], s);
		if (!c)
			continue;
		if (CHECKS[i]->group == CHECK_GROUP_HEALTH) {
			if (c->state == CHECK_UNHEALTHY)
				return OVERALL_CRITICAL;
			if (c->state != CHECK_NOT_CONFIGURED)
				configured = true;
		} else if (CHECKS[i]->group == CHECK_GROUP_IDENTITY) {
			/* the app may serve fine: only what is deployed is unknown */
			version_unknown |= c->state == CHECK_UNHEALTHY;
		}
	}
	if (d && d->status == DIAGNOSIS_ERROR)
		return OVERALL_CRITICAL;
	if (!configured)
		return OVERALL_UNKNOWN;
	if ((d && d->status == DIAGNOSIS_WARNING) || version_unknown)
		return OVERALL_WARNING;
	return OVERALL_OK;
}

/* By state: the name for programs, the word for people. */
static const struct {
	const char *name, *word;
} OVERALL_NAMES[] = {
    [OVERALL_OK] = {"ok", "OK"},
    [OVERALL_WARNING] = {"warning", "WARNING"},
    [OVERALL_CRITICAL] = {"critical", "CRITICAL"},
    [OVERALL_UNKNOWN] = {"unknown", "UNKNOWN"},
};

const char *overall_state_name(enum overall_state state)
{
	return state <= OVERALL_UNKNOWN ? OVERALL_NAMES[state].name : "unknown";
}

const char *overall_state_word(enum overall_state state)
{
	return state <= OVERALL_UNKNOWN ? OVERALL_NAMES[state].word : "UNKNOWN";
}

const struct issue *overall_worst_issue(const struct diagnosis *d)
{
	/* the list puts a likely cause before its effects, whatever their
	 * severities: the worst is the first of the highest severity */
	const struct issue *worst = NULL;
	for (int i = 0; d && i < d->count; i++)
		if (!worst || d->issues[i].severity > worst->severity)
			worst = &d->issues[i];
	return worst;
}
