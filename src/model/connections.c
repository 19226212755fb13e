/* connections.c - the pure arithmetic of connections.h. */
#include "model/connections.h"

static const char *const dimension_names[CONN_DIMENSIONS] = {
    [CONN_BY_APPLICATION] = "application",
    [CONN_BY_USER] = "user",
    [CONN_BY_CLIENT] = "client",
    [CONN_BY_STATE] = "state",
};

const char *conn_dimension_name(enum conn_dimension d)
{
	return d >= 0 && d < CONN_DIMENSIONS ? dimension_names[d] : "?";
}

int pool_default_limit(int physical_cpus)
{
	return (physical_cpus > 0 ? physical_cpus : 1) * 2 + 1;
}

int conn_usable_slots(int max_connections, int superuser_reserved, int reserved)
{
	int usable = max_connections - superuser_reserved - reserved;
	return usable > 0 ? usable : 0;
}

void pool_fit_compute(const struct pg_connections *c, struct pool_fit *out)
{
	out->defaulted = c->connection_limit < 0;
	out->limit = out->defaulted ? c->default_limit : c->connection_limit;
	out->need = (long)(c->instances > 0 ? c->instances : 1) * out->limit;
	int others = c->total - c->app_connections;
	int available = c->usable - (others > 0 ? others : 0);
	out->available = available > 0 ? available : 0;
	out->fits = out->need <= out->available;
}
