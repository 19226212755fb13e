/* connections.c - the "connections" row: PostgreSQL's client connections
 * grouped by application, user, client and state, the usable slots and
 * Prisma's pool arithmetic (model/connections.h). Filled by the database
 * probe on its connection. */
#include <json-c/json.h>
#include <stdio.h>

#include "check/check.h"

static void connections_text(const struct snapshot *s, struct strbuf *b)
{
	const struct pg_connections *c = &s->connections;
	render_check_line(b, "conns", &c->check);
	if (c->check.state != CHECK_OK)
		return;
	strbuf_printf(b, "%31s%d of %d usable (max_connections %d, reserved %d)\n", "", c->total,
	              c->usable, c->max_connections, c->superuser_reserved + c->reserved);
	for (int d = 0; d < CONN_DIMENSIONS; d++) {
		const struct conn_groups *g = &c->by[d];
		strbuf_printf(b, "%31sby %s:", "", conn_dimension_name((enum conn_dimension)d));
		for (int i = 0; i < g->count; i++)
			strbuf_printf(b, "%s %s %d", i ? "," : "", g->items[i].name,
			              g->items[i].count);
		if (g->other > 0)
			strbuf_printf(b, ", other %d", g->other);
		strbuf_puts(b, "\n");
	}
	struct pool_fit fit;
	pool_fit_compute(c, &fit);
	strbuf_printf(b, "%31spool: %d instance%s x connection_limit %d%s = %ld, %d available\n",
	              "", c->instances, c->instances == 1 ? "" : "s", fit.limit,
	              fit.defaulted ? " (Prisma's default)" : "", fit.need, fit.available);
}

static json_object *connections_json(const struct snapshot *s)
{
	const struct pg_connections *c = &s->connections;
	json_object *o = render_json_frame(&c->check);
	if (c->check.state != CHECK_OK)
		return o;
	render_json_add_int(o, "total", c->total);
	render_json_add_int(o, "usable", c->usable);
	render_json_add_int(o, "max_connections", c->max_connections);
	render_json_add_int(o, "superuser_reserved", c->superuser_reserved);
	render_json_add_int(o, "reserved", c->reserved);
	render_json_add_int(o, "app", c->app_connections);
	json_object *by = json_object_new_object();
	for (int d = 0; d < CONN_DIMENSIONS; d++) {
		const struct conn_groups *g = &c->by[d];
		json_object *groups = json_object_new_array();
		for (int i = 0; i < g->count; i++) {
			json_object *j = json_object_new_object();
			json_object_object_add(j, "name", json_object_new_string(g->items[i].name));
			render_json_add_int(j, "count", g->items[i].count);
			json_object_array_add(groups, j);
		}
		json_object *dim = json_object_new_object();
		json_object_object_add(dim, "top", groups);
		render_json_add_int(dim, "other", g->other);
		json_object_object_add(by, conn_dimension_name((enum conn_dimension)d), dim);
	}
	json_object_object_add(o, "by", by);
	struct pool_fit fit;
	pool_fit_compute(c, &fit);
	json_object *pool = json_object_new_object();
	render_json_add_int(pool, "instances", c->instances);
	json_object_object_add(pool, "connection_limit",
	                       c->connection_limit < 0 ? NULL
	                                               : json_object_new_int(c->connection_limit));
	render_json_add_int(pool, "default_limit", c->default_limit);
	render_json_add_int(pool, "limit", fit.limit);
	render_json_add_int(pool, "need", fit.need);
	render_json_add_int(pool, "available", fit.available);
	json_object_object_add(pool, "fits", json_object_new_boolean(fit.fits));
	json_object_object_add(pool, "pgbouncer", json_object_new_boolean(c->pgbouncer));
	json_object_object_add(o, "pool", pool);
	return o;
}

static const struct prom_family F_USABLE = {
    "opsdeck_pg_connections_usable", "gauge",
    "max_connections less the reserved slots (superuser_reserved, reserved)."};
static const struct prom_family F_BY_APP = {
    "opsdeck_pg_connections_by_application", "gauge",
    "Client connections of the top applications by count; the rest as \"other\"."};
static const struct prom_family F_POOL_NEED = {"opsdeck_pool_connections_needed", "gauge",
                                               "[app] instances times Prisma's connection_limit."};
static const struct prom_family F_POOL_AVAILABLE = {
    "opsdeck_pool_connections_available", "gauge",
    "Usable slots less the connections that are not the app's."};

static void connections_prometheus(const struct snapshot *s, struct prom *p)
{
	const struct pg_connections *c = &s->connections;
	if (c->check.state != CHECK_OK)
		return;
	prom_sample(p, &F_USABLE, NULL, c->usable);
	const struct conn_groups *g = &c->by[CONN_BY_APPLICATION];
	for (int i = 0; i < g->count; i++) {
		const char *labels[] = {"application", g->items[i].name, NULL};
		prom_sample(p, &F_BY_APP, labels, g->items[i].count);
	}
	const char *other[] = {"application", "other", NULL};
	prom_sample(p, &F_BY_APP, other, g->other);
	struct pool_fit fit;
	pool_fit_compute(c, &fit);
	prom_sample(p, &F_POOL_NEED, NULL, (double)fit.need);
	prom_sample(p, &F_POOL_AVAILABLE, NULL, fit.available);
}

static void connections_nagios_perfdata(const struct snapshot *s, struct strbuf *b)
{
	const struct pg_connections *c = &s->connections;
	if (c->check.state != CHECK_OK)
		return;
	struct pool_fit fit;
	pool_fit_compute(c, &fit);
	strbuf_printf(b, " db_usable=%d;;;0;%d pool_need=%ld;;%d;0", c->usable, c->max_connections,
	              fit.need, fit.available);
}

const struct check_class check_connections = {
    .key = "connections",
    .title = "Connections",
    .section = "database",
    .offset = offsetof(struct snapshot, connections),
    .size = sizeof(struct pg_connections),
    .has_common = true,
    .group = CHECK_GROUP_METRICS,
    .schedule = CHECK_EVERY_POLL,
    .filled_by = &check_database,
    .text = connections_text,
    .json = connections_json,
    .prometheus = connections_prometheus,
    .nagios_perfdata = connections_nagios_perfdata,
};
