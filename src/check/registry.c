/* registry.c - the table of checks (check.h) and the helpers over it.
 *
 * Adding a check: one file in src/check/ that defines its check_class, its
 * index in enum check_id (check.h), and its row below.
 */
#include "check/check.h"

#include <string.h>

extern const struct check_class check_database;
extern const struct check_class check_redis;
extern const struct check_class check_health;
extern const struct check_class check_requests;
extern const struct check_class check_slow_queries;
extern const struct check_class check_storage;
extern const struct check_class check_version;
extern const struct check_class check_backup;

const struct check_class *const CHECKS[CHECK_COUNT] = {
    [CHECK_ID_DATABASE] = &check_database,
    [CHECK_ID_REDIS] = &check_redis,
    [CHECK_ID_HEALTH] = &check_health,
    [CHECK_ID_REQUESTS] = &check_requests,
    [CHECK_ID_SLOW_QUERIES] = &check_slow_queries,
    [CHECK_ID_STORAGE] = &check_storage,
    [CHECK_ID_VERSION] = &check_version,
    [CHECK_ID_BACKUP] = &check_backup,
};

const struct check_class *check_find(const char *key)
{
	for (size_t i = 0; key && i < CHECK_COUNT; i++)
		if (strcmp(CHECKS[i]->key, key) == 0)
			return CHECKS[i];
	return NULL;
}

const struct check_common *check_common_of(const struct check_class *c, const struct snapshot *s)
{
	if (!c->has_common)
		return NULL;
	return (const struct check_common *)((const char *)s + c->offset);
}

void check_publish(const struct check_class *c, struct snapshot *dst, const struct snapshot *src)
{
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		const struct check_class *row = CHECKS[i];
		if (row == c || (row->filled_by && strcmp(row->filled_by, c->key) == 0))
			memcpy((char *)dst + row->offset, (const char *)src + row->offset,
			       row->size);
	}
}

enum check_state check_overall(const struct snapshot *s)
{
	enum check_state worst = CHECK_NOT_CONFIGURED;
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		const struct check_common *c = check_common_of(CHECKS[i], s);
		if (CHECKS[i]->group == CHECK_GROUP_HEALTH && c && c->state > worst)
			worst = c->state;
	}
	return worst;
}
