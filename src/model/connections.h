/* connections.h - PostgreSQL's client connections grouped by application,
 * user, client address and state, the slots that are really usable, and
 * the Prisma pool arithmetic (instances × connection_limit against the
 * slots the app can have). Plain data and pure arithmetic, no I/O.
 *
 * Filled by the database probe from one query over pg_stat_activity
 * (probe/pg_connections.h); the group names are sanitised there.
 */
#ifndef OPSDECK_MODEL_CONNECTIONS_H
#define OPSDECK_MODEL_CONNECTIONS_H

#include <stdbool.h>

#include "model/check_common.h"

#define CONN_TOP      5  /* groups kept per dimension, the largest first */
#define CONN_NAME_LEN 64 /* a group's name, sanitised and cut */

struct conn_group {
	char name[CONN_NAME_LEN];
	int count;
};

/* The largest CONN_TOP groups of one dimension; `other` counts the
 * connections of every group not kept. */
struct conn_groups {
	int count;
	struct conn_group items[CONN_TOP];
	int other;
};

enum conn_dimension {
	CONN_BY_APPLICATION,
	CONN_BY_USER,
	CONN_BY_CLIENT,
	CONN_BY_STATE,
	CONN_DIMENSIONS
};

/* The JSON/Prometheus name of a dimension: "application", "user", ... */
const char *conn_dimension_name(enum conn_dimension d);

struct pg_connections {
	struct check_common check; /* OK when the groups were read */
	int total;                 /* client backends */
	int max_connections;
	int superuser_reserved; /* superuser_reserved_connections */
	int reserved;           /* reserved_connections (PG 16+), 0 before */
	int usable;             /* max - superuser_reserved - reserved, at least 0 */
	int app_connections;    /* the app's: the URL's user, not opsdeck's own */
	struct conn_groups by[CONN_DIMENSIONS];
	/* Prisma's pool, from the URL and [app] instances. */
	int connection_limit; /* the URL's connection_limit, -1 when absent */
	int default_limit;    /* Prisma's default: physical CPUs × 2 + 1 */
	int instances;        /* [app] instances */
	bool pgbouncer;       /* the URL has pgbouncer=true */
};

/* Prisma's default connection_limit for a machine with `physical_cpus`
 * cores: cores × 2 + 1 (at least 1 core is assumed). */
int pool_default_limit(int physical_cpus);

/* max_connections less the reserved slots, never below 0. */
int conn_usable_slots(int max_connections, int superuser_reserved, int reserved);

/* What the app's pools need and can have. */
struct pool_fit {
	int limit;      /* per instance: the URL's, else Prisma's default */
	bool defaulted; /* limit is Prisma's default */
	long need;      /* instances × limit */
	int available;  /* usable - connections that are not the app's, at least 0 */
	bool fits;      /* need <= available */
};

/* The arithmetic, from a pg_connections whose check is OK. */
void pool_fit_compute(const struct pg_connections *c, struct pool_fit *out);

#endif
