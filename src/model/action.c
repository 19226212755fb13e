/* action.c - the rows of the recovery action registry and their lookups
 * (see action.h). */
#include "model/action.h"

#include <string.h>

#include "util/text.h"

const struct action ACTIONS[ACTION_COUNT] = {
    [ACTION_CLEAR_CACHE] = {ACTION_CLEAR_CACHE, ACTION_NAME_CLEAR_CACHE, ACTION_NAME_CLEAR_CACHE,
                            "remove the cache keys under cache_prefix (cache_prefix = *: FLUSHDB "
                            "ASYNC of the selected db)",
                            true, "redis", ACTION_BACKEND_REDIS,
                            ACTION_NEEDS_REDIS | ACTION_NEEDS_CACHE_PREFIX,
                            "app_down error_rate slow_response p95_response redis_memory "
                            "redis_evictions",
                            NULL},
    [ACTION_RESTART_APP] = {ACTION_RESTART_APP, ACTION_NAME_RESTART_APP, ACTION_NAME_RESTART_APP,
                            "run restart_command (no shell), with a timeout, output captured", true,
                            "app", ACTION_BACKEND_APP, ACTION_NEEDS_RESTART_COMMAND,
                            "app_down error_rate slow_response p95_response version_mismatch",
                            NULL},
    [ACTION_RECONNECT_DB] = {ACTION_RECONNECT_DB, ACTION_NAME_RECONNECT_DB,
                             ACTION_NAME_RECONNECT_DB,
                             "terminate the app's sessions idle in transaction longer than "
                             "idle_in_tx",
                             true, "database", ACTION_BACKEND_DATABASE, ACTION_NEEDS_DATABASE,
                             "idle_in_transaction lock_waiters connections database_down "
                             "app_down",
                             NULL},
    [ACTION_CANCEL_QUERY] = {ACTION_CANCEL_QUERY, ACTION_NAME_CANCEL_QUERY,
                             ACTION_NAME_CANCEL_QUERY " --pid N",
                             "cancel the running query of one of the app's sessions "
                             "(pg_cancel_backend)",
                             false, "database", ACTION_BACKEND_DATABASE,
                             ACTION_NEEDS_DATABASE | ACTION_NEEDS_PID | ACTION_NEEDS_RUNNING_QUERY,
                             "slow_queries lock_waiters", ACTION_NAME_TERMINATE_QUERY},
    [ACTION_TERMINATE_QUERY] =
        {ACTION_TERMINATE_QUERY, ACTION_NAME_TERMINATE_QUERY,
         ACTION_NAME_TERMINATE_QUERY " --pid N",
         "end one of the app's sessions (pg_terminate_backend)", true, "database",
         ACTION_BACKEND_DATABASE, ACTION_NEEDS_DATABASE | ACTION_NEEDS_PID,
         "lock_waiters root_blocker idle_in_transaction slow_queries connections", NULL},
    [ACTION_TERMINATE_BLOCKER] = {ACTION_TERMINATE_BLOCKER, ACTION_NAME_TERMINATE_BLOCKER,
                                  ACTION_NAME_TERMINATE_BLOCKER " [--pid N] [--force]",
                                  "end the root blocker of a lock chain (the one with most "
                                  "waiters, or --pid) with pg_terminate_backend",
                                  true, "database", ACTION_BACKEND_DATABASE,
                                  ACTION_NEEDS_DATABASE | ACTION_TAKES_PID,
                                  "root_blocker lock_waiters", NULL},
};

const struct action *action_find(const char *name)
{
	for (size_t i = 0; i < ACTION_COUNT; i++)
		if (strcmp(ACTIONS[i].name, name) == 0)
			return &ACTIONS[i];
	return NULL;
}

void action_names_needing(unsigned need, const char *separator, char *dst, size_t size)
{
	size_t used = 0;
	if (size)
		dst[0] = '\0';
	for (size_t i = 0; i < ACTION_COUNT && used < size; i++) {
		if ((ACTIONS[i].needs & need) != need)
			continue;
		if (used)
			used += text_copy(dst + used, separator, size - used);
		if (used < size)
			used += text_copy(dst + used, ACTIONS[i].name, size - used);
	}
}

void action_names(char *dst, size_t size)
{
	action_names_needing(0, ", ", dst, size);
}

bool action_word_listed(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list ? list : ""; *p;) {
		size_t len = strcspn(p, " ");
		if (len == n && n && strncmp(p, word, n) == 0)
			return true;
		p += len;
		p += strspn(p, " ");
	}
	return false;
}

bool action_affects_session(const struct action *a, const char *state)
{
	if (!(a->needs & ACTION_NEEDS_RUNNING_QUERY))
		return true;
	/* "active" and "fastpath function call" run something; "idle",
	 * "idle in transaction (aborted)" and the like do not */
	return !text_starts_with(state, "idle");
}
