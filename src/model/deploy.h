/* deploy.h - the last deploy: the deployed version changing from one
 * poll to the next, and when the problems a deploy can cause were first
 * seen after it, so that the diagnosis can link them ("error rate began
 * 40 s after deploy 2.4.1 -> 2.4.2", rule after_deploy).
 *
 * A poller (the recorder, the dashboard) keeps one across polls: it starts
 * from the history (history_last_deploy), deploy_observe notes a change of
 * version and deploy_note_problems the first problem after it; the
 * snapshot carries a copy to the rules. Plain data.
 */
#ifndef OPSDECK_MODEL_DEPLOY_H
#define OPSDECK_MODEL_DEPLOY_H

#include <stdbool.h>
#include <stdint.h>

#include "model/issue.h"

/* How long after a deploy a new problem is linked to it. */
#define DEPLOY_LINK_WINDOW_MS (15 * 60 * 1000)

/* problem_at_ms when problems that a deploy can cause were already open
 * when it came: nothing is linked to it. */
#define DEPLOY_PROBLEMS_BEFORE (-1)

struct deploy_status {
	int64_t at_ms; /* wall clock of the first poll that saw the new version; 0: none known */
	char from[64];
	char to[64];
	char commit[64];       /* the new version's commit, or "" */
	int64_t problem_at_ms; /* first poll after it with such a problem; 0: none yet;
	                          DEPLOY_PROBLEMS_BEFORE */
};

struct version_status;
struct snapshot;

/* Whether a problem of this type can follow from a deploy (the app's
 * errors, slowness, failing instances, slow queries). */
bool deploy_can_cause(enum issue_type type);

/* Notes a deploy when both polls read a version and they differ; `open`
 * is the diagnosis before it (may be NULL). Returns whether it noted one. */
bool deploy_observe(struct deploy_status *d, const struct version_status *before,
                    const struct version_status *now, const struct diagnosis *open, int64_t at_ms);

/* Notes the first poll after the deploy whose diagnosis has a problem it
 * can cause. */
void deploy_note_problems(struct deploy_status *d, const struct diagnosis *diag, int64_t at_ms);

/* A poller's step before diagnose: deploy_observe between the poll before
 * (NULL: none; last is its diagnosis) and now, then now->deploy = *d.
 * After diagnose, deploy_note_problems with its diagnosis. */
void deploy_track(struct deploy_status *d, const struct snapshot *before, struct snapshot *now,
                  const struct diagnosis *last);

#endif
