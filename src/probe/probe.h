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
/* Connects once and fills the activity figures, and, when not NULL, the
 * request-log metrics and the slow queries, all on that one connection.
 * `window` (NULL for one-shot verbs) is state kept by a caller that polls:
 * with it the request-log metrics come from request_window.h, reading only
 * the minutes since the previous call; without it, from one query over the
 * whole window (request_log_sql). `slow_baseline` likewise (NULL for
 * one-shot verbs): with it the slow queries are those of the calls since the
 * previous call (slow_queries.h). `locks` (may be NULL): the blocking
 * chains and running queries (probe/pg_locks.h), one query. `connections`
 * (may be NULL): the connection groups and Prisma's pool
 * (probe/pg_connections.h), one query. */
struct request_window;
struct slow_queries_baseline;
void probe_pg(const struct config *cfg, struct pg_status *out, struct request_metrics *requests,
              struct slow_query_status *slow_queries, struct request_window *window,
              struct slow_queries_baseline *slow_baseline, struct lock_status *locks,
              struct pg_connections *connections);
/* `load` (may be NULL): the slow log, latency events, persistence and
 * replication figures (model/redis_load.h); a command the user may not run
 * is reported there, never as a failed check. */
void probe_redis(const struct config *cfg, struct redis_status *out, struct redis_load *load);
/* Replication and upkeep (pg_upkeep.h) on a connection of its own. */
void probe_pg_upkeep(const struct config *cfg, struct pg_upkeep_status *out);
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
