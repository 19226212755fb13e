/* recheck.h - after an action: probe again and show, for the issues the
 * action addresses, before -> after ("error_rate: error rate 7.2 % -> 0.4 %,
 * issue cleared" or "still present").
 *
 * recheck_compare() is pure (snapshots and diagnoses in, lines out);
 * recheck_run() probes (with the caller's `probe`, after probe_global_init)
 * and may wait a little for a restarted backend to come back.
 */
#ifndef OPSDECK_JOB_RECHECK_H
#define OPSDECK_JOB_RECHECK_H

#include <stddef.h>

#include "config/config.h"
#include "model/issue.h"
#include "model/snapshot.h"
#include "util/strbuf.h"

/* The figure an issue type is measured by in a snapshot ("error rate
 * 7.2 %", "health HTTP 500"); "" when the type has none. */
void recheck_figure(enum issue_type type, const struct snapshot *s, char *dst, size_t size);

/* Whether issue i is one `action` addresses: focus_id (may be NULL) names
 * it, or the action can move its figures (issue_addressed_by: the
 * registry's addresses column, or the issue's suggestions), whichever panel
 * the action was started from. An unknown action addresses only the focus. */
int recheck_relevant(const struct issue *i, const char *action, const char *focus_id);

/* One line per relevant issue of `before_issues` into out. Returns how many
 * are still present after. */
int recheck_compare(const char *action, const char *focus_id, const struct snapshot *before,
                    const struct diagnosis *before_issues, const struct snapshot *after,
                    const struct diagnosis *after_issues, struct strbuf *out);

/* Probes everything (`probe` fills a whole snapshot), diagnoses, compares
 * against before. While a relevant issue is still present it probes again,
 * up to `attempts` times, a second apart (a restarted app takes a moment).
 * Returns the number still present. */
int recheck_run(const struct config *cfg,
                void (*probe)(const struct config *cfg, struct snapshot *out), const char *action,
                const char *focus_id, const struct snapshot *before,
                const struct diagnosis *before_issues, int attempts, struct strbuf *out);

#endif
