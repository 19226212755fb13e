/* issue.c - the table of issue types and the names of severities and
 * statuses (see issue.h). */
#include "model/issue.h"

#include <stdio.h>
#include <string.h>

const struct issue_type_info ISSUE_TYPES[ISSUE_TYPE_COUNT] = {
#define ISSUE_TYPE_ROW(id, name, title, actions) [id] = {name, title, actions},
    ISSUE_TYPE_LIST(ISSUE_TYPE_ROW)
#undef ISSUE_TYPE_ROW
};

const char *issue_severity_name(enum issue_severity severity)
{
	switch (severity) {
	case SEVERITY_LOW:
		return "low";
	case SEVERITY_MEDIUM:
		return "medium";
	case SEVERITY_HIGH:
		return "high";
	}
	return "unknown";
}

int issue_severity_from_name(const char *name)
{
	for (int s = SEVERITY_LOW; s <= SEVERITY_HIGH; s++)
		if (strcmp(name, issue_severity_name((enum issue_severity)s)) == 0)
			return s;
	return -1;
}

const char *diagnosis_status_name(enum diagnosis_status status)
{
	switch (status) {
	case DIAGNOSIS_OK:
		return "ok";
	case DIAGNOSIS_WARNING:
		return "warning";
	case DIAGNOSIS_ERROR:
		return "error";
	}
	return "unknown";
}

void issue_title(const struct issue *i, char *dst, size_t size)
{
	if (size == 0)
		return;
	const char *subject = strchr(i->id, ':');
	if (subject != NULL && subject[1] != '\0')
		snprintf(dst, size, "%s (%s)", ISSUE_TYPES[i->type].title, subject + 1);
	else
		snprintf(dst, size, "%s", ISSUE_TYPES[i->type].title);
}

bool issue_addressed_by(const struct issue *i, const struct action *a)
{
	if (action_word_listed(a->addresses, ISSUE_TYPES[i->type].name))
		return true;
	for (int k = 0; k < i->action_count; k++)
		if (strcmp(i->actions[k], a->name) == 0)
			return true;
	return false;
}

const struct issue *diagnosis_find(const struct diagnosis *d, const char *id)
{
	for (int i = 0; d && id && *id && i < d->count; i++)
		if (strcmp(d->issues[i].id, id) == 0)
			return &d->issues[i];
	return NULL;
}

int issue_type_from_name(const char *name)
{
	for (int t = 0; t < ISSUE_TYPE_COUNT; t++)
		if (strcmp(ISSUE_TYPES[t].name, name) == 0)
			return t;
	return -1;
}
