/* redis_load.c - the "redis_load" row: Redis's slow log, latency events,
 * persistence, pressure counters and replication. Filled by the redis row's
 * probe on its connection (probe_redis.c). No keys as Prometheus labels:
 * only event and command names, capped at the entries kept. */
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "check/check.h"
#include "util/text.h"

static bool load_probed(const struct snapshot *s)
{
	return s->redis.check.state == CHECK_OK && s->redis_load.info_read;
}

/* "denied (the ACL user may not run it)" and the like, or NULL when ok. */
static const char *access_note(enum redis_access a)
{
	switch (a) {
	case REDIS_ACCESS_DENIED:
		return "not allowed for this ACL user";
	case REDIS_ACCESS_FAILED:
		return "failed";
	case REDIS_ACCESS_UNKNOWN:
		return "not read";
	case REDIS_ACCESS_OK:
		break;
	}
	return NULL;
}

static void slowlog_text(const struct redis_load *l, struct strbuf *b)
{
	const char *note = access_note(l->slowlog_access);
	if (note) {
		strbuf_printf(b, "%31sslow log: %s\n", "", note);
		return;
	}
	strbuf_printf(b, "%31sslow log: %d newest %s", "", l->slowlog_count,
	              text_plural(l->slowlog_count, "entry", "entries"));
	for (int k = 0; k < l->slowlog_count && k < 3; k++) {
		const struct redis_slow_entry *e = &l->slowlog[k];
		strbuf_printf(b, "%s %s%s%s %.1f ms", k ? "," : ":", e->command,
		              e->first_key[0] ? " " : "", e->first_key,
		              (double)e->duration_us / 1000);
	}
	strbuf_printf(b, "\n");
}

static void latency_text(const struct redis_load *l, struct strbuf *b)
{
	const char *note = access_note(l->latency_access);
	if (note) {
		strbuf_printf(b, "%31slatency: %s\n", "", note);
		return;
	}
	if (l->latency_monitor == REDIS_LATENCY_OFF) {
		strbuf_printf(b, "%31slatency monitor off (enable: %s)\n", "",
		              REDIS_LATENCY_ENABLE_HINT);
		return;
	}
	strbuf_printf(b, "%31slatency: %d %s", "", l->latency_count,
	              text_plural(l->latency_count, "event", "events"));
	for (int k = 0; k < l->latency_count; k++)
		strbuf_printf(b, "%s %s %" PRId64 " ms (max %" PRId64 ")", k ? "," : ":",
		              l->latency[k].event, l->latency[k].latest_ms, l->latency[k].max_ms);
	strbuf_printf(b, "\n");
}

static void redis_load_text(const struct snapshot *s, struct strbuf *b)
{
	const struct redis_load *l = &s->redis_load;
	if (!load_probed(s))
		return;
	strbuf_printf(b,
	              "%-10s policy %s; rejected %" PRId64 "; blocked %" PRId64
	              "; fork %.1f ms; unsaved changes %" PRId64 "%s\n",
	              "redis load", l->maxmemory_policy[0] ? l->maxmemory_policy : "?",
	              l->rejected_connections, l->blocked_clients,
	              (double)l->latest_fork_usec / 1000, l->rdb_changes_since_last_save,
	              l->aof_enabled ? (l->aof_last_write_ok ? "; aof ok" : "; AOF WRITE FAILED")
	                             : "");
	slowlog_text(l, b);
	latency_text(l, b);
	if (strcmp(s->redis.role, "slave") == 0)
		strbuf_printf(b, "%31sreplica of %s, link %s, last io %" PRId64 " s ago\n", "",
		              l->master_addr[0] ? l->master_addr : "?",
		              l->master_link_up ? "up" : "DOWN", l->master_last_io_s);
	else
		strbuf_printf(b, "%31s%" PRId64 " connected %s\n", "", l->connected_replicas,
		              text_plural(l->connected_replicas, "replica", "replicas"));
}

static json_object *slowlog_json(const struct redis_load *l)
{
	json_object *a = json_object_new_array();
	for (int k = 0; k < l->slowlog_count; k++) {
		const struct redis_slow_entry *e = &l->slowlog[k];
		json_object *j = json_object_new_object();
		render_json_add_int(j, "id", e->id);
		json_object_object_add(j, "started_at", render_json_time(e->started_s * 1000));
		json_object_object_add(j, "duration_ms",
		                       json_object_new_double((double)e->duration_us / 1000));
		json_object_object_add(j, "command", json_object_new_string(e->command));
		json_object_object_add(j, "first_key", render_json_string_or_null(e->first_key));
		json_object_array_add(a, j);
	}
	return a;
}

static json_object *latency_json(const struct redis_load *l)
{
	json_object *a = json_object_new_array();
	for (int k = 0; k < l->latency_count; k++) {
		const struct redis_latency_event *e = &l->latency[k];
		json_object *j = json_object_new_object();
		json_object_object_add(j, "event", json_object_new_string(e->event));
		json_object_object_add(j, "at", render_json_time(e->at_s * 1000));
		render_json_add_int(j, "latest_ms", e->latest_ms);
		render_json_add_int(j, "max_ms", e->max_ms);
		json_object_array_add(a, j);
	}
	return a;
}

static json_object *replication_json(const struct snapshot *s)
{
	const struct redis_load *l = &s->redis_load;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "role", render_json_string_or_null(s->redis.role));
	render_json_add_int(o, "connected_replicas", l->connected_replicas);
	render_json_add_int(o, "master_repl_offset", l->master_repl_offset);
	json_object *a = json_object_new_array();
	for (int k = 0; k < l->replica_count; k++) {
		const struct redis_replica *r = &l->replicas[k];
		json_object *j = json_object_new_object();
		json_object_object_add(j, "addr", json_object_new_string(r->addr));
		json_object_object_add(j, "state", json_object_new_string(r->state));
		render_json_add_int(j, "offset", r->offset);
		render_json_add_int(j, "behind_bytes", redis_load_replica_behind(l, r));
		json_object_object_add(j, "lag_s",
		                       r->lag_s >= 0 ? json_object_new_int64(r->lag_s) : NULL);
		json_object_array_add(a, j);
	}
	json_object_object_add(o, "replicas", a);
	bool replica = strcmp(s->redis.role, "slave") == 0;
	json_object_object_add(o, "master",
	                       replica ? render_json_string_or_null(l->master_addr) : NULL);
	json_object_object_add(o, "master_link_up",
	                       replica ? json_object_new_boolean(l->master_link_up) : NULL);
	json_object_object_add(o, "master_last_io_s",
	                       replica && l->master_last_io_s >= 0
	                           ? json_object_new_int64(l->master_last_io_s)
	                           : NULL);
	json_object_object_add(o, "master_link_down_s",
	                       replica && l->master_link_down_since_s >= 0
	                           ? json_object_new_int64(l->master_link_down_since_s)
	                           : NULL);
	json_object_object_add(o, "replica_repl_offset",
	                       replica ? json_object_new_int64(l->replica_repl_offset) : NULL);
	return o;
}

static json_object *redis_load_json(const struct snapshot *s)
{
	const struct redis_load *l = &s->redis_load;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "probed", json_object_new_boolean(load_probed(s)));
	if (!load_probed(s))
		return o;
	json_object_object_add(o, "slowlog_access",
	                       json_object_new_string(redis_access_name(l->slowlog_access)));
	json_object_object_add(o, "slowlog", slowlog_json(l));
	json_object_object_add(o, "latency_access",
	                       json_object_new_string(redis_access_name(l->latency_access)));
	json_object_object_add(
	    o, "latency_monitor",
	    json_object_new_string(redis_latency_monitor_name(l->latency_monitor)));
	json_object_object_add(o, "latency_enable_hint",
	                       l->latency_monitor == REDIS_LATENCY_OFF
	                           ? json_object_new_string(REDIS_LATENCY_ENABLE_HINT)
	                           : NULL);
	json_object_object_add(o, "latency", latency_json(l));
	json_object_object_add(o, "access_error", render_json_string_or_null(l->access_error));
	json_object *p = json_object_new_object();
	json_object_object_add(p, "aof_enabled", json_object_new_boolean(l->aof_enabled));
	json_object_object_add(p, "aof_last_write_ok",
	                       json_object_new_boolean(l->aof_last_write_ok));
	json_object_object_add(p, "last_bgsave_ok",
	                       json_object_new_boolean(s->redis.last_bgsave_ok));
	json_object_object_add(p, "bgsave_in_progress",
	                       json_object_new_boolean(l->rdb_bgsave_in_progress));
	render_json_add_int(p, "changes_since_last_save", l->rdb_changes_since_last_save);
	json_object_object_add(p, "latest_fork_ms",
	                       json_object_new_double((double)l->latest_fork_usec / 1000));
	json_object_object_add(o, "persistence", p);
	render_json_add_int(o, "rejected_connections", l->rejected_connections);
	render_json_add_int(o, "blocked_clients", l->blocked_clients);
	json_object_object_add(o, "maxmemory_policy",
	                       render_json_string_or_null(l->maxmemory_policy));
	json_object_object_add(o, "replication", replication_json(s));
	return o;
}

static const struct prom_family F_SLOW = {
    "opsdeck_redis_slowlog_duration_seconds", "gauge",
    "Duration of the newest Redis slow-log entries, by command (at most 16 entries)."};
static const struct prom_family F_SLOW_ID = {
    "opsdeck_redis_slowlog_last_id", "gauge",
    "Id of the newest Redis slow-log entry; it rises by one per slow command."};
static const struct prom_family F_LATENCY = {"opsdeck_redis_latency_latest_seconds", "gauge",
                                             "Latest Redis latency spike, by event."};
static const struct prom_family F_REJECTED = {"opsdeck_redis_rejected_connections_total", "counter",
                                              "Connections Redis refused (maxclients)."};
static const struct prom_family F_BLOCKED = {"opsdeck_redis_blocked_clients", "gauge",
                                             "Redis clients blocked in BLPOP, WAIT..."};
static const struct prom_family F_FORK = {"opsdeck_redis_latest_fork_seconds", "gauge",
                                          "How long Redis's latest fork took."};
static const struct prom_family F_CHANGES = {"opsdeck_redis_changes_since_last_save", "gauge",
                                             "Redis writes not yet in an RDB save."};
static const struct prom_family F_AOF = {"opsdeck_redis_aof_last_write_ok", "gauge",
                                         "Whether Redis's last AOF write succeeded (1 with AOF "
                                         "off)."};
static const struct prom_family F_REPLICAS = {"opsdeck_redis_connected_replicas", "gauge",
                                              "Replicas connected to this Redis."};
static const struct prom_family F_LINK = {"opsdeck_redis_master_link_up", "gauge",
                                          "On a Redis replica: whether its master link is up."};
static const struct prom_family F_BEHIND = {"opsdeck_redis_replica_behind_bytes", "gauge",
                                            "Bytes a Redis replica is behind its master."};

static void redis_load_prometheus(const struct snapshot *s, struct prom *p)
{
	const struct redis_load *l = &s->redis_load;
	if (!load_probed(s))
		return;
	/* One sample per command name: the slowest of the entries kept. */
	for (int k = 0; k < l->slowlog_count; k++) {
		const struct redis_slow_entry *e = &l->slowlog[k];
		int64_t worst = e->duration_us;
		bool first = true;
		for (int m = 0; m < l->slowlog_count; m++) {
			if (strcmp(l->slowlog[m].command, e->command) != 0)
				continue;
			first = first && m >= k;
			if (l->slowlog[m].duration_us > worst)
				worst = l->slowlog[m].duration_us;
		}
		if (!first)
			continue;
		const char *labels[] = {"command", e->command, NULL};
		prom_sample(p, &F_SLOW, labels, (double)worst / 1e6);
	}
	if (l->slowlog_access == REDIS_ACCESS_OK)
		prom_sample(p, &F_SLOW_ID, NULL, (double)l->slowlog_newest_id);
	for (int k = 0; k < l->latency_count; k++) {
		const char *labels[] = {"event", l->latency[k].event, NULL};
		prom_sample(p, &F_LATENCY, labels, (double)l->latency[k].latest_ms / 1000);
	}
	prom_sample(p, &F_REJECTED, NULL, (double)l->rejected_connections);
	prom_sample(p, &F_BLOCKED, NULL, (double)l->blocked_clients);
	prom_sample(p, &F_FORK, NULL, (double)l->latest_fork_usec / 1e6);
	prom_sample(p, &F_CHANGES, NULL, (double)l->rdb_changes_since_last_save);
	prom_sample(p, &F_AOF, NULL, l->aof_last_write_ok);
	prom_sample(p, &F_REPLICAS, NULL, (double)l->connected_replicas);
	if (strcmp(s->redis.role, "slave") == 0)
		prom_sample(p, &F_LINK, NULL, l->master_link_up);
	for (int k = 0; k < l->replica_count; k++) {
		char index[16];
		snprintf(index, sizeof(index), "%d", k);
		const char *labels[] = {"replica", index, NULL};
		prom_sample(p, &F_BEHIND, labels,
		            (double)redis_load_replica_behind(l, &l->replicas[k]));
	}
}

static void redis_load_nagios_perfdata(const struct snapshot *s, struct strbuf *b)
{
	const struct redis_load *l = &s->redis_load;
	if (!load_probed(s))
		return;
	strbuf_printf(b,
	              " redis_rejected=%" PRId64 "c;;;0 redis_blocked=%" PRId64
	              ";;;0 redis_fork=%.3fs;;;0 redis_unsaved=%" PRId64 ";;;0",
	              l->rejected_connections, l->blocked_clients,
	              (double)l->latest_fork_usec / 1e6, l->rdb_changes_since_last_save);
	if (l->slowlog_access == REDIS_ACCESS_OK && l->slowlog_count > 0)
		strbuf_printf(b, " redis_slowlog_newest=%.3fs;;;0",
		              (double)l->slowlog[0].duration_us / 1e6);
	if (strcmp(s->redis.role, "slave") == 0 && l->master_last_io_s >= 0)
		strbuf_printf(b, " redis_master_last_io=%" PRId64 "s;;;0", l->master_last_io_s);
}

const struct check_class check_redis_load = {
    .key = "redis_load",
    .title = "Redis load",
    .section = "redis",
    .offset = offsetof(struct snapshot, redis_load),
    .size = sizeof(struct redis_load),
    .has_common = false,
    .group = CHECK_GROUP_METRICS,
    .schedule = CHECK_EVERY_POLL,
    .filled_by = &check_redis,
    .text = redis_load_text,
    .json = redis_load_json,
    .prometheus = redis_load_prometheus,
    .nagios_perfdata = redis_load_nagios_perfdata,
};
