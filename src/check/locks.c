/* locks.c - the "locks" row: blocking chains (root blockers, waiters,
 * hidden sessions, deadlocks) and the queries running now. Filled by the
 * database row's probe, on its connection (probe/pg_locks.h); no pids as
 * Prometheus labels. */
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>

#include "check/check.h"
#include "util/text.h"

static void locks_text(const struct snapshot *s, struct strbuf *b)
{
	const struct lock_status *l = &s->locks;
	if (!l->probed) {
		if (l->error[0])
			strbuf_printf(b, "%-10s %s\n", "locks", l->error);
		return;
	}
	strbuf_printf(b, "%-10s %d waiting, %d root blocker%s", "locks", l->waiting, l->root_count,
	              l->root_count == 1 ? "" : "s");
	if (l->deadlocks_total >= 0)
		strbuf_printf(b, ", %" PRId64 " deadlock%s since stats reset", l->deadlocks_total,
		              l->deadlocks_total == 1 ? "" : "s");
	strbuf_printf(b, "\n");
	for (int i = 0; i < l->root_count && i < LOCKS_MAX_ROOTS; i++) {
		char line[256];
		locks_describe_root(l, &l->roots[i], line, sizeof(line));
		strbuf_printf(b, "%31s%s\n", "", line);
	}
	if (l->hidden > 0 && !l->role_sees_all)
		strbuf_printf(b, "%31s%d session%s hidden from role %s: %s %s\n", "", l->hidden,
		              l->hidden == 1 ? "" : "s", l->role, LOCKS_HIDDEN_GRANT, l->role);
	if (l->running_count)
		strbuf_printf(b, "%-10s longest active %s\n", "running",
		              text_plural(l->running_count, "query", "queries"));
	else
		strbuf_printf(b, "%-10s no active query\n", "running");
	for (int i = 0; i < l->running_count; i++) {
		const struct running_query *q = &l->running[i];
		char d[32];
		text_format_duration(d, sizeof(d), (int64_t)(q->duration_s * 1000));
		strbuf_printf(b, "%31spid %d %8s %-12s %.90s\n", "", q->pid, d,
		              q->wait_event[0] ? q->wait_event : "-",
		              q->hidden ? "(hidden: grant pg_read_all_stats)" : q->query);
	}
}

static json_object *locks_session_json(const struct lock_session *x)
{
	json_object *o = json_object_new_object();
	render_json_add_int(o, "pid", x->pid);
	json_object_object_add(o, "application_name", json_object_new_string(x->application_name));
	json_object_object_add(o, "user", json_object_new_string(x->user));
	json_object_object_add(o, "client_addr", render_json_string_or_null(x->client_addr));
	json_object_object_add(o, "state", render_json_string_or_null(x->state));
	json_object_object_add(o, "xact_age_s", render_json_figure(x->xact_age_s));
	json_object_object_add(o, "query_age_s", render_json_figure(x->query_age_s));
	json_object_object_add(o, "wait_event", render_json_string_or_null(x->wait_event));
	json_object_object_add(o, "query", x->hidden ? NULL : json_object_new_string(x->query));
	json_object_object_add(o, "hidden", json_object_new_boolean(x->hidden));
	return o;
}

static json_object *locks_json(const struct snapshot *s)
{
	const struct lock_status *l = &s->locks;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "probed", json_object_new_boolean(l->probed));
	json_object_object_add(o, "error", render_json_string_or_null(l->error));
	if (!l->probed)
		return o;
	render_json_add_int(o, "waiting", l->waiting);
	render_json_add_int(o, "root_blockers", l->root_count);
	render_json_add_int(o, "cycle_sessions", l->cycle_sessions);
	render_json_add_int(o, "hidden", l->hidden);
	json_object_object_add(
	    o, "hidden_grant",
	    l->hidden > 0 && !l->role_sees_all ? json_object_new_string(LOCKS_HIDDEN_GRANT) : NULL);
	json_object_object_add(o, "longest_wait_s", json_object_new_double(l->longest_wait_s));
	json_object_object_add(o, "deadlocks_total",
	                       l->deadlocks_total >= 0 ? json_object_new_int64(l->deadlocks_total)
	                                               : NULL);
	json_object *roots = json_object_new_array();
	for (int i = 0; i < l->root_count && i < LOCKS_MAX_ROOTS; i++) {
		const struct lock_root *r = &l->roots[i];
		json_object *j = locks_session_json(&l->sessions[r->session]);
		render_json_add_int(j, "waiters", r->waiters_total);
		render_json_add_int(j, "direct_waiters", r->direct);
		json_object_object_add(j, "oldest_wait_s", render_json_figure(r->oldest_wait_s));
		json_object *released = json_object_new_array();
		for (int k = 0; k < l->session_count; k++)
			if (l->sessions[k].blocked_by_count > 0 &&
			    locks_waits_behind(l, &l->sessions[k], r->pid))
				json_object_array_add(released,
				                      json_object_new_int(l->sessions[k].pid));
		json_object_object_add(j, "waiter_pids", released);
		json_object_array_add(roots, j);
	}
	json_object_object_add(o, "roots", roots);
	json_object *running = json_object_new_array();
	for (int i = 0; i < l->running_count; i++) {
		const struct running_query *q = &l->running[i];
		json_object *j = json_object_new_object();
		render_json_add_int(j, "pid", q->pid);
		json_object_object_add(j, "duration_s", json_object_new_double(q->duration_s));
		json_object_object_add(j, "application_name",
		                       json_object_new_string(q->application_name));
		json_object_object_add(j, "wait_event", render_json_string_or_null(q->wait_event));
		json_object_object_add(j, "query",
		                       q->hidden ? NULL : json_object_new_string(q->query));
		json_object_array_add(running, j);
	}
	json_object_object_add(o, "running", running);
	return o;
}

static const struct prom_family F_ROOTS = {"opsdeck_pg_root_blockers", "gauge",
                                           "Sessions that block others and wait on no lock."};
static const struct prom_family F_BLOCKED = {
    "opsdeck_pg_blocked_sessions", "gauge",
    "Sessions waiting on a lock held by another session (pg_blocking_pids)."};
static const struct prom_family F_WAIT = {"opsdeck_pg_lock_wait_longest_seconds", "gauge",
                                          "The longest current wait on a lock."};
static const struct prom_family F_DEADLOCKS = {
    "opsdeck_pg_deadlocks_total", "counter",
    "Deadlocks detected in this database (pg_stat_database)."};
static const struct prom_family F_HIDDEN = {
    "opsdeck_pg_hidden_sessions", "gauge",
    "Sessions whose query the configured role may not see (no pg_read_all_stats)."};

static void locks_prometheus(const struct snapshot *s, struct prom *p)
{
	const struct lock_status *l = &s->locks;
	if (!l->probed)
		return;
	prom_sample(p, &F_ROOTS, NULL, l->root_count);
	prom_sample(p, &F_BLOCKED, NULL, l->waiting);
	prom_sample(p, &F_WAIT, NULL, l->longest_wait_s);
	if (l->deadlocks_total >= 0)
		prom_sample(p, &F_DEADLOCKS, NULL, (double)l->deadlocks_total);
	prom_sample(p, &F_HIDDEN, NULL, l->hidden);
}

static void locks_nagios_perfdata(const struct snapshot *s, struct strbuf *b)
{
	const struct lock_status *l = &s->locks;
	if (!l->probed)
		return;
	strbuf_printf(b, " pg_blocked=%d;;;0 pg_root_blockers=%d;;;0 pg_lock_wait=%.3fs;;;0",
	              l->waiting, l->root_count, l->longest_wait_s);
	if (l->deadlocks_total >= 0)
		strbuf_printf(b, " pg_deadlocks=%" PRId64 "c;;;0", l->deadlocks_total);
}

const struct check_class check_locks = {
    .key = "locks",
    .title = "Locks",
    .section = "database",
    .offset = offsetof(struct snapshot, locks),
    .size = sizeof(struct lock_status),
    .has_common = false,
    .group = CHECK_GROUP_METRICS,
    .schedule = CHECK_EVERY_POLL,
    .filled_by = &check_database,
    .text = locks_text,
    .json = locks_json,
    .prometheus = locks_prometheus,
    .nagios_perfdata = locks_nagios_perfdata,
};
