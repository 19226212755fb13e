/* causes.h - cause-first ordering of a diagnosis (internal to diag/).
 *
 * Some problems produce others: a session holding a lock makes requests
 * slow, a database that is down makes the app fail. diagnose() calls
 * diagnose_link_causes() after sorting by severity: every issue whose likely
 * cause is present names it (issue.likely_cause, the root-most cause when
 * there are several) and both list each other in issue.related; each cause
 * then takes the place of its most severe effect, with its effects right
 * after it. Pure: the same issues always give the same order.
 */
#ifndef OPSDECK_DIAG_CAUSES_H
#define OPSDECK_DIAG_CAUSES_H

#include "model/issue.h"

void diagnose_link_causes(struct diagnosis *d);

#endif
