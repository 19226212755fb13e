/* check_common.h - what every check's part of the snapshot starts with: its
 * state, latency, target and error (see snapshot.h). Plain data. */
#ifndef OPSDECK_MODEL_CHECK_COMMON_H
#define OPSDECK_MODEL_CHECK_COMMON_H

#include <stdint.h>

#define SNAPSHOT_TEXT 256

/* The state of one check. Order matters: worse states compare greater. */
enum check_state {
	CHECK_NOT_CONFIGURED = 0, /* nothing to check: not a failure */
	CHECK_PENDING,            /* not probed yet */
	CHECK_OK,
	CHECK_UNHEALTHY,
};

const char *check_state_name(enum check_state state); /* "ok", "unhealthy", ... */

/* What every check has in common. */
struct check_common {
	enum check_state state;
	double latency_ms;          /* the probe's round trip, -1 when unknown */
	int64_t checked_at_ms;      /* wall clock when the probe finished, 0 if never */
	char target[SNAPSHOT_TEXT]; /* what was probed, redacted (URL, path) */
	char error[SNAPSHOT_TEXT];  /* why unhealthy / not configured, or "" */
};

#endif
