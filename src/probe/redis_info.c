/* redis_info.c - parse the text Redis returns for INFO (see redis_info.h).
 * Pure, and defensive: the text comes from the network, so lines may be of
 * any length, values may be junk, and nothing is assumed to be terminated. */
#include "probe/redis_info.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/sanitize.h"
#include "util/text.h"

/* No value we read is longer than this; a longer one is junk, not a number
 * to be cut short (which would silently change it). */
#define VALUE_MAX 64

enum field_kind { FIELD_INT64, FIELD_DOUBLE, FIELD_TEXT, FIELD_BGSAVE, FIELD_FLAG };

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
	case FIELD_FLAG:
		/* "1" (or "up") is true, anything else false. */
		*(bool *)f->dst = strcmp(buf, "1") == 0 || strcmp(buf, "up") == 0;
		return f;
	case FIELD_TEXT:
		break;
	}
	return NULL;
}

/* Called for a "key:value" line no field matched. */
typedef void (*other_line_fn)(const char *key, size_t key_len, const char *value, size_t value_len,
                              void *arg);

/* Stores every line of text whose key is in fields; returns how many were
 * stored. hits_seen (may be NULL) is set when a keyspace counter was read. */
static int scan_fields(const char *text, size_t len, const struct field *fields, size_t field_count,
                       const void *hits_a, const void *hits_b, bool *hits_seen, other_line_fn other,
                       void *arg)
{
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
				size_t value_len = line_len - key_len - 1;
				const struct field *f = store_field(fields, field_count, p, key_len,
				                                    colon + 1, value_len);
				if (f) {
					recognised++;
					if (hits_seen && (f->dst == hits_a || f->dst == hits_b))
						*hits_seen = true;
				} else if (other) {
					other(p, key_len, colon + 1, value_len, arg);
				}
			}
		}
		p = next;
	}
	return recognised;
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
	int recognised =
	    scan_fields(text, len, fields, sizeof(fields) / sizeof(fields[0]), &out->keyspace_hits,
	                &out->keyspace_misses, &saw_lookups, NULL, NULL);
	if (saw_lookups) {
		/* In double: two huge int64 counters must not overflow their sum. */
		double lookups = (double)out->keyspace_hits + (double)out->keyspace_misses;
		out->hit_rate = lookups > 0 ? (double)out->keyspace_hits / lookups : -1;
	}
	return recognised;
}

/* Copies "name=value" of a "k=v,k=v" list into dst (sanitised); 0 when found. */
static int list_value(const char *list, size_t len, const char *name, char *dst, size_t size)
{
	size_t name_len = strlen(name);
	const char *p = list, *end = list + len;
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *item_end = comma ? comma : end;
		if ((size_t)(item_end - p) > name_len && memcmp(p, name, name_len) == 0 &&
		    p[name_len] == '=') {
			sanitize_bytes(dst, size, p + name_len + 1,
			               (size_t)(item_end - p) - name_len - 1);
			return 0;
		}
		p = comma ? comma + 1 : end;
	}
	return -1;
}

static int64_t list_int(const char *list, size_t len, const char *name, int64_t fallback)
{
	char buf[VALUE_MAX];
	int64_t v;
	if (list_value(list, len, name, buf, sizeof(buf)) < 0 || text_parse_int64(buf, &v) < 0 ||
	    v < 0)
		return fallback;
	return v;
}

/* "slave0:ip=10.0.0.7,port=6380,state=online,offset=123,lag=0" */
static void replica_line(const char *key, size_t key_len, const char *value, size_t value_len,
                         void *arg)
{
	struct redis_load *l = arg;
	if (key_len < 6 || memcmp(key, "slave", 5) != 0 || key[5] < '0' || key[5] > '9' ||
	    l->replica_count >= REDIS_LOAD_REPLICAS_MAX)
		return;
	struct redis_replica *r = &l->replicas[l->replica_count];
	char ip[48] = "", port[16] = "";
	if (list_value(value, value_len, "ip", ip, sizeof(ip)) < 0)
		return;
	(void)list_value(value, value_len, "port", port, sizeof(port));
	snprintf(r->addr, sizeof(r->addr), "%s:%s", ip, port[0] ? port : "?");
	if (list_value(value, value_len, "state", r->state, sizeof(r->state)) < 0)
		snprintf(r->state, sizeof(r->state), "unknown");
	r->offset = list_int(value, value_len, "offset", 0);
	r->lag_s = list_int(value, value_len, "lag", -1);
	l->replica_count++;
}

int redis_info_parse_load(const char *text, size_t len, struct redis_load *out)
{
	char aof_write[8] = "", link[16] = "", host[48] = "", port[16] = "";
	bool in_progress = false, aof_enabled = false;
	const struct field fields[] = {
	    {"aof_enabled", FIELD_FLAG, &aof_enabled, 0},
	    {"aof_last_write_status", FIELD_TEXT, aof_write, sizeof(aof_write)},
	    {"rdb_changes_since_last_save", FIELD_INT64, &out->rdb_changes_since_last_save, 0},
	    {"rdb_bgsave_in_progress", FIELD_FLAG, &in_progress, 0},
	    {"latest_fork_usec", FIELD_INT64, &out->latest_fork_usec, 0},
	    {"rejected_connections", FIELD_INT64, &out->rejected_connections, 0},
	    {"blocked_clients", FIELD_INT64, &out->blocked_clients, 0},
	    {"maxmemory_policy", FIELD_TEXT, out->maxmemory_policy, sizeof(out->maxmemory_policy)},
	    {"connected_slaves", FIELD_INT64, &out->connected_replicas, 0},
	    {"master_repl_offset", FIELD_INT64, &out->master_repl_offset, 0},
	    {"master_link_status", FIELD_TEXT, link, sizeof(link)},
	    {"master_last_io_seconds_ago", FIELD_INT64, &out->master_last_io_s, 0},
	    {"master_link_down_since_seconds", FIELD_INT64, &out->master_link_down_since_s, 0},
	    {"slave_repl_offset", FIELD_INT64, &out->replica_repl_offset, 0},
	    {"master_host", FIELD_TEXT, host, sizeof(host)},
	    {"master_port", FIELD_TEXT, port, sizeof(port)},
	};
	out->replica_count = 0;
	int recognised = scan_fields(text, len, fields, sizeof(fields) / sizeof(fields[0]), NULL,
	                             NULL, NULL, replica_line, out);
	out->aof_enabled = aof_enabled;
	out->rdb_bgsave_in_progress = in_progress;
	out->aof_last_write_ok = !aof_write[0] || strcmp(aof_write, "ok") == 0;
	out->master_link_up = strcmp(link, "up") == 0;
	if (host[0])
		snprintf(out->master_addr, sizeof(out->master_addr), "%s:%s", host, port);
	out->info_read = recognised > 0;
	return recognised;
}
