/* probe.h - the probes: all of opsdeck's network and disk I/O for a Snapshot.
 *
 * Each probe fills its own part of a Snapshot and never blocks longer than
 * the configured timeout (plus scheduling noise). A probe whose backend is not
 * configured sets CHECK_NOT_CONFIGURED with the reason in check.error and
 * does no I/O. Probes are thread-safe with respect to each other: each owns
 * its connection for the duration of the call. Parsing of what they receive
 * lives in separate pure files (pg_parse, redis_info, version_json).
 *
 * curl_global_init() must have been called (probe_global_init) before any
 * probe runs on any thread.
 */
#ifndef OPSDECK_PROBE_PROBE_H
#define OPSDECK_PROBE_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "model/snapshot.h"

/* Process-wide set-up for the libraries the probes use (curl). Call once,
 * before any thread starts. Returns 0 or -1. */
int probe_global_init(void);
void probe_global_cleanup(void);

/* Each resets its part of the Snapshot, then fills it. latency_ms is:
 * pg - the SELECT 1 round trip on the open connection (connecting is
 *      bounded by the same deadline but not counted);
 * redis - the PING round trip after AUTH/SELECT;
 * health - the whole GET, connect included;
 * version - the GET of version_url, or the read of version_file;
 * storage - all statvfs calls together. */
/* What the database probe fills besides the activity figures, on its one
 * connection; each may be NULL (not wanted). */
struct request_window;
struct slow_queries_baseline;
struct pg_probe_parts {
	/* the request-log metrics and the breakdown by path */
	struct request_metrics *requests;
	/* state kept by a caller that polls (NULL for one-shot verbs): with it
	 * the request-log metrics come from request_window.h, reading only the
	 * minutes since the previous call; without it, from one query over the
	 * whole window (request_log_sql) */
	struct request_window *window;
	struct slow_query_status *slow_queries;
	/* likewise (NULL for one-shot verbs): with it the slow queries are those
	 * of the calls since the previous call (slow_queries.h) */
	struct slow_queries_baseline *slow_baseline;
	/* the blocking chains and running queries (probe/pg_locks.h) */
	struct lock_status *locks;
	/* the connection groups and Prisma's pool (probe/pg_connections.h) */
	struct pg_connections *connections;
	/* replication and upkeep (probe/pg_upkeep.h) */
	struct pg_upkeep_status *upkeep;
};

/* Connects once and fills the activity figures and every part asked for,
 * one query each, all on that one connection: a poll costs the server one
 * backend, warm catalog caches, and no more connections while it is short
 * of them. A part not read (no connection) says why. parts may be NULL. */
void probe_pg(const struct config *cfg, struct pg_status *out, const struct pg_probe_parts *parts);
/* `load` (may be NULL): the slow log, latency events, persistence and
 * replication figures (model/redis_load.h); a command the user may not run
 * is reported there, never as a failed check. */
void probe_redis(const struct config *cfg, struct redis_status *out, struct redis_load *load);
/* PgBouncer's pools (model/pgbouncer.h) through [database]
 * pgbouncer_admin_url, on a connection of its own; not configured without
 * it. */
void probe_pgbouncer(const struct config *cfg, struct pgbouncer_status *out);
void probe_health(const struct config *cfg, struct http_status *out);
void probe_version(const struct config *cfg, struct version_status *out);
void probe_storage(const struct config *cfg, struct storage_status *out);

/* Helpers the probe files share (in probe_common.c); not for other modules. */

/* Resets a check before a probe fills it: pending, latency unknown, no
 * target, no error. */
void probe_check_begin(struct check_common *c);

struct pgurl;
struct pg_session;

/* Replication and upkeep (pg_upkeep.h) on the database probe's open
 * session: one query; a failure is out's error, never the database's. */
void pg_upkeep_read(struct pg_session *s, struct pg_upkeep_status *out);

/* Opens [database] url for a probe within app.timeout: sets c's target
 * (redacted), parses the URL into *u (pgurl_free it when *parsed) and
 * connects s. Returns 0, or -1 with c set: not configured (no url, with
 * the reason) or unhealthy. The caller pg_session_close()s s either way. */
int probe_pg_open(const struct config *cfg, struct check_common *c, struct pgurl *u, bool *parsed,
                  struct pg_session *s);

/* The same for another URL (url NULL or "": not configured, `unset` the
 * reason shown). */
int probe_pg_open_url(const struct config *cfg, const char *url, const char *unset,
                      struct check_common *c, struct pgurl *u, bool *parsed, struct pg_session *s);

#endif
