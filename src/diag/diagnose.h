/* diagnose.h - from a Snapshot to Issues with recommendations.
 *
 * A pure function: no I/O, no clock, no globals. Each rule is one function in
 * a rules_<topic>.c file, listed in rule.h's RULE_LIST; thresholds come from the configuration's
 * [thresholds], suggested actions from [actions] (or the defaults in model/issue.h).
 */
#ifndef OPSDECK_DIAG_DIAGNOSE_H
#define OPSDECK_DIAG_DIAGNOSE_H

#include "config/config.h"
#include "model/issue.h"
#include "model/snapshot.h"

/* Fills `out` with the issues `now` shows. `previous` is the snapshot before
 * (NULL in one-shot commands): with it, rules that look at a trend (Redis
 * evictions rising) can fire. Issues are sorted most severe first; the
 * status is ERROR if any issue is high, WARNING if any other, else OK. */
void diagnose(const struct snapshot *now, const struct snapshot *previous, const struct config *cfg,
              struct diagnosis *out);

#endif
