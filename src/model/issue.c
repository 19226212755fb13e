/* issue.c - the table of issue types and the names of severities, statuses
 * and recovery actions (see issue.h). */
#include "model/issue.h"

#include <string.h>

const struct issue_type_info ISSUE_TYPES[ISSUE_TYPE_COUNT] = {
#define ISSUE_TYPE_ROW(id, name, actions) [id] = {name, actions},
	ISSUE_TYPE_LIST(ISSUE_TYPE_ROW)
#undef ISSUE_TYPE_ROW
};

/* The recovery actions; their behaviour lives with the recovery jobs. */
static const char *const RECOVERY_ACTIONS[] = {
	"clear-cache", "restart-app", "reconnect-db", "cancel-query", "terminate-query",
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

bool recovery_action_known(const char *name)
{
	for (size_t i = 0; i < sizeof(RECOVERY_ACTIONS) / sizeof(RECOVERY_ACTIONS[0]); i++)
		if (strcmp(RECOVERY_ACTIONS[i], name) == 0)
			return true;
	return false;
}

const char *recovery_action_names(void)
{
	return "clear-cache, restart-app, reconnect-db, cancel-query, terminate-query";
}
