/* overall.h - the one overall state of a snapshot and its diagnosis, which
 * every output shows: `status` (text, JSON, Prometheus), `check`,
 * `diagnose` and the dashboard's header.
 *
 * The state is the worst of the health checks and of the diagnosis, so no
 * output can say OK beside a warning. Its values are the monitoring-plugins
 * codes, which `check` and `diagnose` exit with. Pure: reads its arguments
 * only.
 */
#ifndef OPSDECK_CHECK_OVERALL_H
#define OPSDECK_CHECK_OVERALL_H

#include "model/issue.h"
#include "model/snapshot.h"

enum overall_state {
	OVERALL_OK = 0,       /* everything configured is healthy, no issue */
	OVERALL_WARNING = 1,  /* low or medium issues only, or an unknown version */
	OVERALL_CRITICAL = 2, /* a configured health check is unhealthy, or a high issue */
	OVERALL_UNKNOWN = 3,  /* nothing is configured to check */
};

/* CRITICAL when a health check (CHECK_GROUP_HEALTH) is unhealthy or d holds
 * a high issue; else UNKNOWN when no health check is configured; else
 * WARNING when d holds any issue or the version (CHECK_GROUP_IDENTITY)
 * cannot be read; else OK. A check still pending counts as configured and
 * healthy. d may be NULL (no diagnosis: the checks alone decide). */
enum overall_state overall_state(const struct snapshot *s, const struct diagnosis *d);

/* "ok", "warning", "critical", "unknown": JSON and Prometheus labels. */
const char *overall_state_name(enum overall_state state);

/* "OK", "WARNING", "CRITICAL", "UNKNOWN": text, the plugin line, headers. */
const char *overall_state_word(enum overall_state state);

/* The issue that decided a WARNING or CRITICAL state (the first of the
 * highest severity), or NULL when there is none or d is NULL. */
const struct issue *overall_worst_issue(const struct diagnosis *d);

#endif
