/* redis_info.h - parse the reply of Redis's INFO command. Pure. */
#ifndef OPSDECK_PROBE_REDIS_INFO_H
#define OPSDECK_PROBE_REDIS_INFO_H

#include <stddef.h>

#include "model/snapshot.h"

/* Reads "key:value\r\n" lines ("# Section" headers and unknown keys are
 * skipped) into the figures of `out` (not its check). Missing fields keep
 * their zero/-1 defaults; malformed numbers are ignored. Returns the number
 * of fields recognised. */
int redis_info_parse(const char *text, size_t len, struct redis_status *out);

#endif
