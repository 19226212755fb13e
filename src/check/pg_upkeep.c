/* pg_upkeep.c - the "pg_upkeep" row: PostgreSQL replication (standbys and
 * slots on a primary, replay lag on a standby) and upkeep (transaction ID
 * age, cache hit ratio, temporary bytes, dead tuples). Filled by the
 * database row's probe, on its connection (probe_pg_upkeep.c). */
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>

#include "check/check.h"
#include "util/text.h"

static void lag_text(char *dst, size_t size, double seconds)
{
	if (seconds < 0)
		snprintf(dst, size, "-");
	else
		text_format_duration(dst, size, (int64_t)(seconds * 1000));
}

static void pg_upkeep_replication_text(const struct pg_upkeep_status *u, struct strbuf *b)
{
	char lag[32], bytes[32];
	if (u->in_recovery) {
		lag_text(lag, sizeof(lag), u->replay_lag_s);
		text_format_bytes(bytes, sizeof(bytes),
		                  u->replay_pending_bytes > 0 ? (uint64_t)u->replay_pending_bytes
		                                              : 0);
		strbuf_printf(b, "%31sstandby: replay lag %s, %s not replayed%s\n", "", lag, bytes,
		              u->replay_paused ? ", replay paused" : "");
		return;
	}
	strbuf_printf(b, "%31sprimary: %d %s, %d replication %s\n", "", u->standby_total,
	              text_plural(u->standby_total, "standby", "standbys"), u->slot_total,
	              text_plural(u->slot_total, "slot", "slots"));
	for (int i = 0; i < u->standby_count; i++) {
		const struct pg_standby *s = &u->standbys[i];
		char w[32], f[32];
		lag_text(w, sizeof(w), s->write_lag_s);
		lag_text(f, sizeof(f), s->flush_lag_s);
		lag_text(lag, sizeof(lag), s->replay_lag_s);
		strbuf_printf(b, "%31s  %s %s %s: lag write %s, flush %s, replay %s\n", "",
		              s->name[0] ? s->name : "(unnamed)",
		              s->client[0] ? s->client : "local", s->state, w, f, lag);
	}
	for (int i = 0; i < u->slot_count; i++) {
		const struct pg_slot *s = &u->slots[i];
		text_format_bytes(bytes, sizeof(bytes),
		                  s->retained_bytes > 0 ? (uint64_t)s->retained_bytes : 0);
		strbuf_printf(b, "%31s  slot %s (%s, %s) retains %s\n", "", s->name, s->type,
		              s->active ? "active" : "inactive", bytes);
	}
}

static void pg_upkeep_text(const struct snapshot *s, struct strbuf *b)
{
	const struct pg_upkeep_status *u = &s->pg_upkeep;
	render_check_line(b, "upkeep", &u->check);
	if (u->check.state != CHECK_OK)
		return;
	pg_upkeep_replication_text(u, b);
	char temp[32];
	text_format_bytes(temp, sizeof(temp), u->temp_bytes > 0 ? (uint64_t)u->temp_bytes : 0);
	strbuf_printf(b, "%31sxid age %" PRId64 " (%.1f%% of wraparound, %s); cache hit ", "",
	              u->xid_age, pg_upkeep_xid_ratio(u) * 100,
	              u->xid_database[0] ? u->xid_database : "-");
	if (u->cache_hit_ratio >= 0)
		strbuf_printf(b, "%.1f%%", u->cache_hit_ratio * 100);
	else
		strbuf_printf(b, "-");
	strbuf_printf(b, "; temp files %s\n", temp);
	for (int i = 0; i < u->table_count; i++) {
		const struct pg_table_dead *t = &u->tables[i];
		strbuf_printf(b, "%31s  %s: %" PRId64 " dead tuples (%.0f%%)\n", "", t->name,
		              t->dead_tuples, t->dead_ratio * 100);
	}
}

static json_object *lag_json(double seconds)
{
	return seconds < 0 ? NULL : json_object_new_double(seconds);
}

static json_object *pg_upkeep_standbys_json(const struct pg_upkeep_status *u)
{
	json_object *a = json_object_new_array();
	for (int i = 0; i < u->standby_count; i++) {
		const struct pg_standby *s = &u->standbys[i];
		json_object *j = json_object_new_object();
		json_object_object_add(j, "name", json_object_new_string(s->name));
		json_object_object_add(j, "client", render_json_string_or_null(s->client));
		json_object_object_add(j, "state", render_json_string_or_null(s->state));
		json_object_object_add(j, "sync_state", render_json_string_or_null(s->sync_state));
		json_object_object_add(j, "write_lag_s", lag_json(s->write_lag_s));
		json_object_object_add(j, "flush_lag_s", lag_json(s->flush_lag_s));
		json_object_object_add(j, "replay_lag_s", lag_json(s->replay_lag_s));
		json_object_object_add(j, "replay_behind_bytes",
		                       s->replay_behind_bytes < 0
		                           ? NULL
		                           : json_object_new_int64(s->replay_behind_bytes));
		json_object_array_add(a, j);
	}
	return a;
}

static json_object *pg_upkeep_slots_json(const struct pg_upkeep_status *u)
{
	json_object *a = json_object_new_array();
	for (int i = 0; i < u->slot_count; i++) {
		const struct pg_slot *s = &u->slots[i];
		json_object *j = json_object_new_object();
		json_object_object_add(j, "name", json_object_new_string(s->name));
		json_object_object_add(j, "type", json_object_new_string(s->type));
		json_object_object_add(j, "active", json_object_new_boolean(s->active));
		json_object_object_add(
		    j, "retained_bytes",
		    s->retained_bytes < 0 ? NULL : json_object_new_int64(s->retained_bytes));
		json_object_array_add(a, j);
	}
	return a;
}

static json_object *pg_upkeep_tables_json(const struct pg_upkeep_status *u)
{
	json_object *a = json_object_new_array();
	for (int i = 0; i < u->table_count; i++) {
		const struct pg_table_dead *t = &u->tables[i];
		json_object *j = json_object_new_object();
		json_object_object_add(j, "table", json_object_new_string(t->name));
		render_json_add_int(j, "live_tuples", t->live_tuples);
		render_json_add_int(j, "dead_tuples", t->dead_tuples);
		json_object_object_add(j, "dead_ratio", json_object_new_double(t->dead_ratio));
		json_object_array_add(a, j);
	}
	return a;
}

static json_object *pg_upkeep_json(const struct snapshot *s)
{
	const struct pg_upkeep_status *u = &s->pg_upkeep;
	json_object *o = render_json_frame(&u->check);
	if (u->check.state != CHECK_OK)
		return o;
	json_object_object_add(o, "role",
	                       json_object_new_string(u->in_recovery ? "standby" : "primary"));
	render_json_add_int(o, "standby_total", u->standby_total);
	json_object_object_add(o, "standbys", pg_upkeep_standbys_json(u));
	render_json_add_int(o, "slot_total", u->slot_total);
	json_object_object_add(o, "slots", pg_upkeep_slots_json(u));
	json_object_object_add(o, "replay_lag_s", lag_json(u->replay_lag_s));
	json_object_object_add(
	    o, "replay_pending_bytes",
	    u->replay_pending_bytes < 0 ? NULL : json_object_new_int64(u->replay_pending_bytes));
	json_object_object_add(o, "replay_paused", json_object_new_boolean(u->replay_paused));
	render_json_add_int(o, "xid_age", u->xid_age);
	json_object_object_add(o, "xid_database", render_json_string_or_null(u->xid_database));
	json_object_object_add(o, "xid_wraparound_ratio",
	                       render_json_figure(pg_upkeep_xid_ratio(u)));
	render_json_add_int(o, "autovacuum_freeze_max_age", u->freeze_max_age);
	json_object_object_add(o, "cache_hit_ratio", render_json_figure(u->cache_hit_ratio));
	render_json_add_int(o, "temp_bytes", u->temp_bytes);
	json_object_object_add(o, "dead_tuples", pg_upkeep_tables_json(u));
	return o;
}

static const struct prom_family F_IN_RECOVERY = {
    "opsdeck_pg_in_recovery", "gauge", "1 when the server is a standby (pg_is_in_recovery)."};
static const struct prom_family F_STANDBYS = {"opsdeck_pg_standbys", "gauge",
                                              "Standbys connected to this primary."};
static const struct prom_family F_STANDBY_LAG = {
    "opsdeck_pg_standby_lag_seconds", "gauge",
    "Lag of a standby as the primary sees it, by kind (the most lagging few)."};
static const struct prom_family F_SLOT_RETAINED = {
    "opsdeck_pg_replication_slot_retained_bytes", "gauge",
    "WAL a replication slot keeps (the largest few)."};
static const struct prom_family F_SLOTS_INACTIVE = {"opsdeck_pg_replication_slots_inactive",
                                                    "gauge", "Replication slots not in use."};
static const struct prom_family F_REPLAY_LAG = {
    "opsdeck_pg_replay_lag_seconds", "gauge",
    "On a standby: how far replay is behind the primary."};
static const struct prom_family F_REPLAY_PAUSED = {"opsdeck_pg_replay_paused", "gauge",
                                                   "On a standby: 1 while WAL replay is paused."};
static const struct prom_family F_XID_AGE = {"opsdeck_pg_xid_age", "gauge",
                                             "Oldest transaction ID age (age(datfrozenxid))."};
static const struct prom_family F_XID_RATIO = {
    "opsdeck_pg_xid_wraparound_ratio", "gauge",
    "Oldest transaction ID age as a share of the 2^31 wraparound horizon."};
static const struct prom_family F_CACHE_HIT = {"opsdeck_pg_cache_hit_ratio", "gauge",
                                               "Buffer cache hit ratio of this database."};
static const struct prom_family F_TEMP_BYTES = {"opsdeck_pg_temp_bytes_total", "counter",
                                                "Bytes this database wrote to temporary files."};
static const struct prom_family F_DEAD_RATIO = {
    "opsdeck_pg_dead_tuple_ratio_max", "gauge",
    "Highest dead / (live + dead) tuple ratio among the tables with the most dead tuples."};

static void pg_upkeep_prometheus(const struct snapshot *s, struct prom *p)
{
	const struct pg_upkeep_status *u = &s->pg_upkeep;
	if (u->check.state != CHECK_OK)
		return;
	prom_sample(p, &F_IN_RECOVERY, NULL, u->in_recovery);
	if (!u->in_recovery)
		prom_sample(p, &F_STANDBYS, NULL, u->standby_total);
	for (int i = 0; i < u->standby_count; i++) {
		const struct pg_standby *sb = &u->standbys[i];
		const struct {
			const char *kind;
			double seconds;
		} lags[] = {{"write", sb->write_lag_s},
		            {"flush", sb->flush_lag_s},
		            {"replay", sb->replay_lag_s}};
		for (size_t k = 0; k < sizeof(lags) / sizeof(lags[0]); k++) {
			const char *labels[] = {"standby", sb->name, "kind", lags[k].kind, NULL};
			if (lags[k].seconds >= 0)
				prom_sample(p, &F_STANDBY_LAG, labels, lags[k].seconds);
		}
	}
	int inactive = 0;
	for (int i = 0; i < u->slot_count; i++) {
		const char *labels[] = {"slot", u->slots[i].name, NULL};
		inactive += !u->slots[i].active;
		if (u->slots[i].retained_bytes >= 0)
			prom_sample(p, &F_SLOT_RETAINED, labels,
			            (double)u->slots[i].retained_bytes);
	}
	prom_sample(p, &F_SLOTS_INACTIVE, NULL, inactive);
	if (u->in_recovery) {
		if (u->replay_lag_s >= 0)
			prom_sample(p, &F_REPLAY_LAG, NULL, u->replay_lag_s);
		prom_sample(p, &F_REPLAY_PAUSED, NULL, u->replay_paused);
	}
	if (u->xid_age >= 0) {
		prom_sample(p, &F_XID_AGE, NULL, (double)u->xid_age);
		prom_sample(p, &F_XID_RATIO, NULL, pg_upkeep_xid_ratio(u));
	}
	if (u->cache_hit_ratio >= 0)
		prom_sample(p, &F_CACHE_HIT, NULL, u->cache_hit_ratio);
	if (u->temp_bytes >= 0)
		prom_sample(p, &F_TEMP_BYTES, NULL, (double)u->temp_bytes);
	double dead = 0;
	for (int i = 0; i < u->table_count; i++)
		if (u->tables[i].dead_ratio > dead)
			dead = u->tables[i].dead_ratio;
	prom_sample(p, &F_DEAD_RATIO, NULL, dead);
}

static void pg_upkeep_nagios_perfdata(const struct snapshot *s, struct strbuf *b)
{
	const struct pg_upkeep_status *u = &s->pg_upkeep;
	if (u->check.state != CHECK_OK)
		return;
	double lag = u->replay_lag_s;
	for (int i = 0; i < u->standby_count; i++)
		if (u->standbys[i].replay_lag_s > lag)
			lag = u->standbys[i].replay_lag_s;
	if (lag >= 0)
		strbuf_printf(b, " replication_lag=%.3fs;;;0", lag);
	int64_t retained = -1;
	for (int i = 0; i < u->slot_count; i++)
		if (u->slots[i].retained_bytes > retained)
			retained = u->slots[i].retained_bytes;
	if (retained >= 0)
		strbuf_printf(b, " slot_retained=%" PRId64 "B;;;0", retained);
	if (u->xid_age >= 0)
		strbuf_printf(b, " xid_wraparound=%.2f%%;;;0;100", pg_upkeep_xid_ratio(u) * 100);
	if (u->cache_hit_ratio >= 0)
		strbuf_printf(b, " cache_hit=%.2f%%;;;0;100", u->cache_hit_ratio * 100);
}

const struct check_class check_pg_upkeep = {
    .key = "pg_upkeep",
    .title = "Replication and upkeep",
    .section = "database",
    .offset = offsetof(struct snapshot, pg_upkeep),
    .size = sizeof(struct pg_upkeep_status),
    .has_common = true,
    .group = CHECK_GROUP_METRICS,
    .schedule = CHECK_EVERY_POLL,
    .filled_by = &check_database,
    .text = pg_upkeep_text,
    .json = pg_upkeep_json,
    .prometheus = pg_upkeep_prometheus,
    .nagios_perfdata = pg_upkeep_nagios_perfdata,
};
