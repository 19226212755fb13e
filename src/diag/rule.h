/* rule.h - what a diagnosis rule sees and the one list of rules (internal
 * to diag/; callers use diagnose.h).
 *
 * A rule is one function, void rule_<name>(const struct rule_context *): it
 * looks at one part of the snapshot and adds zero or more issues. Rules live
 * in one file per topic (rules_<topic>.c) and are listed once, in RULE_LIST;
 * diagnose() runs them in that order. Severity follows the seed: a backend
 * that is down is high, as is an error rate over the limit; slowness is
 * medium; what only limits opsdeck's own view (no index, no statistics) is
 * low. Rules never do I/O and never read the clock, so the same snapshot
 * always gives the same issues.
 */
#ifndef OPSDECK_DIAG_RULE_H
#define OPSDECK_DIAG_RULE_H

#include "diag/diagnose.h"

struct rule_context {
	const struct snapshot *now;
	const struct snapshot *previous; /* may be NULL */
	const struct config *cfg;
	struct diagnosis *out;
};

/* The rules in the order they run; equal severities keep this order in the
 * output. X(name) is rule_<name>. */
#define RULE_LIST(X)                                                                               \
	X(database_down)                                                                           \
	X(redis_down)                                                                              \
	X(app_down)                                                                                \
	X(app_instance_down)                                                                       \
	X(storage_full)                                                                            \
	X(error_rate)                                                                              \
	X(slow_response)                                                                           \
	X(p95_response)                                                                            \
	X(slow_queries)                                                                            \
	X(query_stats)                                                                             \
	X(request_log)                                                                             \
	X(redis_memory)                                                                            \
	X(redis_evictions)                                                                         \
	X(redis_bgsave)                                                                            \
	X(redis_noeviction)                                                                        \
	X(redis_aof_write)                                                                         \
	X(redis_fork)                                                                              \
	X(redis_latency)                                                                           \
	X(redis_slow_commands)                                                                     \
	X(redis_rejected)                                                                          \
	X(redis_blocked)                                                                           \
	X(redis_replication)                                                                       \
	X(connections)                                                                             \
	X(pool_fit)                                                                                \
	X(pgbouncer_down)                                                                          \
	X(pgbouncer_waiting)                                                                       \
	X(pgbouncer_max_wait)                                                                      \
	X(idle_in_transaction)                                                                     \
	X(lock_waiters)                                                                            \
	X(root_blocker)                                                                            \
	X(deadlocks)                                                                               \
	X(version)                                                                                 \
	X(backup_stale)                                                                            \
	X(backup_unfinished)                                                                       \
	X(backup_drill_failed)                                                                     \
	X(backup_drill_stale)                                                                      \
	X(replication_lag)                                                                         \
	X(replication_slot)                                                                        \
	X(xid_wraparound)                                                                          \
	X(cache_hit)                                                                               \
	X(dead_tuples)                                                                             \
	X(history)                                                                                 \
	X(after_deploy) /* last: it links the problems the rules above found */

#define RULE_DECLARE(name) void rule_##name(const struct rule_context *ctx);
RULE_LIST(RULE_DECLARE)
#undef RULE_DECLARE

/* Adds an issue of `type` with the actions [actions] suggests for it;
 * `subject` makes the id unique when one rule can fire more than once (a
 * storage path). NULL when the diagnosis is full. */
struct issue *rule_add_issue(const struct rule_context *ctx, enum issue_type type,
                             enum issue_severity severity, const char *subject);

/* snprintf into a fixed member: the message and recommendation are
 * formatted from snapshot text that is already sanitised. */
void rule_say(char *dst, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define MESSAGE(issue, ...) rule_say((issue)->message, sizeof((issue)->message), __VA_ARGS__)
#define RECOMMEND(issue, ...)                                                                      \
	rule_say((issue)->recommendation, sizeof((issue)->recommendation), __VA_ARGS__)

#endif
