/* pgbouncer.c - the "pgbouncer" row: PgBouncer's pools from its admin
 * console (model/pgbouncer.h), probed on a connection of its own
 * (probe/probe_pgbouncer.c). Not configured without [database]
 * pgbouncer_admin_url. Prometheus labels: pool = database/user of the
 * capped top PGBOUNCER_POOLS only. */
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>

#include "check/check.h"
#include "probe/probe.h"
#include "util/text.h"

static void pgbouncer_probe(const struct config *cfg, const struct check_probe_context *ctx,
                            struct snapshot *out)
{
	(void)ctx;
	probe_pgbouncer(cfg, &out->pgbouncer);
}

static void wait_text(char *dst, size_t size, int64_t us)
{
	text_format_duration(dst, size, us / 1000);
}

static void pgbouncer_text(const struct snapshot *s, struct strbuf *b)
{
	const struct pgbouncer_status *g = &s->pgbouncer;
	render_check_line(b, "pgbouncer", &g->check);
	if (g->check.state != CHECK_OK)
		return;
	char wait[32];
	wait_text(wait, sizeof(wait), g->maxwait_us);
	strbuf_printf(
	    b,
	    "%31s%d %s: %d clients active, %d waiting (max wait %s); servers %d active, %d idle\n",
	    "", g->pool_total, text_plural(g->pool_total, "pool", "pools"), g->cl_active,
	    g->cl_waiting, wait, g->sv_active, g->sv_idle);
	for (int i = 0; i < g->pool_count; i++) {
		const struct pgbouncer_pool *p = &g->pools[i];
		char name[2 * PGBOUNCER_NAME_LEN + 2];
		pgbouncer_pool_name(p, name, sizeof(name));
		wait_text(wait, sizeof(wait), p->maxwait_us);
		strbuf_printf(b,
		              "%31s  %s%s%s%s: clients %d active, %d waiting (max wait %s); "
		              "servers %d active, %d idle\n",
		              "", name, p->mode[0] ? " (" : "", p->mode, p->mode[0] ? ")" : "",
		              p->cl_active, p->cl_waiting, wait, p->sv_active, p->sv_idle);
	}
}

static json_object *pgbouncer_json(const struct snapshot *s)
{
	const struct pgbouncer_status *g = &s->pgbouncer;
	json_object *o = render_json_frame(&g->check);
	if (g->check.state != CHECK_OK)
		return o;
	render_json_add_int(o, "pool_total", g->pool_total);
	render_json_add_int(o, "cl_active", g->cl_active);
	render_json_add_int(o, "cl_waiting", g->cl_waiting);
	render_json_add_int(o, "sv_active", g->sv_active);
	render_json_add_int(o, "sv_idle", g->sv_idle);
	render_json_add_int(o, "maxwait_us", g->maxwait_us);
	json_object *a = json_object_new_array();
	for (int i = 0; i < g->pool_count; i++) {
		const struct pgbouncer_pool *p = &g->pools[i];
		char name[2 * PGBOUNCER_NAME_LEN + 2];
		pgbouncer_pool_name(p, name, sizeof(name));
		json_object *j = json_object_new_object();
		json_object_object_add(j, "pool", json_object_new_string(name));
		json_object_object_add(j, "database", json_object_new_string(p->database));
		json_object_object_add(j, "user", json_object_new_string(p->user));
		json_object_object_add(j, "pool_mode", render_json_string_or_null(p->mode));
		render_json_add_int(j, "cl_active", p->cl_active);
		render_json_add_int(j, "cl_waiting", p->cl_waiting);
		render_json_add_int(j, "sv_active", p->sv_active);
		render_json_add_int(j, "sv_idle", p->sv_idle);
		render_json_add_int(j, "sv_used", p->sv_used);
		render_json_add_int(j, "maxwait", p->maxwait_us / 1000000);
		render_json_add_int(j, "maxwait_us", p->maxwait_us);
		json_object_object_add(j, "avg_wait_us",
		                       p->avg_wait_us < 0 ? NULL
		                                          : json_object_new_int64(p->avg_wait_us));
		json_object_array_add(a, j);
	}
	json_object_object_add(o, "pools", a);
	return o;
}

static const struct prom_family F_UP = {"opsdeck_pgbouncer_up", "gauge",
                                        "1 when PgBouncer's admin console answered SHOW POOLS."};
static const struct prom_family F_POOLS = {"opsdeck_pgbouncer_pools", "gauge",
                                           "Pools PgBouncer has (its admin console not counted)."};
static const struct prom_family F_WAITING = {
    "opsdeck_pgbouncer_clients_waiting", "gauge",
    "Clients waiting for a server connection, by pool (database/user; the top few)."};
static const struct prom_family F_ACTIVE = {
    "opsdeck_pgbouncer_clients_active", "gauge",
    "Clients paired with a server connection, by pool (the top few)."};
static const struct prom_family F_SV_ACTIVE = {
    "opsdeck_pgbouncer_servers_active", "gauge",
    "Server connections paired with a client, by pool (the top few)."};
static const struct prom_family F_SV_IDLE = {
    "opsdeck_pgbouncer_servers_idle", "gauge",
    "Server connections ready for a client, by pool (the top few)."};
static const struct prom_family F_MAXWAIT = {
    "opsdeck_pgbouncer_max_wait_seconds", "gauge",
    "How long the oldest waiting client of a pool has waited (the top few)."};

static void pgbouncer_prometheus(const struct snapshot *s, struct prom *p)
{
	const struct pgbouncer_status *g = &s->pgbouncer;
	if (g->check.state != CHECK_OK && g->check.state != CHECK_UNHEALTHY)
		return;
	prom_sample(p, &F_UP, NULL, g->check.state == CHECK_OK);
	if (g->check.state != CHECK_OK)
		return;
	prom_sample(p, &F_POOLS, NULL, g->pool_total);
	const struct prom_family *families[] = {&F_WAITING, &F_ACTIVE, &F_SV_ACTIVE, &F_SV_IDLE,
	                                        &F_MAXWAIT};
	for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++) {
		for (int i = 0; i < g->pool_count; i++) {
			const struct pgbouncer_pool *q = &g->pools[i];
			char name[2 * PGBOUNCER_NAME_LEN + 2];
			pgbouncer_pool_name(q, name, sizeof(name));
			const char *labels[] = {"pool", name, NULL};
			double v = f == 0   ? q->cl_waiting
			           : f == 1 ? q->cl_active
			           : f == 2 ? q->sv_active
			           : f == 3 ? q->sv_idle
			                    : (double)q->maxwait_us / 1e6;
			prom_sample(p, families[f], labels, v);
		}
	}
}

static void pgbouncer_nagios_perfdata(const struct snapshot *s, struct strbuf *b)
{
	const struct pgbouncer_status *g = &s->pgbouncer;
	if (g->check.state != CHECK_OK)
		return;
	strbuf_printf(b, " pgbouncer_waiting=%d;0;;0 pgbouncer_max_wait=%.3fs;;;0", g->cl_waiting,
	              (double)g->maxwait_us / 1e6);
}

const struct check_class check_pgbouncer = {
    .key = "pgbouncer",
    .title = "PgBouncer",
    .section = "database",
    .offset = offsetof(struct snapshot, pgbouncer),
    .size = sizeof(struct pgbouncer_status),
    .has_common = true,
    .group = CHECK_GROUP_METRICS,
    .schedule = CHECK_EVERY_POLL,
    .probe = pgbouncer_probe,
    .text = pgbouncer_text,
    .json = pgbouncer_json,
    .prometheus = pgbouncer_prometheus,
    .nagios_perfdata = pgbouncer_nagios_perfdata,
};
