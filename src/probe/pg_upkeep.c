/* pg_upkeep.c - the replication and upkeep query and its parser (see
 * pg_upkeep.h). */
#include "probe/pg_upkeep.h"

#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "probe/slow_queries.h"
#include "util/sanitize.h"

/* clang-format off */
const char PG_UPKEEP_SQL[] =
    SLOW_QUERIES_MARKER " WITH pos AS (SELECT pg_is_in_recovery() AS rec,"
    " CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()"
    " ELSE pg_current_wal_lsn() END AS lsn)"
    " SELECT json_build_object("
    "'in_recovery', pos.rec,"
    "'standby_total', (SELECT count(*) FROM pg_stat_replication),"
    "'standbys', (SELECT coalesce(json_agg(r), '[]') FROM (SELECT application_name AS name,"
    " coalesce(host(client_addr), '') AS client, state, sync_state,"
    " extract(epoch FROM write_lag) AS write_lag, extract(epoch FROM flush_lag) AS flush_lag,"
    " extract(epoch FROM replay_lag) AS replay_lag,"
    " pg_wal_lsn_diff(pos.lsn, replay_lsn) AS behind"
    " FROM pg_stat_replication ORDER BY replay_lag DESC NULLS LAST,"
    " pg_wal_lsn_diff(pos.lsn, replay_lsn) DESC NULLS LAST, application_name LIMIT $1) r),"
    "'slot_total', (SELECT count(*) FROM pg_replication_slots),"
    "'slots', (SELECT coalesce(json_agg(s), '[]') FROM (SELECT slot_name AS name, slot_type AS type,"
    " active, pg_wal_lsn_diff(pos.lsn, restart_lsn) AS retained FROM pg_replication_slots"
    " ORDER BY pg_wal_lsn_diff(pos.lsn, restart_lsn) DESC NULLS LAST, slot_name LIMIT $1) s),"
    "'replay_lag', CASE WHEN pos.rec THEN CASE WHEN pg_last_wal_receive_lsn() ="
    " pg_last_wal_replay_lsn() THEN 0 ELSE extract(epoch FROM now() -"
    " pg_last_xact_replay_timestamp()) END END,"
    "'replay_pending', CASE WHEN pos.rec THEN pg_wal_lsn_diff(pg_last_wal_receive_lsn(),"
    " pg_last_wal_replay_lsn()) END,"
    "'replay_paused', CASE WHEN pos.rec THEN pg_is_wal_replay_paused() ELSE false END,"
    "'xid_age', (SELECT max(age(datfrozenxid)) FROM pg_database),"
    "'xid_database', (SELECT datname FROM pg_database ORDER BY age(datfrozenxid) DESC LIMIT 1),"
    "'freeze_max_age', current_setting('autovacuum_freeze_max_age')::bigint,"
    "'blocks_hit', d.blks_hit, 'blocks_read', d.blks_read, 'temp_bytes', d.temp_bytes,"
    "'tables', (SELECT coalesce(json_agg(t), '[]') FROM (SELECT schemaname || '.' || relname"
    " AS name, n_live_tup AS live, n_dead_tup AS dead FROM pg_stat_user_tables WHERE n_dead_tup > 0"
    " ORDER BY n_dead_tup DESC, relid LIMIT $2) t))"
    " FROM pos, pg_stat_database d WHERE d.datname = current_database()";
/* clang-format on */

static json_object *member(json_object *o, const char *key)
{
	json_object *v = NULL;
	return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* A number member as int64, or fallback when absent or null. */
static int64_t member_int(json_object *o, const char *key, int64_t fallback)
{
	json_object *v = member(o, key);
	if (!v || json_object_is_type(v, json_type_null))
		return fallback;
	double d = json_object_get_double(v);
	return isfinite(d) ? (int64_t)d : fallback;
}

static double member_double(json_object *o, const char *key, double fallback)
{
	json_object *v = member(o, key);
	if (!v || json_object_is_type(v, json_type_null))
		return fallback;
	double d = json_object_get_double(v);
	return isfinite(d) ? d : fallback;
}

static bool member_bool(json_object *o, const char *key)
{
	json_object *v = member(o, key);
	return v && json_object_get_boolean(v);
}

/* A string member, sanitised into dst ("" when absent or null). */
static void member_text(json_object *o, const char *key, char *dst, size_t size)
{
	json_object *v = member(o, key);
	if (!v || !json_object_is_type(v, json_type_string)) {
		dst[0] = '\0';
		return;
	}
	sanitize_bytes(dst, size, json_object_get_string(v), (size_t)json_object_get_string_len(v));
}

/* The array member `key`, or NULL with err. */
static json_object *member_array(json_object *o, const char *key, char *err, size_t errlen)
{
	json_object *v = member(o, key);
	if (!v || !json_object_is_type(v, json_type_array)) {
		snprintf(err, errlen, "the reply has no \"%s\" list", key);
		return NULL;
	}
	return v;
}

static void parse_standby(json_object *j, struct pg_standby *s)
{
	member_text(j, "name", s->name, sizeof(s->name));
	member_text(j, "client", s->client, sizeof(s->client));
	member_text(j, "state", s->state, sizeof(s->state));
	member_text(j, "sync_state", s->sync_state, sizeof(s->sync_state));
	s->write_lag_s = member_double(j, "write_lag", -1);
	s->flush_lag_s = member_double(j, "flush_lag", -1);
	s->replay_lag_s = member_double(j, "replay_lag", -1);
	s->replay_behind_bytes = member_int(j, "behind", -1);
}

static void parse_slot(json_object *j, struct pg_slot *s)
{
	member_text(j, "name", s->name, sizeof(s->name));
	member_text(j, "type", s->type, sizeof(s->type));
	s->active = member_bool(j, "active");
	s->retained_bytes = member_int(j, "retained", -1);
}

static void parse_table(json_object *j, struct pg_table_dead *t)
{
	member_text(j, "name", t->name, sizeof(t->name));
	t->live_tuples = member_int(j, "live", 0);
	t->dead_tuples = member_int(j, "dead", 0);
	int64_t all = t->live_tuples + t->dead_tuples;
	t->dead_ratio = all > 0 ? (double)t->dead_tuples / (double)all : 0;
}

int pg_upkeep_parse(const char *json, struct pg_upkeep_status *out, char *err, size_t errlen)
{
	int rc = -1;
	json_object *root = json ? json_tokener_parse(json) : NULL;
	json_object *standbys, *slots, *tables;
	if (!root || !json_object_is_type(root, json_type_object)) {
		snprintf(err, errlen, "the reply is not a JSON object");
		goto done;
	}
	if (!(standbys = member_array(root, "standbys", err, errlen)) ||
	    !(slots = member_array(root, "slots", err, errlen)) ||
	    !(tables = member_array(root, "tables", err, errlen)))
		goto done;
	out->in_recovery = member_bool(root, "in_recovery");
	out->standby_total = (int)member_int(root, "standby_total", 0);
	out->standby_count = 0;
	for (size_t i = 0; i < json_object_array_length(standbys) && i < PG_UPKEEP_STANDBYS; i++)
		parse_standby(json_object_array_get_idx(standbys, i),
		              &out->standbys[out->standby_count++]);
	out->slot_total = (int)member_int(root, "slot_total", 0);
	out->slot_count = 0;
	for (size_t i = 0; i < json_object_array_length(slots) && i < PG_UPKEEP_SLOTS; i++)
		parse_slot(json_object_array_get_idx(slots, i), &out->slots[out->slot_count++]);
	out->table_count = 0;
	for (size_t i = 0; i < json_object_array_length(tables) && i < PG_UPKEEP_TABLES; i++)
		parse_table(json_object_array_get_idx(tables, i), &out->tables[out->table_count++]);
	out->replay_lag_s = out->in_recovery ? member_double(root, "replay_lag", -1) : -1;
	out->replay_pending_bytes = out->in_recovery ? member_int(root, "replay_pending", -1) : -1;
	out->replay_paused = member_bool(root, "replay_paused");
	out->xid_age = member_int(root, "xid_age", -1);
	member_text(root, "xid_database", out->xid_database, sizeof(out->xid_database));
	out->freeze_max_age = member_int(root, "freeze_max_age", -1);
	out->blocks_hit = member_int(root, "blocks_hit", 0);
	out->blocks_read = member_int(root, "blocks_read", 0);
	out->cache_hit_ratio = pg_upkeep_hit_ratio(out, NULL, NULL);
	out->temp_bytes = member_int(root, "temp_bytes", -1);
	rc = 0;
done:
	json_object_put(root);
	return rc;
}
