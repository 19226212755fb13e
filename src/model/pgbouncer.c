/* pgbouncer.c - names and order of PgBouncer's pools (see pgbouncer.h). */
#include "model/pgbouncer.h"

#include <stdio.h>
#include <string.h>

void pgbouncer_reset(struct pgbouncer_status *s)
{
	memset(s, 0, sizeof(*s));
	s->check.state = CHECK_PENDING;
	s->check.latency_ms = -1;
}

void pgbouncer_pool_name(const struct pgbouncer_pool *p, char *dst, size_t size)
{
	snprintf(dst, size, "%s/%s", p->database, p->user);
}

bool pgbouncer_pool_before(const struct pgbouncer_pool *a, const struct pgbouncer_pool *b)
{
	if (a->cl_waiting != b->cl_waiting)
		return a->cl_waiting > b->cl_waiting;
	if (a->maxwait_us != b->maxwait_us)
		return a->maxwait_us > b->maxwait_us;
	if (a->cl_active != b->cl_active)
		return a->cl_active > b->cl_active;
	int d = strcmp(a->database, b->database);
	return d ? d < 0 : strcmp(a->user, b->user) < 0;
}
