/* pg_locks.c - the blocking-chain query and its parser (see pg_locks.h). */
#include "probe/pg_locks.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/redact.h"
#include "probe/slow_queries.h"
#include "util/sanitize.h"
#include "util/text.h"

/* The parts before and after the wait-age source, which differs by version. */
#define PG_LOCKS_SQL_HEAD                                                                          \
	SLOW_QUERIES_MARKER                                                                        \
	" WITH a AS MATERIALIZED ("                                                                \
	" SELECT s.pid, s.application_name, s.usename, s.usesysid,"                                \
	"  coalesce(host(s.client_addr), CASE WHEN s.client_port = -1 THEN 'local' END) AS "       \
	"client,"                                                                                  \
	"  s.state, s.backend_type, s.backend_start, s.xact_start, s.query_start,"                 \
	"  s.state_change, s.wait_event_type, s.wait_event, s.query,"                              \
	"  CASE WHEN s.wait_event_type = 'Lock' THEN pg_blocking_pids(s.pid) END AS blocked_by"    \
	" FROM pg_stat_activity s WHERE s.pid <> pg_backend_pid()),"                               \
	" b AS (SELECT DISTINCT unnest(blocked_by) AS pid FROM a),"

#define PG_LOCKS_WAIT_14                                                                           \
	" wl AS (SELECT pid, min(waitstart) AS waitstart FROM pg_locks"                            \
	"  WHERE NOT granted AND pid IN (SELECT pid FROM a WHERE blocked_by IS NOT NULL)"          \
	"  GROUP BY pid),"
#define PG_LOCKS_WAIT_OLD " wl AS (SELECT NULL::int AS pid, NULL::timestamptz AS waitstart),"

#define PG_LOCKS_SQL_TAIL                                                                          \
	" l AS (SELECT a.*, wl.waitstart FROM a LEFT JOIN wl ON wl.pid = a.pid"                    \
	"  WHERE cardinality(a.blocked_by) > 0 OR a.pid IN (SELECT pid FROM b)"                    \
	"  ORDER BY coalesce(cardinality(a.blocked_by), 0) = 0 DESC, a.xact_start NULLS LAST"      \
	"  LIMIT 33),"                                                                             \
	" r AS (SELECT * FROM a WHERE a.state = 'active' AND a.backend_type = 'client backend'"    \
	"  AND a.query_start IS NOT NULL ORDER BY a.query_start LIMIT 8)"                          \
	" SELECT 'S', pg_backend_pid()::text, NULL, current_user::text, NULL, NULL, NULL, NULL,"   \
	"  (SELECT count(*) FROM a WHERE a.query = '<insufficient privilege>')::text,"             \
	"  (SELECT deadlocks FROM pg_stat_database WHERE datname = current_database())::text,"     \
	"  NULL, NULL, NULL, NULL,"                                                                \
	"  coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false)::text,"   \
	"  (coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false)"         \
	"   OR pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER'))::text"                    \
	" UNION ALL"                                                                               \
	" SELECT 'L', l.pid::text, l.application_name, l.usename::text, l.client, l.state,"        \
	"  l.backend_type, (extract(epoch FROM l.backend_start) * 1000000)::int8::text,"           \
	"  extract(epoch FROM now() - l.xact_start)::float8::text,"                                \
	"  extract(epoch FROM now() - CASE WHEN l.state = 'active' THEN l.query_start"             \
	"   ELSE l.state_change END)::float8::text,"                                               \
	"  extract(epoch FROM now() - l.waitstart)::float8::text,"                                 \
	"  l.wait_event_type, l.wait_event, left(l.query, 400),"                                   \
	"  coalesce((SELECT rolsuper FROM pg_roles WHERE oid = l.usesysid), false)::text,"         \
	"  array_to_string(l.blocked_by, ' ')"                                                     \
	" FROM l"                                                                                  \
	" UNION ALL"                                                                               \
	" SELECT 'R', r.pid::text, r.application_name, r.usename::text, r.client, r.state,"        \
	"  r.backend_type, NULL, NULL, extract(epoch FROM now() - r.query_start)::float8::text,"   \
	"  NULL, r.wait_event_type, r.wait_event, left(r.query, 400), NULL, NULL"                  \
	" FROM r"

static const char PG_LOCKS_SQL_14[] = PG_LOCKS_SQL_HEAD PG_LOCKS_WAIT_14 PG_LOCKS_SQL_TAIL;
static const char PG_LOCKS_SQL_OLD[] = PG_LOCKS_SQL_HEAD PG_LOCKS_WAIT_OLD PG_LOCKS_SQL_TAIL;

#define HIDDEN_TEXT "<insufficient privilege>"

const char *pg_locks_sql(int server_version_num)
{
	return server_version_num >= 140000 ? PG_LOCKS_SQL_14 : PG_LOCKS_SQL_OLD;
}

static int bad(const char *what, const char *value, char *err, size_t errlen)
{
	char shown[32];
	sanitize_text(shown, sizeof(shown), value ? value : "NULL");
	snprintf(err, errlen, "locks query: bad %s \"%s\"", what, shown);
	return -1;
}

static int parse_pid(const char *v, int *out, char *err, size_t errlen)
{
	int64_t n = 0;
	if (!v || text_parse_int64(v, &n) < 0 || n <= 0 || n > INT_MAX)
		return bad("pid", v, err, errlen);
	*out = (int)n;
	return 0;
}

/* An age in seconds, -1 for NULL; negative ages (clock skew) become 0. */
static int parse_age(const char *v, double *out, char *err, size_t errlen)
{
	double d = -1;
	if (v && text_parse_double(v, &d) < 0)
		return bad("age", v, err, errlen);
	*out = v ? (d < 0 ? 0 : d) : -1;
	return 0;
}

static bool parse_bool(const char *v)
{
	return v && (strcmp(v, "true") == 0 || strcmp(v, "t") == 0);
}

/* Sanitised, runs of spaces folded, cut, redacted. */
static void clean_text(char *dst, size_t size, const char *text)
{
	char *tmp = NULL;
	size_t n = strlen(text ? text : "") + 1;
	tmp = malloc(n);
	if (!tmp) {
		snprintf(dst, size, "?");
		return;
	}
	sanitize_text(tmp, n, text ? text : "");
	size_t o = 0;
	bool space = true;
	for (size_t i = 0; tmp[i]; i++) {
		if (tmp[i] == ' ' && space)
			continue;
		space = tmp[i] == ' ';
		tmp[o++] = tmp[i];
	}
	while (o > 0 && tmp[o - 1] == ' ')
		o--;
	tmp[o] = '\0';
	redact_text(tmp, n);
	sanitize_text(dst, size, tmp);
	free(tmp);
}

static void copy_name(char *dst, size_t size, const char *v)
{
	sanitize_text(dst, size, v ? v : "");
}

static int parse_blocked_by(const char *v, struct lock_session *x, char *err, size_t errlen)
{
	x->blocked_by_count = 0;
	if (!v)
		return 0;
	const char *p = v;
	while (*p) {
		char *end = NULL;
		long n = strtol(p, &end, 10);
		if (end == p || n <= 0 || n > INT_MAX)
			return bad("blocking pid list", v, err, errlen);
		if (x->blocked_by_count < LOCKS_MAX_BLOCKED_BY)
			x->blocked_by[x->blocked_by_count++] = (int)n;
		p = end;
		while (*p == ' ')
			p++;
	}
	return 0;
}

static int parse_summary(const char *const *v, struct lock_status *out, char *err, size_t errlen)
{
	int64_t n = 0;
	if (parse_pid(v[PG_LOCKS_COL_PID], &out->own_pid, err, errlen) < 0)
		return -1;
	copy_name(out->role, sizeof(out->role), v[PG_LOCKS_COL_USER]);
	const char *hidden = v[PG_LOCKS_COL_XACT_AGE_S];
	if (!hidden || text_parse_int64(hidden, &n) < 0 || n < 0 || n > INT_MAX)
		return bad("hidden count", hidden, err, errlen);
	out->hidden = (int)n;
	const char *deadlocks = v[PG_LOCKS_COL_QUERY_AGE_S];
	out->deadlocks_total = -1;
	if (deadlocks) {
		if (text_parse_int64(deadlocks, &n) < 0 || n < 0)
			return bad("deadlocks", deadlocks, err, errlen);
		out->deadlocks_total = n;
	}
	out->role_superuser = parse_bool(v[PG_LOCKS_COL_SUPERUSER]);
	out->role_sees_all = parse_bool(v[PG_LOCKS_COL_BLOCKED_BY]);
	return 0;
}

static int parse_session(const char *const *v, struct lock_session *x, char *err, size_t errlen)
{
	memset(x, 0, sizeof(*x));
	int64_t start = 0;
	if (parse_pid(v[PG_LOCKS_COL_PID], &x->pid, err, errlen) < 0 ||
	    parse_age(v[PG_LOCKS_COL_XACT_AGE_S], &x->xact_age_s, err, errlen) < 0 ||
	    parse_age(v[PG_LOCKS_COL_QUERY_AGE_S], &x->query_age_s, err, errlen) < 0 ||
	    parse_age(v[PG_LOCKS_COL_WAIT_AGE_S], &x->wait_age_s, err, errlen) < 0 ||
	    parse_blocked_by(v[PG_LOCKS_COL_BLOCKED_BY], x, err, errlen) < 0)
		return -1;
	if (v[PG_LOCKS_COL_BACKEND_START_US] &&
	    text_parse_int64(v[PG_LOCKS_COL_BACKEND_START_US], &start) < 0)
		return bad("backend_start", v[PG_LOCKS_COL_BACKEND_START_US], err, errlen);
	x->backend_start_us = start;
	copy_name(x->application_name, sizeof(x->application_name), v[PG_LOCKS_COL_APP]);
	copy_name(x->user, sizeof(x->user), v[PG_LOCKS_COL_USER]);
	copy_name(x->client_addr, sizeof(x->client_addr), v[PG_LOCKS_COL_CLIENT]);
	copy_name(x->state, sizeof(x->state), v[PG_LOCKS_COL_STATE]);
	copy_name(x->backend_type, sizeof(x->backend_type), v[PG_LOCKS_COL_BACKEND_TYPE]);
	copy_name(x->wait_event_type, sizeof(x->wait_event_type), v[PG_LOCKS_COL_WAIT_EVENT_TYPE]);
	copy_name(x->wait_event, sizeof(x->wait_event), v[PG_LOCKS_COL_WAIT_EVENT]);
	const char *q = v[PG_LOCKS_COL_QUERY];
	x->hidden = q && strcmp(q, HIDDEN_TEXT) == 0;
	if (!x->hidden)
		clean_text(x->query, sizeof(x->query), q);
	x->superuser = parse_bool(v[PG_LOCKS_COL_SUPERUSER]);
	return 0;
}

static int parse_running(const char *const *v, struct running_query *q, char *err, size_t errlen)
{
	memset(q, 0, sizeof(*q));
	if (parse_pid(v[PG_LOCKS_COL_PID], &q->pid, err, errlen) < 0 ||
	    parse_age(v[PG_LOCKS_COL_QUERY_AGE_S], &q->duration_s, err, errlen) < 0)
		return -1;
	copy_name(q->application_name, sizeof(q->application_name), v[PG_LOCKS_COL_APP]);
	copy_name(q->user, sizeof(q->user), v[PG_LOCKS_COL_USER]);
	copy_name(q->wait_event_type, sizeof(q->wait_event_type), v[PG_LOCKS_COL_WAIT_EVENT_TYPE]);
	copy_name(q->wait_event, sizeof(q->wait_event), v[PG_LOCKS_COL_WAIT_EVENT]);
	const char *text = v[PG_LOCKS_COL_QUERY];
	q->hidden = text && strcmp(text, HIDDEN_TEXT) == 0;
	if (!q->hidden)
		clean_text(q->query, sizeof(q->query), text);
	return 0;
}

int pg_locks_parse(const char *const *values, int rows, struct lock_status *out, char *err,
                   size_t errlen)
{
	locks_init(out);
	for (int r = 0; r < rows; r++) {
		const char *const *v = values + (size_t)r * PG_LOCKS_COL_COUNT;
		const char *kind = v[PG_LOCKS_COL_KIND] ? v[PG_LOCKS_COL_KIND] : "";
		int rc = 0;
		if (strcmp(kind, "S") == 0) {
			rc = parse_summary(v, out, err, errlen);
		} else if (strcmp(kind, "L") == 0) {
			if (out->session_count >= LOCKS_MAX_SESSIONS) {
				out->sessions_truncated = true;
				continue;
			}
			rc = parse_session(v, &out->sessions[out->session_count], err, errlen);
			if (rc == 0)
				out->session_count++;
		} else if (strcmp(kind, "R") == 0) {
			if (out->running_count >= LOCKS_MAX_RUNNING)
				continue;
			rc = parse_running(v, &out->running[out->running_count], err, errlen);
			if (rc == 0)
				out->running_count++;
		} else {
			rc = bad("row kind", kind, err, errlen);
		}
		if (rc < 0) {
			locks_init(out);
			return -1;
		}
	}
	out->probed = true;
	locks_build(out);
	return 0;
}
