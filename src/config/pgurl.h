/* pgurl.h - PostgreSQL connection URLs, as Prisma writes them, for libpq.
 *
 * libpq refuses Prisma's own query parameters with "invalid URI query
 * parameter". pgurl_parse() takes the URL apart and builds keyword/value
 * arrays for PQconnectdbParams()/PQconnectStartParams(): Prisma-only
 * parameters (schema, connection_limit, pool_timeout, socket_timeout,
 * pgbouncer, statement_cache_size, sslaccept, sslidentity) are dropped,
 * `schema` becomes the session's search_path, Prisma's `sslcert` (a CA file)
 * becomes libpq's `sslrootcert`, and everything else libpq knows is passed on.
 */
#ifndef OPSDECK_CONFIG_PGURL_H
#define OPSDECK_CONFIG_PGURL_H

#include <stddef.h>

#define PGURL_MAX_PARAMS 32

struct pgurl {
	/* NULL-terminated arrays for PQconnectStartParams(..., expand_dbname = 0).
	 * Values are percent-decoded. Owned by the struct. */
	const char *keywords[PGURL_MAX_PARAMS + 1];
	const char *values[PGURL_MAX_PARAMS + 1];
	size_t count;
	char *host; /* "" when not given (libpq's default socket) */
	char *port; /* "" when not given */
	char *user;
	char *password; /* "" when none; a secret: never print it */
	char *dbname;
	char *schema;   /* Prisma's schema, "" when not given */
	char *redacted; /* the URL with the password replaced by "***" */
	/* Prisma's pool, read from the dropped parameters. */
	int connection_limit; /* -1 when absent or not a whole number > 0 */
	int pgbouncer;        /* 1 with pgbouncer=true, else 0 */
};

/* Parses a postgres:// or postgresql:// URL. Returns 0, or -1 with a reason
 * in err that never contains the password (out is then freed-and-empty).
 * Adds connect_timeout (whole seconds rounded up, at least 2 because libpq
 * treats 1 as 2; none when timeout_ms <= 0) unless the URL sets one, and
 * application_name "opsdeck" unless set. A relative Prisma sslcert is taken
 * relative to ./prisma, as Prisma does. */
int pgurl_parse(const char *url, long timeout_ms, struct pgurl *out, char *err, size_t errlen);

/* Adds or replaces one keyword (e.g. "options"). pgurl_parse() leaves room
 * for at least 4 more keywords; adding past PGURL_MAX_PARAMS aborts. */
void pgurl_set(struct pgurl *u, const char *keyword, const char *value);

void pgurl_free(struct pgurl *u);

#endif
