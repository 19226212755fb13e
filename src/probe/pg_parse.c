/* pg_parse.c - the pg_stat_activity aggregate query and the parsing of its
 * one row (see pg_parse.h). Pure: no libpq here, so it is tested on plain
 * strings. */
#include "probe/pg_parse.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "util/sanitize.h"
#include "util/text.h"

/* One scan of pg_stat_activity, one row back: the seed fetched every row and
 * counted on the client, which costs a round trip per poll proportional to
 * the number of sessions. Counts are over client backends only (autovacuum,
 * walsender and background workers are not the app's connections), except
 * lock waiters, where an autovacuum worker stuck behind the app matters too.
 * opsdeck's own connection is counted (as active): it holds a slot of
 * max_connections like any other.
 * Ages are clamped at 0: now() is our transaction's start, so a session that
 * changed state while we ran would otherwise show a negative age. Our own
 * backend is active while this runs and is left out of the longest query. */
const char PG_ACTIVITY_SQL[] =
    "SELECT"
    " count(*) FILTER (WHERE backend_type = 'client backend'),"
    " count(*) FILTER (WHERE backend_type = 'client backend' AND state = 'active'),"
    " count(*) FILTER (WHERE backend_type = 'client backend' AND state = 'idle'),"
    " count(*) FILTER (WHERE backend_type = 'client backend'"
    "  AND state IN ('idle in transaction', 'idle in transaction (aborted)')),"
    " count(*) FILTER (WHERE backend_type = 'client backend' AND (state IS NULL"
    "  OR state NOT IN ('active', 'idle', 'idle in transaction',"
    "  'idle in transaction (aborted)'))),"
    " greatest(0, extract(epoch FROM max(now() - state_change) FILTER ("
    "  WHERE backend_type = 'client backend'"
    "  AND state IN ('idle in transaction', 'idle in transaction (aborted)'))))::float8,"
    " greatest(0, extract(epoch FROM max(now() - query_start) FILTER ("
    "  WHERE backend_type = 'client backend' AND state = 'active'"
    "  AND pid <> pg_backend_pid())))::float8,"
    " count(*) FILTER (WHERE wait_event_type = 'Lock'),"
    " current_setting('max_connections')::int,"
    " current_setting('server_version'),"
    " current_setting('server_version_num')"
    " FROM pg_stat_activity";

static const char *const column_names[PG_COL_COUNT] = {
    [PG_COL_TOTAL] = "total",
    [PG_COL_ACTIVE] = "active",
    [PG_COL_IDLE] = "idle",
    [PG_COL_IDLE_IN_TX] = "idle in transaction",
    [PG_COL_OTHER] = "other",
    [PG_COL_LONGEST_IDLE_IN_TX_S] = "longest idle in transaction",
    [PG_COL_LONGEST_QUERY_S] = "longest query",
    [PG_COL_LOCK_WAITERS] = "lock waiters",
    [PG_COL_MAX_CONNECTIONS] = "max_connections",
    [PG_COL_SERVER_VERSION] = "server_version",
    [PG_COL_SERVER_VERSION_NUM] = "server_version_num",
};

/* A count or setting: a whole number in [0, INT_MAX]; NULL means 0. */
static int parse_count(const char *const values[], enum pg_activity_column col, int *out, char *err,
                       size_t errlen)
{
	int64_t v = 0;
	if (values[col] && (text_parse_int64(values[col], &v) < 0 || v < 0 || v > INT_MAX)) {
		char shown[32];
		sanitize_text(shown, sizeof(shown), values[col]);
		snprintf(err, errlen, "bad %s value \"%s\"", column_names[col], shown);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* An age in seconds: a finite number >= 0; NULL (no such session) means 0. */
static int parse_age(const char *const values[], enum pg_activity_column col, double *out,
                     char *err, size_t errlen)
{
	double v = 0;
	if (values[col] && (text_parse_double(values[col], &v) < 0 || v < 0)) {
		char shown[32];
		sanitize_text(shown, sizeof(shown), values[col]);
		snprintf(err, errlen, "bad %s value \"%s\"", column_names[col], shown);
		return -1;
	}
	*out = v;
	return 0;
}

int pg_activity_parse(const char *const values[PG_COL_COUNT], struct pg_status *out, char *err,
                      size_t errlen)
{
	/* Parse into a copy so a malformed row leaves out untouched. */
	struct pg_status p = *out;
	const struct {
		enum pg_activity_column col;
		int *dst;
	} counts[] = {
	    {PG_COL_TOTAL, &p.connections_total},
	    {PG_COL_ACTIVE, &p.connections_active},
	    {PG_COL_IDLE, &p.connections_idle},
	    {PG_COL_IDLE_IN_TX, &p.connections_idle_in_tx},
	    {PG_COL_OTHER, &p.connections_other},
	    {PG_COL_LOCK_WAITERS, &p.lock_waiters},
	    {PG_COL_MAX_CONNECTIONS, &p.max_connections},
	    {PG_COL_SERVER_VERSION_NUM, &p.server_version_num},
	};

	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		if (parse_count(values, counts[i].col, counts[i].dst, err, errlen) < 0)
			return -1;
	if (parse_age(values, PG_COL_LONGEST_IDLE_IN_TX_S, &p.longest_idle_in_tx_s, err, errlen) <
	        0 ||
	    parse_age(values, PG_COL_LONGEST_QUERY_S, &p.longest_query_s, err, errlen) < 0)
		return -1;

	/* server_version reads "15.18 (Debian 15.18-1.pgdg120+1)" on packaged
	 * builds; the number is what people compare, the rest is packaging. */
	p.server_version[0] = '\0';
	if (values[PG_COL_SERVER_VERSION]) {
		const char *v = values[PG_COL_SERVER_VERSION];
		sanitize_bytes(p.server_version, sizeof(p.server_version), v, strcspn(v, " \t"));
	}

	*out = p;
	return 0;
}

bool pg_is_quoted_identifier(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 3 || s[0] != '"' || s[n - 1] != '"')
		return false;
	for (size_t i = 1; i < n - 1; i++) {
		if (s[i] != '"')
			continue;
		if (i + 1 >= n - 1 || s[i + 1] != '"')
			return false;
		i++;
	}
	return true;
}
