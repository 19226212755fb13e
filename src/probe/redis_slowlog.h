/* redis_slowlog.h - read the replies of SLOWLOG GET and LATENCY LATEST into
 * a redis_load (model/redis_load.h). Pure: hiredis reply trees in, plain
 * data out; the probe (probe_redis.c) sends the commands.
 *
 * A slow-log entry's arguments can hold secrets, so only the command name
 * and its first key are kept, and only for commands whose first key is a
 * key (not a password, script, host or subcommand). */
#ifndef OPSDECK_PROBE_REDIS_SLOWLOG_H
#define OPSDECK_PROBE_REDIS_SLOWLOG_H

#include <hiredis/hiredis.h>

#include "model/redis_load.h"

/* SLOWLOG GET's array (newest first) into out->slowlog (at most
 * REDIS_LOAD_SLOWLOG_MAX) and out->slowlog_newest_id; malformed entries are
 * skipped. Returns the entries kept, or -1 when the reply is not an array. */
int redis_slowlog_parse(const redisReply *reply, struct redis_load *out);

/* LATENCY LATEST's array of [event, time, latest ms, max ms] into
 * out->latency (at most REDIS_LOAD_LATENCY_MAX). Returns the events kept,
 * or -1 when the reply is not an array. */
int redis_latency_parse(const redisReply *reply, struct redis_load *out);

/* Where the first key is in a slow-log entry's argument array (element 0
 * is the command): 0 when the command has none that may be shown. For
 * EVAL-like commands this depends on numkeys. */
size_t redis_slowlog_key_index(const redisReply *args);

#endif
