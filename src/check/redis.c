/* redis.c - the "redis" check: INFO of the Redis server. */
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>

#include "check/check.h"
#include "probe/probe.h"
#include "util/text.h"

static void redis_probe(const struct config *cfg, const struct check_probe_context *ctx,
                        struct snapshot *out)
{
	(void)ctx;
	probe_redis(cfg, &out->redis, &out->redis_load);
}

static void redis_text(const struct snapshot *s, struct strbuf *b)
{
	const struct redis_status *r = &s->redis;
	render_check_line(b, "redis", &r->check);
	if (r->check.state != CHECK_OK)
		return;
	char used[32], max[32] = "no limit";
	text_format_bytes(used, sizeof(used), (uint64_t)r->used_memory);
	if (r->maxmemory > 0)
		text_format_bytes(max, sizeof(max), (uint64_t)r->maxmemory);
	strbuf_printf(
	    b, "%31sRedis %s (%s); memory %s of %s, fragmentation %.2f; clients %" PRId64 "\n", "",
	    r->version[0] ? r->version : "?", r->role[0] ? r->role : "?", used, max,
	    r->fragmentation_ratio, r->connected_clients);
	if (r->tls[0])
		strbuf_printf(b, "%31sover %s\n", "", r->tls);
	char hit[32] = "-";
	if (r->hit_rate >= 0)
		snprintf(hit, sizeof(hit), "%.1f%%", r->hit_rate * 100);
	strbuf_printf(b, "%31shit rate %s; evicted keys %" PRId64 "; last bgsave %s\n", "", hit,
	              r->evicted_keys, r->last_bgsave_ok ? "ok" : "FAILED");
}

static json_object *redis_json(const struct snapshot *s)
{
	const struct redis_status *r = &s->redis;
	json_object *o = render_json_frame(&r->check);
	if (r->check.state != CHECK_OK)
		return o;
	json_object_object_add(o, "version", render_json_string_or_null(r->version));
	json_object_object_add(o, "role", render_json_string_or_null(r->role));
	render_json_add_int(o, "used_memory_bytes", r->used_memory);
	render_json_add_int(o, "maxmemory_bytes", r->maxmemory);
	json_object_object_add(o, "fragmentation_ratio",
	                       json_object_new_double(r->fragmentation_ratio));
	render_json_add_int(o, "connected_clients", r->connected_clients);
	render_json_add_int(o, "evicted_keys", r->evicted_keys);
	render_json_add_int(o, "keyspace_hits", r->keyspace_hits);
	render_json_add_int(o, "keyspace_misses", r->keyspace_misses);
	json_object_object_add(o, "hit_rate", render_json_figure(r->hit_rate));
	json_object_object_add(o, "last_bgsave_ok", json_object_new_boolean(r->last_bgsave_ok));
	render_json_add_int(o, "uptime_s", r->uptime_s);
	json_object_object_add(o, "tls", render_json_string_or_null(r->tls));
	return o;
}

static const struct prom_family F_REDIS_USED = {"opsdeck_redis_memory_used_bytes", "gauge",
                                                "Redis used_memory."};
static const struct prom_family F_REDIS_MAX = {"opsdeck_redis_memory_max_bytes", "gauge",
                                               "Redis maxmemory (0: no limit)."};
static const struct prom_family F_REDIS_FRAG = {"opsdeck_redis_memory_fragmentation_ratio", "gauge",
                                                "Redis mem_fragmentation_ratio."};
static const struct prom_family F_REDIS_CLIENTS = {"opsdeck_redis_connected_clients", "gauge",
                                                   "Redis connected_clients."};
static const struct prom_family F_REDIS_EVICTED = {"opsdeck_redis_evicted_keys_total", "counter",
                                                   "Keys Redis evicted since it started."};
static const struct prom_family F_REDIS_HITS = {"opsdeck_redis_keyspace_hits_total", "counter",
                                                "Successful Redis key lookups."};
static const struct prom_family F_REDIS_MISSES = {"opsdeck_redis_keyspace_misses_total", "counter",
                                                  "Failed Redis key lookups."};
static const struct prom_family F_REDIS_BGSAVE = {
    "opsdeck_redis_last_bgsave_ok", "gauge", "Whether Redis's last background save succeeded."};
static const struct prom_family F_REDIS_UPTIME = {"opsdeck_redis_uptime_seconds", "gauge",
                                                  "Seconds since Redis started."};

static void redis_prometheus(const struct snapshot *s, struct prom *p)
{
	const struct redis_status *r = &s->redis;
	if (r->check.state != CHECK_OK)
		return;
	prom_sample(p, &F_REDIS_USED, NULL, (double)r->used_memory);
	prom_sample(p, &F_REDIS_MAX, NULL, (double)r->maxmemory);
	prom_sample(p, &F_REDIS_FRAG, NULL, r->fragmentation_ratio);
	prom_sample(p, &F_REDIS_CLIENTS, NULL, (double)r->connected_clients);
	prom_sample(p, &F_REDIS_EVICTED, NULL, (double)r->evicted_keys);
	prom_sample(p, &F_REDIS_HITS, NULL, (double)r->keyspace_hits);
	prom_sample(p, &F_REDIS_MISSES, NULL, (double)r->keyspace_misses);
	prom_sample(p, &F_REDIS_BGSAVE, NULL, r->last_bgsave_ok);
	prom_sample(p, &F_REDIS_UPTIME, NULL, (double)r->uptime_s);
}

static void redis_nagios_perfdata(const struct snapshot *s, struct strbuf *b)
{
	if (s->redis.check.state != CHECK_OK)
		return;
	strbuf_printf(b, " redis_used_memory=%lldB;;;0", (long long)s->redis.used_memory);
	if (s->redis.maxmemory > 0)
		strbuf_printf(b, ";%lld", (long long)s->redis.maxmemory);
}

static int redis_summary(const struct snapshot *s, struct check_figure *figures)
{
	const struct redis_status *r = &s->redis;
	char used[32], max[32];
	text_format_bytes(used, sizeof(used), (uint64_t)(r->used_memory > 0 ? r->used_memory : 0));
	struct check_figure *f = figures;
	snprintf(f->text, sizeof(f->text), "mem %s", used);
	f->brief[0] = '\0';
	f->rank = 0;
	f++;
	if (r->maxmemory > 0) {
		text_format_bytes(max, sizeof(max), (uint64_t)r->maxmemory);
		snprintf(f->text, sizeof(f->text), "%.0f%% of %s", redis_memory_percent(r), max);
		snprintf(f->brief, sizeof(f->brief), "%.0f%%", redis_memory_percent(r));
	} else {
		snprintf(f->text, sizeof(f->text), "no maxmemory");
		f->brief[0] = '\0';
	}
	f->rank = 1;
	f++;
	snprintf(f->text, sizeof(f->text), "%lld %s", (long long)r->connected_clients,
	         text_plural(r->connected_clients, "client", "clients"));
	f->brief[0] = '\0';
	f->rank = 2;
	return 3;
}

const struct check_class check_redis = {
    .key = "redis",
    .title = "Redis",
    .section = "redis",
    .offset = offsetof(struct snapshot, redis),
    .size = sizeof(struct redis_status),
    .has_common = true,
    .group = CHECK_GROUP_HEALTH,
    .schedule = CHECK_EVERY_POLL,
    .probe = redis_probe,
    .text = redis_text,
    .json = redis_json,
    .prometheus = redis_prometheus,
    .nagios_perfdata = redis_nagios_perfdata,
    .panel_label = "redis",
    .summary = redis_summary,
};
