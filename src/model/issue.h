/* issue.h - what diagnosis finds: Issues, their types, and the recovery
 * actions that fit each type.
 *
 * The type table (ISSUE_TYPES) is the one place that names every kind of
 * problem opsdeck recognises and the actions it suggests for it by default
 * (the seed's §4.2 mapping, made explicit). The [actions] section of the
 * configuration overrides the suggestions per type.
 */
#ifndef OPSDECK_MODEL_ISSUE_H
#define OPSDECK_MODEL_ISSUE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/action.h"

enum issue_severity {
	SEVERITY_LOW = 1,
	SEVERITY_MEDIUM,
	SEVERITY_HIGH,
};

const char *issue_severity_name(enum issue_severity severity); /* "low", "medium", "high" */
/* The severity of a name above, or -1. */
int issue_severity_from_name(const char *name);

/* The issue type named `name` ("error_rate"), or -1. */
int issue_type_from_name(const char *name);

/* X-macro: type, its name in config, JSON and the audit log, its title for
 * people (dialogs, Activity), default suggested actions
 * (names from model/action.h, space-separated as in the [actions] section;
 * the first is the one the dashboard preselects). A lock is suggested
 * terminate-query first: its blocker is usually idle in transaction, and
 * cancelling a session that runs no query does nothing. */
#define ISSUE_TYPE_LIST(X)                                                                         \
	X(ISSUE_DATABASE_DOWN, "database_down", "database down", ACTION_NAME_RECONNECT_DB)         \
	X(ISSUE_REDIS_DOWN, "redis_down", "Redis down", "")                                        \
	X(ISSUE_APP_DOWN, "app_down", "app down",                                                  \
	  ACTION_NAME_RESTART_APP " " ACTION_NAME_RECONNECT_DB " " ACTION_NAME_CLEAR_CACHE)        \
	X(ISSUE_APP_INSTANCE_DOWN, "app_instance_down", "app instance down",                       \
	  ACTION_NAME_RESTART_APP)                                                                 \
	X(ISSUE_STORAGE_FULL, "storage_full", "storage full", "")                                  \
	X(ISSUE_ERROR_RATE, "error_rate", "error rate",                                            \
	  ACTION_NAME_RESTART_APP " " ACTION_NAME_CLEAR_CACHE)                                     \
	X(ISSUE_SLOW_RESPONSE, "slow_response", "slow response", ACTION_NAME_CLEAR_CACHE)          \
	X(ISSUE_P95_RESPONSE, "p95_response", "slow p95 response", ACTION_NAME_CLEAR_CACHE)        \
	X(ISSUE_SLOW_QUERIES, "slow_queries", "slow queries", ACTION_NAME_CANCEL_QUERY)            \
	X(ISSUE_QUERY_STATS, "query_stats", "query statistics unavailable", "")                    \
	X(ISSUE_REQUEST_LOG, "request_log", "request log", "")                                     \
	X(ISSUE_REDIS_MEMORY, "redis_memory", "Redis memory high", ACTION_NAME_CLEAR_CACHE)        \
	X(ISSUE_REDIS_EVICTIONS, "redis_evictions", "Redis evictions", ACTION_NAME_CLEAR_CACHE)    \
	X(ISSUE_REDIS_BGSAVE, "redis_bgsave", "Redis save failing", "")                            \
	X(ISSUE_REDIS_SLOW_COMMANDS, "redis_slow_commands", "Redis slow commands", "")             \
	X(ISSUE_REDIS_LATENCY, "redis_latency", "Redis latency spikes", "")                        \
	X(ISSUE_REDIS_AOF_WRITE, "redis_aof_write", "Redis AOF write failing", "")                 \
	X(ISSUE_REDIS_FORK, "redis_fork", "Redis fork slow", "")                                   \
	X(ISSUE_REDIS_REJECTED, "redis_rejected", "Redis rejecting connections", "")               \
	X(ISSUE_REDIS_BLOCKED, "redis_blocked", "Redis blocked clients", "")                       \
	X(ISSUE_REDIS_NOEVICTION, "redis_noeviction", "Redis writes about to fail", "")            \
	X(ISSUE_REDIS_REPLICATION, "redis_replication", "Redis replication", "")                   \
	X(ISSUE_CONNECTIONS, "connections", "connections near limit", ACTION_NAME_RECONNECT_DB)    \
	X(ISSUE_POOL_FIT, "pool_fit", "pools do not fit", "")                                      \
	X(ISSUE_PGBOUNCER_DOWN, "pgbouncer_down", "PgBouncer unreachable", "")                     \
	X(ISSUE_PGBOUNCER_WAITING, "pgbouncer_waiting", "PgBouncer clients waiting", "")           \
	X(ISSUE_PGBOUNCER_MAX_WAIT, "pgbouncer_max_wait", "PgBouncer wait too long", "")           \
	X(ISSUE_IDLE_IN_TRANSACTION, "idle_in_transaction", "idle in transaction",                 \
	  ACTION_NAME_RECONNECT_DB)                                                                \
	X(ISSUE_LOCK_WAITERS, "lock_waiters", "lock waiters",                                      \
	  ACTION_NAME_TERMINATE_QUERY " " ACTION_NAME_CANCEL_QUERY)                                \
	X(ISSUE_ROOT_BLOCKER, "root_blocker", "root blocker",                                      \
	  ACTION_NAME_TERMINATE_BLOCKER " " ACTION_NAME_CANCEL_QUERY)                              \
	X(ISSUE_DEADLOCKS, "deadlocks", "deadlocks", "")                                           \
	X(ISSUE_VERSION_UNKNOWN, "version_unknown", "version unknown", "")                         \
	X(ISSUE_VERSION_MISMATCH, "version_mismatch", "version mismatch", ACTION_NAME_RESTART_APP) \
	X(ISSUE_VERSION_DRIFT, "version_drift", "version drift", "")                               \
	X(ISSUE_BACKUP_STALE, "backup_stale", "backup stale", "")                                  \
	X(ISSUE_BACKUP_UNFINISHED, "backup_unfinished", "backup unfinished", "")                   \
	X(ISSUE_BACKUP_DRILL_FAILED, "backup_drill_failed", "backup drill failed", "")             \
	X(ISSUE_BACKUP_DRILL_STALE, "backup_drill_stale", "backup drill overdue", "")              \
	X(ISSUE_REPLICATION_LAG, "replication_lag", "replication lag", "")                         \
	X(ISSUE_REPLICATION_SLOT, "replication_slot", "replication slot retains WAL", "")          \
	X(ISSUE_XID_WRAPAROUND, "xid_wraparound", "transaction ID wraparound", "")                 \
	X(ISSUE_CACHE_HIT, "cache_hit", "cache hit ratio low", "")                                 \
	X(ISSUE_DEAD_TUPLES, "dead_tuples", "dead tuples", "")                                     \
	X(ISSUE_HISTORY_UNWRITABLE, "history_unwritable", "history not written", "")               \
	X(ISSUE_AFTER_DEPLOY, "after_deploy", "problems after a deploy", "")

/* Not laid out by clang-format, which reads the X-macro and the member after
 * it as one expression. */
/* clang-format off */
enum issue_type {
#define ISSUE_TYPE_ENUM(id, name, title, actions) id,
	ISSUE_TYPE_LIST(ISSUE_TYPE_ENUM)
#undef ISSUE_TYPE_ENUM
	ISSUE_TYPE_COUNT
};
/* clang-format on */

struct issue_type_info {
	const char *name;            /* "error_rate" */
	const char *title;           /* "error rate" */
	const char *default_actions; /* space-separated action names, may be "" */
};

extern const struct issue_type_info ISSUE_TYPES[ISSUE_TYPE_COUNT];

#define ISSUE_MAX         32
#define ISSUE_MAX_ACTIONS 4
#define ISSUE_MAX_RELATED 6

struct issue {
	enum issue_type type;
	char id[64]; /* stable across polls: type plus subject, e.g. "storage_full:/srv" */
	enum issue_severity severity;
	char message[256];        /* what is wrong, with the figure */
	char recommendation[384]; /* what to do about it */
	int action_count;
	char actions[ISSUE_MAX_ACTIONS][24]; /* suggested recovery actions */
	/* The id of the issue present that likely causes this one, or "";
	 * and the ids of the issues linked with it either way (its cause, or
	 * the ones it causes). */
	char likely_cause[64];
	int related_count;
	char related[ISSUE_MAX_RELATED][64];
};

enum diagnosis_status {
	DIAGNOSIS_OK = 0,      /* exit 0 */
	DIAGNOSIS_WARNING = 1, /* only low/medium issues: exit 1 */
	DIAGNOSIS_ERROR = 2,   /* a high issue: exit 2 */
};

/* The issue's title for people: its type's title, then the subject of its
 * id in parentheses when it has one ("storage full (/srv)"). Always
 * NUL-terminated, cut to `size`. */
void issue_title(const struct issue *i, char *dst, size_t size);

const char *diagnosis_status_name(enum diagnosis_status status); /* "ok", "warning", "error" */

/* Whether action `a` addresses issue i: its type is among the ones the
 * action can move (the registry's addresses column), or the action is
 * among the issue's suggestions. */
bool issue_addressed_by(const struct issue *i, const struct action *a);

struct diagnosis;

/* The issue of d whose id is `id`, or NULL. */
const struct issue *diagnosis_find(const struct diagnosis *d, const char *id);

struct diagnosis {
	enum diagnosis_status status;
	int count;
	/* Most severe first, then in rule order; except that a likely cause
	 * comes first, with the issues it causes right after it. */
	struct issue issues[ISSUE_MAX];
};

#endif
