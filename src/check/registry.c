/* registry.c - the table of checks (check.h) and the helpers over it.
 *
 * Adding a check: one file in src/check/ that defines its check_class, and
 * its row in CHECK_LIST (check.h).
 */
#include "check/check.h"

#include <string.h>

const struct check_class *const CHECKS[CHECK_COUNT] = {
#define CHECK_ROW(id, name) [CHECK_ID_##id] = &check_##name,
    CHECK_LIST(CHECK_ROW)
#undef CHECK_ROW
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
		if (row == c || row->filled_by == c)
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

void check_history_record(struct history_record *r, const struct snapshot *s,
                          const struct diagnosis *d, int64_t monotonic_ms)
{
	history_record_from_snapshot(r, s, d, monotonic_ms);
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		const struct check_common *c = check_common_of(CHECKS[i], s);
		if (c && CHECKS[i]->group != CHECK_GROUP_RECORD)
			history_record_add_check(r, CHECKS[i]->key, c->state);
	}
}
