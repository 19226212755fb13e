/* database.c - the "database" check: PostgreSQL activity. Its probe also
 * fills the requests, slow_queries, locks, connections and pg_upkeep rows,
 * on the same connection. */
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>

#include "check/check.h"
#include "probe/probe.h"
#include "util/text.h"

static void database_probe(const struct config *cfg, const struct check_probe_context *ctx,
                           struct snapshot *out)
{
	const struct pg_probe_parts parts = {
	    .requests = &out->requests,
	    .window = ctx->window,
	    .slow_queries = &out->slow_queries,
	    .slow_baseline = ctx->slow_baseline,
	    .locks = &out->locks,
	    .connections = &out->connections,
	    .upkeep = &out->pg_upkeep,
	};
	probe_pg(cfg, &out->database, &parts);
}

static void database_text(const struct snapshot *s, struct strbuf *b)
{
	const struct pg_status *pg = &s->database;
	render_check_line(b, "database", &pg->check);
	if (pg->check.state != CHECK_OK)
		return;
	strbuf_printf(b,
	              "%31sPostgreSQL %s; connections %d of %d (active %d, idle %d, idle in "
	              "transaction %d, other %d)\n",
	              "", pg->server_version, pg->connections_total, pg->max_connections,
	              pg->connections_active, pg->connections_idle, pg->connections_idle_in_tx,
	              pg->connections_other);
	char idle[32], query[32];
	text_format_duration(idle, sizeof(idle), (int64_t)(pg->longest_idle_in_tx_s * 1000));
	text_format_duration(query, sizeof(query), (int64_t)(pg->longest_query_s * 1000));
	strbuf_printf(b, "%31slongest idle in transaction %s; longest query %s; lock waiters %d\n",
	              "", pg->connections_idle_in_tx ? idle : "-",
	              pg->longest_query_s > 0 ? query : "-", pg->lock_waiters);
}

static json_object *database_json(const struct snapshot *s)
{
	const struct pg_status *pg = &s->database;
	json_object *o = render_json_frame(&pg->check);
	if (pg->check.state != CHECK_OK)
		return o;
	json_object_object_add(o, "server_version", json_object_new_string(pg->server_version));
	render_json_add_int(o, "server_version_num", pg->server_version_num);
	json_object *conn = json_object_new_object();
	render_json_add_int(conn, "total", pg->connections_total);
	render_json_add_int(conn, "max", pg->max_connections);
	render_json_add_int(conn, "active", pg->connections_active);
	render_json_add_int(conn, "idle", pg->connections_idle);
	render_json_add_int(conn, "idle_in_transaction", pg->connections_idle_in_tx);
	render_json_add_int(conn, "other", pg->connections_other);
	json_object_object_add(o, "connections", conn);
	json_object_object_add(o, "longest_idle_in_transaction_s",
	                       json_object_new_double(pg->longest_idle_in_tx_s));
	json_object_object_add(o, "longest_query_s", json_object_new_double(pg->longest_query_s));
	render_json_add_int(o, "lock_waiters", pg->lock_waiters);
	return o;
}

static const struct prom_family F_PG_CONNECTIONS = {"opsdeck_pg_connections", "gauge",
                                                    "PostgreSQL client backends by state."};
static const struct prom_family F_PG_MAX_CONNECTIONS = {"opsdeck_pg_max_connections", "gauge",
                                                        "PostgreSQL max_connections."};
static const struct prom_family F_PG_IDLE_IN_TX = {
    "opsdeck_pg_idle_in_transaction_longest_seconds", "gauge",
    "Age of the longest idle-in-transaction session."};
static const struct prom_family F_PG_QUERY = {"opsdeck_pg_query_longest_seconds", "gauge",
                                              "Age of the longest running query."};
static const struct prom_family F_PG_LOCK_WAITERS = {"opsdeck_pg_lock_waiters", "gauge",
                                                     "Backends waiting on a lock."};

static void database_prometheus(const struct snapshot *s, struct prom *p)
{
	const struct pg_status *pg = &s->database;
	if (pg->check.state != CHECK_OK)
		return;
	const struct {
		const char *state;
		int count;
	} by_state[] = {{"active", pg->connections_active},
	                {"idle", pg->connections_idle},
	                {"idle_in_transaction", pg->connections_idle_in_tx},
	                {"other", pg->connections_other}};
	for (size_t i = 0; i < sizeof(by_state) / sizeof(by_state[0]); i++) {
		const char *labels[] = {"state", by_state[i].state, NULL};
		prom_sample(p, &F_PG_CONNECTIONS, labels, by_state[i].count);
	}
	prom_sample(p, &F_PG_MAX_CONNECTIONS, NULL, pg->max_connections);
	prom_sample(p, &F_PG_IDLE_IN_TX, NULL, pg->longest_idle_in_tx_s);
	prom_sample(p, &F_PG_QUERY, NULL, pg->longest_query_s);
	prom_sample(p, &F_PG_LOCK_WAITERS, NULL, pg->lock_waiters);
}

static void database_nagios_perfdata(const struct snapshot *s, struct strbuf *b)
{
	if (s->database.check.state == CHECK_OK)
		strbuf_printf(b, " db_connections=%d;;;0;%d", s->database.connections_total,
		              s->database.max_connections);
}

static int database_summary(const struct snapshot *s, struct check_figure *figures)
{
	const struct pg_status *pg = &s->database;
	struct check_figure *f = figures;
	snprintf(f->text, sizeof(f->text), "%d/%d conn", pg->connections_total,
	         pg->max_connections);
	snprintf(f->brief, sizeof(f->brief), "%d/%d", pg->connections_total, pg->max_connections);
	f->rank = 0;
	f++;
	snprintf(f->text, sizeof(f->text), "%d active", pg->connections_active);
	snprintf(f->brief, sizeof(f->brief), "%d act", pg->connections_active);
	f->rank = 2;
	f++;
	snprintf(f->text, sizeof(f->text), "%d idle", pg->connections_idle);
	f->brief[0] = '\0';
	f->rank = 3;
	f++;
	/* the sessions that hold locks and connections: kept before the others */
	snprintf(f->text, sizeof(f->text), "%d idle-in-tx", pg->connections_idle_in_tx);
	snprintf(f->brief, sizeof(f->brief), "%d idle-tx", pg->connections_idle_in_tx);
	f->rank = 1;
	return 4;
}

const struct check_class check_database = {
    .key = "database",
    .title = "Database",
    .section = "database",
    .offset = offsetof(struct snapshot, database),
    .size = sizeof(struct pg_status),
    .has_common = true,
    .group = CHECK_GROUP_HEALTH,
    .schedule = CHECK_EVERY_POLL,
    .probe = database_probe,
    .text = database_text,
    .json = database_json,
    .prometheus = database_prometheus,
    .nagios_perfdata = database_nagios_perfdata,
    .panel_label = "database",
    .summary = database_summary,
};
