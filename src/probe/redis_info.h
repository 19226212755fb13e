/* redis_info.h - parse the reply of Redis's INFO command. Pure. */
#ifndef OPSDECK_PROBE_REDIS_INFO_H
#define OPSDECK_PROBE_REDIS_INFO_H

#include <stddef.h>

#include "model/snapshot.h"

/* Reads "key:value\r\n" lines ("# Section" headers and unknown keys are
 * skipped) into the figures of `out` (not its check); CRLF or LF line ends,
 * text need not be NUL-terminated. Missing fields keep their zero/-1
 * defaults; malformed or negative numbers are ignored; strings are
 * sanitised. hit_rate is recomputed when either keyspace counter was read.
 * Returns the number of fields recognised. */
int redis_info_parse(const char *text, size_t len, struct redis_status *out);

#endif
