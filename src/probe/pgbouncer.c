/* pgbouncer.c - SHOW POOLS and SHOW STATS into the model (see
 * pgbouncer.h). Pure. */
#include "probe/pgbouncer.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/redact.h"
#include "util/sanitize.h"

#define ADMIN_DATABASE "pgbouncer"

/* The index of column `name`, or -1. */
static int column(const struct pgbouncer_table *t, const char *name)
{
	for (int c = 0; c < t->cols; c++)
		if (t->names[c] && strcmp(t->names[c], name) == 0)
			return c;
	return -1;
}

static const char *cell(const struct pgbouncer_table *t, int row, int col)
{
	return col < 0 ? NULL : t->values[(size_t)row * (size_t)t->cols + (size_t)col];
}

/* A whole number >= 0 into *out (0 for a NULL cell). */
static int number(const char *text, const char *what, int64_t *out, char *err, size_t errlen)
{
	if (!text) {
		*out = 0;
		return 0;
	}
	char *end = NULL;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (end == text || *end || errno || v < 0) {
		snprintf(err, errlen, "pgbouncer: %s is not a count", what);
		return -1;
	}
	*out = (int64_t)v;
	return 0;
}

static int count_of(const char *text, const char *what, int *out, char *err, size_t errlen)
{
	int64_t v;
	if (number(text, what, &v, err, errlen) < 0)
		return -1;
	*out = v > INT32_MAX ? INT32_MAX : (int)v;
	return 0;
}

static void name_of(char *dst, size_t size, const char *text)
{
	sanitize_text(dst, size, text ? text : "(none)");
	redact_text(dst, size);
}

/* Inserts p into the kept pools, in order, if it is among the first
 * PGBOUNCER_POOLS. */
static void keep(struct pgbouncer_status *out, const struct pgbouncer_pool *p)
{
	int at = out->pool_count;
	while (at > 0 && pgbouncer_pool_before(p, &out->pools[at - 1]))
		at--;
	if (at >= PGBOUNCER_POOLS)
		return;
	int last = out->pool_count < PGBOUNCER_POOLS ? out->pool_count : PGBOUNCER_POOLS - 1;
	memmove(&out->pools[at + 1], &out->pools[at], (size_t)(last - at) * sizeof(out->pools[0]));
	out->pools[at] = *p;
	if (out->pool_count < PGBOUNCER_POOLS)
		out->pool_count++;
}

/* SHOW STATS' avg_wait_time (microseconds) of database `db`, or -1. */
static int64_t avg_wait(const struct pgbouncer_table *stats, const char *db)
{
	if (!stats)
		return -1;
	int c_db = column(stats, "database"), c_wait = column(stats, "avg_wait_time");
	if (c_db < 0 || c_wait < 0)
		return -1;
	char err[64];
	for (int r = 0; r < stats->rows; r++) {
		const char *name = cell(stats, r, c_db);
		char clean[PGBOUNCER_NAME_LEN];
		name_of(clean, sizeof(clean), name);
		int64_t v;
		if (strcmp(clean, db) == 0 &&
		    number(cell(stats, r, c_wait), "avg_wait_time", &v, err, sizeof(err)) == 0)
			return v;
	}
	return -1;
}

enum pool_col { C_DB, C_USER, C_CL_ACTIVE, C_CL_WAITING, C_SV_ACTIVE, C_SV_IDLE, C_MAXWAIT, C_N };

static const char *const needed[C_N] = {"database",  "user",    "cl_active", "cl_waiting",
                                        "sv_active", "sv_idle", "maxwait"};

static int parse_row(const struct pgbouncer_table *t, int r, const int *col, int c_used, int c_us,
                     int c_mode, struct pgbouncer_pool *p, char *err, size_t errlen)
{
	memset(p, 0, sizeof(*p));
	name_of(p->database, sizeof(p->database), cell(t, r, col[C_DB]));
	name_of(p->user, sizeof(p->user), cell(t, r, col[C_USER]));
	if (c_mode >= 0 && cell(t, r, c_mode))
		name_of(p->mode, sizeof(p->mode), cell(t, r, c_mode));
	int64_t wait_s, wait_us;
	if (count_of(cell(t, r, col[C_CL_ACTIVE]), "cl_active", &p->cl_active, err, errlen) < 0 ||
	    count_of(cell(t, r, col[C_CL_WAITING]), "cl_waiting", &p->cl_waiting, err, errlen) <
	        0 ||
	    count_of(cell(t, r, col[C_SV_ACTIVE]), "sv_active", &p->sv_active, err, errlen) < 0 ||
	    count_of(cell(t, r, col[C_SV_IDLE]), "sv_idle", &p->sv_idle, err, errlen) < 0 ||
	    count_of(cell(t, r, c_used), "sv_used", &p->sv_used, err, errlen) < 0 ||
	    number(cell(t, r, col[C_MAXWAIT]), "maxwait", &wait_s, err, errlen) < 0 ||
	    number(cell(t, r, c_us), "maxwait_us", &wait_us, err, errlen) < 0)
		return -1;
	if (wait_s > INT64_MAX / 1000000 - 1)
		wait_s = INT64_MAX / 1000000 - 1;
	p->maxwait_us = wait_s * 1000000 + (wait_us % 1000000);
	return 0;
}

int pgbouncer_parse(const struct pgbouncer_table *pools, const struct pgbouncer_table *stats,
                    struct pgbouncer_status *out, char *err, size_t errlen)
{
	int col[C_N];
	for (int i = 0; i < C_N; i++) {
		col[i] = column(pools, needed[i]);
		if (col[i] < 0) {
			snprintf(err, errlen, "pgbouncer: SHOW POOLS has no %s column", needed[i]);
			return -1;
		}
	}
	int c_used = column(pools, "sv_used"), c_us = column(pools, "maxwait_us");
	int c_mode = column(pools, "pool_mode");
	out->pool_total = out->pool_count = 0;
	out->cl_active = out->cl_waiting = out->sv_active = out->sv_idle = 0;
	out->maxwait_us = 0;
	for (int r = 0; r < pools->rows; r++) {
		const char *db = cell(pools, r, col[C_DB]);
		if (db && strcmp(db, ADMIN_DATABASE) == 0)
			continue;
		struct pgbouncer_pool p;
		if (parse_row(pools, r, col, c_used, c_us, c_mode, &p, err, errlen) < 0)
			return -1;
		p.avg_wait_us = avg_wait(stats, p.database);
		out->pool_total++;
		out->cl_active += p.cl_active;
		out->cl_waiting += p.cl_waiting;
		out->sv_active += p.sv_active;
		out->sv_idle += p.sv_idle;
		if (p.maxwait_us > out->maxwait_us)
			out->maxwait_us = p.maxwait_us;
		keep(out, &p);
	}
	return 0;
}
