/* action_blocker.c - terminate-blocker: end the root of a blocking chain.
 *
 * Both the dry run and the run read the chain afresh with the probe's one
 * query (probe/pg_locks.h) and pick the target: run->pid, or the root with
 * the most waiters. The dry run shows it and the sessions it would release,
 * and records the pid and its backend_start in the run, so the run that
 * follows acts on what was shown. The run refuses, changing nothing, when
 * that pid is gone, blocks no one any more, or is another backend (its
 * backend_start differs); it never ends opsdeck's own sessions (its probe,
 * its pg_dump), a walsender, autovacuum or any other non-client backend,
 * nor a superuser's session unless the configured role is a superuser and
 * --force is given. The statement that terminates repeats the pid and
 * backend_start test, so a backend that changed in between is left alone.
 */
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job/action_impl.h"
#include "probe/pg_locks.h"
#include "probe/slow_queries.h"
#include "util/text.h"
#include "util/xalloc.h"

/* Waiters listed by the dry run. */
#define SHOW_WAITERS 20

static const char EXISTS_SQL[] = SLOW_QUERIES_MARKER
    " SELECT coalesce(backend_type, '') FROM pg_stat_activity WHERE pid = $1::int";
static const char TERMINATE_SQL[] =
    SLOW_QUERIES_MARKER " SELECT pg_terminate_backend(a.pid) FROM pg_stat_activity a"
                        " WHERE a.pid = $1::int"
                        " AND (extract(epoch FROM a.backend_start) * 1000000)::int8 = $2::int8"
                        " AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'";

/* Reads the chain into *l. 0, or -1 with the reason in err. */
static int blocker_read(struct action_db *c, struct lock_status *l, char *err, size_t errlen)
{
	PGresult *rows = NULL;
	const char **values = NULL;
	int rc = -1;
	int version = PQserverVersion(c->session.conn);
	if (action_db_query(c, pg_locks_sql(version), 0, NULL, &rows, err, errlen) < 0)
		goto done;
	if (PQnfields(rows) != PG_LOCKS_COL_COUNT) {
		snprintf(err, errlen, "the locks query returned %d columns", PQnfields(rows));
		goto done;
	}
	int n = PQntuples(rows);
	values = xcalloc((size_t)(n > 0 ? n : 1) * PG_LOCKS_COL_COUNT, sizeof(*values));
	for (int r = 0; r < n; r++)
		for (int k = 0; k < PG_LOCKS_COL_COUNT; k++)
			values[(size_t)r * PG_LOCKS_COL_COUNT + (size_t)k] =
			    PQgetisnull(rows, r, k) ? NULL : PQgetvalue(rows, r, k);
	rc = pg_locks_parse(values, n, l, err, errlen);
done:
	free(values);
	PQclear(rows);
	return rc;
}

/* The pid is not in the chain: gone, or blocking no one. Sets err. */
static int blocker_absent(struct action_run *run, struct action_db *c, char *err, size_t errlen)
{
	char pid[16];
	PGresult *rows = NULL;
	snprintf(pid, sizeof(pid), "%d", run->pid);
	const char *params[1] = {pid};
	if (action_db_query(c, EXISTS_SQL, 1, params, &rows, err, errlen) < 0)
		return -1;
	if (PQntuples(rows) == 0)
		snprintf(err, errlen, "pid %d is gone: nothing to terminate", run->pid);
	else
		snprintf(err, errlen, "pid %d blocks no session (any more): not terminated",
		         run->pid);
	PQclear(rows);
	run->target_changed = true;
	return ACTION_RUN_REFUSED;
}

/* Why the session must not be ended, into err; ACTION_RUN_REFUSED, or 0. */
static int blocker_forbidden(const struct action_run *run, const struct lock_status *l,
                             const struct lock_session *x, char *err, size_t errlen)
{
	if (x->pid == l->own_pid || strncmp(x->application_name, "opsdeck", 7) == 0)
		snprintf(err, errlen, "pid %d is opsdeck's own session (%s): never terminated",
		         x->pid, x->application_name);
	else if (strcmp(x->backend_type, "walsender") == 0)
		snprintf(err, errlen, "pid %d is a walsender (replication): never terminated",
		         x->pid);
	else if (strstr(x->backend_type, "autovacuum"))
		snprintf(err, errlen,
		         "pid %d is %s: never terminated (it gives way by itself; a wraparound "
		         "vacuum must not be stopped)",
		         x->pid, x->backend_type);
	else if (x->backend_type[0] && strcmp(x->backend_type, "client backend") != 0)
		snprintf(err, errlen, "pid %d is a %s, not a client session: never terminated",
		         x->pid, x->backend_type);
	else if (x->superuser && !(l->role_superuser && run->force))
		snprintf(err, errlen, "pid %d is a superuser's session: not terminated%s", x->pid,
		         l->role_superuser ? " without --force"
		                           : " (role "
		                             "is not a superuser)");
	else
		return 0;
	return ACTION_RUN_REFUSED;
}

/* Says the target and the sessions it would release. */
static void blocker_show(struct action_run *run, const struct lock_status *l,
                         const struct lock_session *x, int released)
{
	char who[256];
	locks_describe_session(x, who, sizeof(who));
	action_say(run, "root blocker %s", who);
	action_say(run, "  backend_start %" PRId64 " (checked again before acting)",
	           x->backend_start_us);
	action_say(run, "  query: %s",
	           x->hidden ? "(hidden from this role: " LOCKS_HIDDEN_GRANT " ...)" : x->query);
	action_say(run, "it would release %d %s:", released,
	           text_plural(released, "session", "sessions"));
	int shown = 0;
	for (int i = 0; i < l->session_count; i++) {
		const struct lock_session *w = &l->sessions[i];
		if (w->blocked_by_count == 0 || !locks_waits_behind(l, w, x->pid))
			continue;
		if (shown++ >= SHOW_WAITERS)
			continue;
		char line[256], wait[32] = "?";
		locks_describe_session(w, line, sizeof(line));
		double age = w->wait_age_s >= 0 ? w->wait_age_s : w->query_age_s;
		if (age >= 0)
			text_format_duration(wait, sizeof(wait), (int64_t)(age * 1000));
		action_say(run, "  %s waiting %s: %.80s", line, wait,
		           w->hidden ? "(hidden)" : w->query);
	}
	if (shown > SHOW_WAITERS)
		action_say(run, "  ... and %d more", shown - SHOW_WAITERS);
}

static int blocker_released(const struct lock_status *l, int pid)
{
	int n = 0;
	for (int i = 0; i < l->session_count; i++)
		if (l->sessions[i].blocked_by_count > 0 &&
		    locks_waits_behind(l, &l->sessions[i], pid))
			n++;
	return n;
}

/* Opens c, reads the chain, picks the target and makes every refusal;
 * on 0 *target is set, and *released to the sessions waiting behind it. */
static int blocker_pick(struct action_run *run, struct action_db *c, struct lock_status *l,
                        const struct lock_session **target, int *released, char *err, size_t errlen)
{
	if (action_db_open(run, c, err, errlen) < 0 || blocker_read(c, l, err, errlen) < 0)
		return -1;
	if (run->pid <= 0) {
		const struct lock_root *r = locks_top_root(l);
		if (!r) {
			snprintf(err, errlen, "no session blocks another%s: nothing to terminate",
			         l->cycle_sessions ? " from outside a cycle (the server breaks a "
			                             "deadlock itself)"
			                           : "");
			run->target_changed = true;
			return ACTION_RUN_REFUSED;
		}
		run->pid = r->pid;
	}
	const struct lock_session *x = locks_find(l, run->pid);
	if (!x || x->blocks_count == 0)
		return blocker_absent(run, c, err, errlen);
	int rc = blocker_forbidden(run, l, x, err, errlen);
	if (rc)
		return rc;
	if (run->backend_start_us && run->backend_start_us != x->backend_start_us) {
		snprintf(err, errlen,
		         "pid %d is another backend than the one shown (backend_start %" PRId64
		         ", was %" PRId64 "): not terminated",
		         run->pid, x->backend_start_us, run->backend_start_us);
		run->target_changed = true;
		return ACTION_RUN_REFUSED;
	}
	*target = x;
	*released = blocker_released(l, x->pid);
	return 0;
}

int terminate_blocker_dry_run(struct action_run *run, char *err, size_t errlen)
{
	struct action_db c;
	struct lock_status *l = xmalloc(sizeof(*l));
	const struct lock_session *x = NULL;
	int released = 0;
	int rc = blocker_pick(run, &c, l, &x, &released, err, errlen);
	if (rc)
		goto done;
	blocker_show(run, l, x, released);
	if (!run->backend_start_us)
		run->backend_start_us = x->backend_start_us;
	snprintf(run->summary, sizeof(run->summary),
	         "would terminate pid %d (pg_terminate_backend), releasing %d %s", x->pid, released,
	         text_plural(released, "session", "sessions"));
	action_say(run, "%s", run->summary);
done:
	action_db_close(&c);
	free(l);
	return rc;
}

int terminate_blocker_run(struct action_run *run, char *err, size_t errlen)
{
	struct action_db c;
	struct lock_status *l = xmalloc(sizeof(*l));
	const struct lock_session *x = NULL;
	PGresult *rows = NULL;
	int released = 0;
	int rc = blocker_pick(run, &c, l, &x, &released, err, errlen);
	if (rc)
		goto done;
	rc = -1;
	if (!run->backend_start_us) {
		/* Not shown before (--yes): say what is ended. */
		blocker_show(run, l, x, released);
		run->backend_start_us = x->backend_start_us;
	}
	if (action_cancelled(run))
		goto done;
	char pid[16], start[32];
	snprintf(pid, sizeof(pid), "%d", x->pid);
	snprintf(start, sizeof(start), "%" PRId64, x->backend_start_us);
	const char *params[2] = {pid, start};
	if (action_db_query(&c, TERMINATE_SQL, 2, params, &rows, err, errlen) < 0)
		goto done;
	if (PQntuples(rows) != 1 || strcmp(PQgetvalue(rows, 0, 0), "t") != 0) {
		snprintf(err, errlen, "could not terminate pid %d (it ended or changed meanwhile)",
		         x->pid);
		goto done;
	}
	snprintf(run->summary, sizeof(run->summary), "terminated pid %d, which held up %d %s",
	         x->pid, released, text_plural(released, "session", "sessions"));
	action_say(run, "%s", run->summary);
	run->done = 1;
	rc = 0;
done:
	PQclear(rows);
	action_db_close(&c);
	free(l);
	return rc;
}
