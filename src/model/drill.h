/* drill.h - the last backup drill, as the state file keeps it
 * (job/drill_state.h) and the snapshot shows it. Plain data; strings
 * sanitised. */
#ifndef OPSDECK_MODEL_DRILL_H
#define OPSDECK_MODEL_DRILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/check_common.h"

/* tables_compared when the counts were not compared (a custom dump, a
 * manifest from before they were recorded) */
#define DRILL_TABLES_NOT_COMPARED (-1)

struct drill_result {
	int64_t at_ms;              /* wall clock when it ended; 0: no drill recorded */
	bool ok;                    /* everything matched */
	char key[256];              /* the backup drilled */
	char why[SNAPSHOT_TEXT];    /* failed: the first thing that did not match */
	int64_t rto_ms;             /* from start to a restored, checked database */
	uint64_t size_bytes;        /* the dump restored, uncompressed */
	int tables_compared;        /* or DRILL_TABLES_NOT_COMPARED */
	char newest_migration[128]; /* _prisma_migrations' newest, "" when none */
	int64_t last_success_ms;    /* the last drill that passed; 0: never */
};

/* The snapshot's part: state OK once the state file was read (or is not
 * there yet: at_ms 0), NOT_CONFIGURED without a backup target, UNHEALTHY
 * with the reason when the file cannot be read. */
struct drill_status {
	struct check_common check;
	struct drill_result last;
	int64_t max_age_ms; /* [backup] drill_max_age, for the outputs */
};

/* The result in a few words for a row: "ok 2h ago, RTO 4.2s", "FAILED 5m
 * ago: WHY", or "no drill yet". */
void drill_result_summary(const struct drill_result *r, int64_t now_ms, char *dst, size_t size);

#endif
