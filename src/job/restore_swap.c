/* restore_swap.c - the restored database takes the live one's name (see
 * restore_swap.h). */
#include "job/restore_swap.h"

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/pg_session.h"
#include "util/clock.h"
#include "util/text.h"

/* How long the live database's sessions get to go after being ended. */
#define SWAP_DRAIN_MS 10000

static int run(struct pg_session *s, const char *sql, char *err, size_t errlen)
{
	PGresult *rows = NULL;
	int rc = pg_session_query(s, sql, 0, NULL, &rows, NULL, err, errlen);
	PQclear(rows);
	return rc;
}

static int allow_connections(struct pg_session *s, const char *db, bool allow, char *err,
                             size_t errlen)
{
	char sql[160];
	text_printf(sql, sizeof(sql), "ALTER DATABASE \"%s\" WITH ALLOW_CONNECTIONS %s", db,
	            allow ? "true" : "false");
	return run(s, sql, err, errlen);
}

static int rename_database(struct pg_session *s, const char *from, const char *to, char *err,
                           size_t errlen)
{
	char sql[200];
	text_printf(sql, sizeof(sql), "ALTER DATABASE \"%s\" RENAME TO \"%s\"", from, to);
	return run(s, sql, err, errlen);
}

/* Ends every other session on db and waits until they are gone. */
static int end_sessions(struct pg_session *s, const char *db, int *ended, char *err, size_t errlen)
{
	const char *params[1] = {db};
	int64_t deadline = clock_monotonic_ms() + SWAP_DRAIN_MS;
	for (int round = 0;; round++) {
		PGresult *rows = NULL;
		if (pg_session_query(
		        s,
		        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM "
		        "pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
		        1, params, &rows, NULL, err, errlen) != 0)
			return -1;
		int n = rows && PQntuples(rows) == 1 ? atoi(PQgetvalue(rows, 0, 0)) : 0;
		PQclear(rows);
		if (round == 0)
			*ended = n;
		if (n == 0)
			return 0;
		if (clock_monotonic_ms() >= deadline) {
			text_printf(err, errlen, "%d sessions on %s did not end within %d s", n, db,
			            SWAP_DRAIN_MS / 1000);
			return -1;
		}
		usleep(100000);
	}
}

int restore_swap(const struct pgurl *admin, int64_t timeout_ms, const char *live,
                 const char *restored, const char *before, int *ended, char *err, size_t errlen)
{
	struct pg_session s;
	char undo[256];
	int rc = -1;
	*ended = 0;
	pg_session_init(&s, admin->password ? admin->password : "", timeout_ms + SWAP_DRAIN_MS);
	if (pg_session_connect(&s, admin, err, errlen) != 0)
		goto done;
	if (allow_connections(&s, live, false, err, errlen) != 0)
		goto done;
	if (end_sessions(&s, live, ended, err, errlen) != 0 ||
	    rename_database(&s, live, before, err, errlen) != 0)
		goto reopen;
	if (rename_database(&s, restored, live, err, errlen) != 0) {
		if (rename_database(&s, before, live, undo, sizeof(undo)) != 0) {
			size_t n = strlen(err);
			text_printf(
			    err + n, errlen - n,
			    "; and renaming %s back to %s failed (%s): the live database is %s",
			    before, live, undo, before);
			(void)allow_connections(&s, before, true, undo, sizeof(undo));
			goto done;
		}
		goto reopen;
	}
	if (allow_connections(&s, before, true, err, errlen) != 0) {
		size_t n = strlen(err);
		text_printf(err + n, errlen - n,
		            " (the swap is done; %s does not take connections: ALTER DATABASE %s "
		            "WITH ALLOW_CONNECTIONS true)",
		            before, before);
	}
	rc = 0;
	goto done;
reopen:
	(void)allow_connections(&s, live, true, undo, sizeof(undo));
done:
	pg_session_close(&s);
	return rc;
}
