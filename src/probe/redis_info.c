/* redis_info.c - parse the text Redis returns for INFO (see redis_info.h).
 * Pure, and defensive: the text comes from the network, so lines may be of
 * any length, values may be junk, and nothing is assumed to be terminated. */
#include "probe/redis_info.h"

#include <stdbool.h>
#include <string.h>

#include "util/sanitize.h"
#include "util/text.h"

/* No value we read is longer than this; a longer one is junk, not a number
 * to be cut short (which would silently change it). */
#define VALUE_MAX 64

enum field_kind { FIELD_INT64, FIELD_DOUBLE, FIELD_TEXT, FIELD_BGSAVE };

struct field {
	const char *key;
	enum field_kind kind;
	void *dst;
	size_t dst_size; /* for FIELD_TEXT */
};

/* Stores one "key:value" line if key is one we read and value is well formed.
 * Returns the field stored, or NULL. */
static const struct field *store_field(const struct field *fields, size_t count, const char *key,
                                       size_t key_len, const char *value, size_t value_len)
{
	const struct field *f = NULL;
	for (size_t i = 0; i < count; i++)
		if (strlen(fields[i].key) == key_len && memcmp(fields[i].key, key, key_len) == 0) {
			f = &fields[i];
			break;
		}
	if (!f || value_len == 0)
		return NULL;

	if (f->kind == FIELD_TEXT) {
		sanitize_bytes(f->dst, f->dst_size, value, value_len);
		return f;
	}
	if (value_len >= VALUE_MAX || memchr(value, '\0', value_len))
		return NULL;
	char buf[VALUE_MAX];
	memcpy(buf, value, value_len);
	buf[value_len] = '\0';

	switch (f->kind) {
	case FIELD_INT64: {
		int64_t v;
		if (text_parse_int64(buf, &v) < 0 || v < 0)
			return NULL;
		*(int64_t *)f->dst = v;
		return f;
	}
	case FIELD_DOUBLE: {
		double v;
		if (text_parse_double(buf, &v) < 0 || v < 0)
			return NULL;
		*(double *)f->dst = v;
		return f;
	}
	case FIELD_BGSAVE:
		/* "ok" or "err"; anything else is not a success either. */
		*(bool *)f->dst = strcmp(buf, "ok") == 0;
		return f;
	case FIELD_TEXT:
		break;
	}
	return NULL;
}

int redis_info_parse(const char *text, size_t len, struct redis_status *out)
{
	bool saw_lookups = false;
	const struct field fields[] = {
	    {"redis_version", FIELD_TEXT, out->version, sizeof(out->version)},
	    {"role", FIELD_TEXT, out->role, sizeof(out->role)},
	    {"used_memory", FIELD_INT64, &out->used_memory, 0},
	    {"maxmemory", FIELD_INT64, &out->maxmemory, 0},
	    {"mem_fragmentation_ratio", FIELD_DOUBLE, &out->fragmentation_ratio, 0},
	    {"connected_clients", FIELD_INT64, &out->connected_clients, 0},
	    {"evicted_keys", FIELD_INT64, &out->evicted_keys, 0},
	    {"keyspace_hits", FIELD_INT64, &out->keyspace_hits, 0},
	    {"keyspace_misses", FIELD_INT64, &out->keyspace_misses, 0},
	    {"rdb_last_bgsave_status", FIELD_BGSAVE, &out->last_bgsave_ok, 0},
	    {"uptime_in_seconds", FIELD_INT64, &out->uptime_s, 0},
	};
	const size_t field_count = sizeof(fields) / sizeof(fields[0]);
	int recognised = 0;

	if (!text)
		return 0;
	const char *p = text;
	const char *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = nl ? nl : end;
		const char *next = nl ? nl + 1 : end;
		/* Redis ends lines with CRLF; accept LF alone too. */
		if (line_end > p && line_end[-1] == '\r')
			line_end--;
		size_t line_len = (size_t)(line_end - p);

		if (line_len > 0 && p[0] != '#') {
			const char *colon = memchr(p, ':', line_len);
			if (colon && colon > p) {
				size_t key_len = (size_t)(colon - p);
				const struct field *f =
				    store_field(fields, field_count, p, key_len, colon + 1,
				                line_len - key_len - 1);
				if (f) {
					recognised++;
					saw_lookups |= f->dst == &out->keyspace_hits ||
					               f->dst == &out->keyspace_misses;
				}
			}
		}
		p = next;
	}

	if (saw_lookups) {
		/* In double: two huge int64 counters must not overflow their sum. */
		double lookups = (double)out->keyspace_hits + (double)out->keyspace_misses;
		out->hit_rate = lookups > 0 ? (double)out->keyspace_hits / lookups : -1;
	}
	return recognised;
}
