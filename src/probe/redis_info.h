/* redis_info.h - parse the reply of Redis's INFO command. Pure. */
#ifndef OPSDECK_PROBE_REDIS_INFO_H
#define OPSDECK_PROBE_REDIS_INFO_H

#include <stddef.h>

#include "model/redis_load.h"
#include "model/snapshot.h"

/* Reads "key:value\r\n" lines ("# Section" headers and unknown keys are
 * skipped) into the figures of `out` (not its check); CRLF or LF line ends,
 * text need not be NUL-terminated. Missing fields keep their zero/-1
 * defaults; malformed or negative numbers are ignored; strings are
 * sanitised. hit_rate is recomputed when either keyspace counter was read.
 * Returns the number of fields recognised. */
int redis_info_parse(const char *text, size_t len, struct redis_status *out);

/* The same text's load figures into `out` (see model/redis_load.h):
 * persistence, rejected and blocked clients, maxmemory_policy, replication
 * and up to REDIS_LOAD_REPLICAS_MAX "slaveN:" lines. Fields not present
 * keep their values (redis_load_init's defaults); aof_last_write_ok is true
 * unless INFO says otherwise. Sets info_read; returns the fields
 * recognised. */
int redis_info_parse_load(const char *text, size_t len, struct redis_load *out);

#endif
