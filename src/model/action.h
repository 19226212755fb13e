/* action.h - the registry of recovery actions: what each one is called,
 * how it is invoked, what it does, whether it is destructive and what it
 * needs configured. One row per action in ACTIONS[], indexed by enum
 * action_id; nothing else spells an action's name.
 *
 * The registry lives in model/ so that issue types (issue.h) can suggest
 * actions and the configuration can check the names it is given; how an
 * action runs (its dry run and its run, by id) is job/actions.c's part.
 * Pure data and lookups: no I/O.
 *
 * Adding an action: an ACTION_NAME_ macro, an enum action_id entry, a row
 * in ACTIONS[] (action.c) and its functions in job/actions.c.
 */
#ifndef OPSDECK_MODEL_ACTION_H
#define OPSDECK_MODEL_ACTION_H

#include <stdbool.h>
#include <stddef.h>

/* The names the operator types; issue.h builds its default suggestions
 * from them. */
#define ACTION_NAME_CLEAR_CACHE       "clear-cache"
#define ACTION_NAME_RESTART_APP       "restart-app"
#define ACTION_NAME_RECONNECT_DB      "reconnect-db"
#define ACTION_NAME_CANCEL_QUERY      "cancel-query"
#define ACTION_NAME_TERMINATE_QUERY   "terminate-query"
#define ACTION_NAME_TERMINATE_BLOCKER "terminate-blocker"

/* In the order `recover --list` and the usage show them. */
enum action_id {
	ACTION_CLEAR_CACHE,
	ACTION_RESTART_APP,
	ACTION_RECONNECT_DB,
	ACTION_CANCEL_QUERY,
	ACTION_TERMINATE_QUERY,
	ACTION_TERMINATE_BLOCKER,
	ACTION_COUNT
};

/* What an action needs configured to be available. */
enum action_need {
	ACTION_NEEDS_REDIS = 1 << 0,           /* [redis] url */
	ACTION_NEEDS_DATABASE = 1 << 1,        /* [database] url */
	ACTION_NEEDS_RESTART_COMMAND = 1 << 2, /* [recovery] restart_command */
	ACTION_NEEDS_PID = 1 << 3,             /* a backend pid (--pid N) */
	ACTION_NEEDS_CACHE_PREFIX = 1 << 4,    /* [redis] cache_prefix, not empty */
	/* The pid's session must be running a query (state active): what it
	 * does to an idle or idle-in-transaction session is nothing at all. */
	ACTION_NEEDS_RUNNING_QUERY = 1 << 5,
	/* Takes --pid N but does not need it: without, it picks its target
	 * itself (terminate-blocker: the root blocker with most waiters). */
	ACTION_TAKES_PID = 1 << 6,
};

/* The backend an action acts on, re-probed afterwards. */
enum action_backend {
	ACTION_BACKEND_REDIS,
	ACTION_BACKEND_APP,
	ACTION_BACKEND_DATABASE,
};

struct action {
	enum action_id id;
	const char *name;    /* "cancel-query" */
	const char *usage;   /* one line: "cancel-query --pid N" */
	const char *summary; /* what it does, one line */
	bool destructive;    /* the operator types its name to confirm */
	const char *touches; /* "redis", "app", "database" (the audit target) */
	enum action_backend backend;
	unsigned needs; /* enum action_need bits */
	/* The issue types (model/issue.h names, space-separated) whose
	 * figures it can move, whatever issue it was started from: the
	 * re-check compares these (issue_addressed_by). */
	const char *addresses;
	/* For ACTION_NEEDS_RUNNING_QUERY: the action that works on a session
	 * that runs no query (offered instead), or NULL. */
	const char *fallback;
};

extern const struct action ACTIONS[ACTION_COUNT];

/* The action called `name`, or NULL. */
const struct action *action_find(const char *name);

/* "clear-cache, restart-app, ..." (every name, in table order) into dst,
 * cut to size, for messages. */
void action_names(char *dst, size_t size);

/* The actions that need `need` (an enum action_need bit), names joined by
 * `separator`, into dst: "cancel-query and terminate-query". */
void action_names_needing(unsigned need, const char *separator, char *dst, size_t size);

/* Whether `word` is one of the space-separated words of `list` (an
 * addresses column, a suggestion list). */
bool action_word_listed(const char *list, const char *word);

/* Whether the action can do anything to a PostgreSQL session in `state`
 * (pg_stat_activity.state): false for an action that needs a running query
 * and a session that runs none. */
bool action_affects_session(const struct action *a, const char *state);

#endif
