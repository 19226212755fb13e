/* deploy.c - the last deploy and the first problem after it (deploy.h). */
#include "model/deploy.h"

#include <string.h>

#include "model/issue.h"
#include "model/snapshot.h"
#include "util/text.h"

bool deploy_can_cause(enum issue_type type)
{
	switch (type) {
	case ISSUE_APP_DOWN:
	case ISSUE_APP_INSTANCE_DOWN:
	case ISSUE_ERROR_RATE:
	case ISSUE_SLOW_RESPONSE:
	case ISSUE_P95_RESPONSE:
	case ISSUE_SLOW_QUERIES:
		return true;
	default:
		return false;
	}
}

static bool diagnosis_has_deploy_problem(const struct diagnosis *diag)
{
	for (int i = 0; diag != NULL && i < diag->count; i++)
		if (deploy_can_cause(diag->issues[i].type))
			return true;
	return false;
}

bool deploy_observe(struct deploy_status *d, const struct version_status *before,
                    const struct version_status *now, const struct diagnosis *open, int64_t at_ms)
{
	if (before->check.state != CHECK_OK || now->check.state != CHECK_OK ||
	    !before->version[0] || !now->version[0] || strcmp(before->version, now->version) == 0)
		return false;
	memset(d, 0, sizeof(*d));
	d->at_ms = at_ms;
	text_copy(d->from, before->version, sizeof(d->from));
	text_copy(d->to, now->version, sizeof(d->to));
	text_copy(d->commit, now->commit_hash, sizeof(d->commit));
	d->problem_at_ms = diagnosis_has_deploy_problem(open) ? DEPLOY_PROBLEMS_BEFORE : 0;
	return true;
}

void deploy_note_problems(struct deploy_status *d, const struct diagnosis *diag, int64_t at_ms)
{
	if (d->at_ms > 0 && d->problem_at_ms == 0 && at_ms - d->at_ms <= DEPLOY_LINK_WINDOW_MS &&
	    diagnosis_has_deploy_problem(diag))
		d->problem_at_ms = at_ms;
}

void deploy_track(struct deploy_status *d, const struct snapshot *before, struct snapshot *now,
                  const struct diagnosis *last)
{
	if (before != NULL)
		deploy_observe(d, &before->version, &now->version, last, now->taken_at_ms);
	now->deploy = *d;
}
