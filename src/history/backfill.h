/* backfill.h - the dashboard's sparklines from the history: a dashboard
 * opened in the middle of an incident shows the last hour at once, from
 * what `opsdeck record` kept, instead of starting empty.
 */
#ifndef OPSDECK_HISTORY_BACKFILL_H
#define OPSDECK_HISTORY_BACKFILL_H

#include <stdint.h>

#include "model/history.h"

#define HISTORY_BACKFILL_SPAN_MS (60 * 60 * 1000) /* the last hour */

/* Fills each of h's series from the history in dir over the span before
 * now_ms: at most HISTORY_LEN values each, a span with more records folded
 * into HISTORY_LEN buckets by time, each bucket its worst (highest) value,
 * so a spike never disappears. Reads only; a directory without a history
 * fills nothing. Returns how many values were filled, or -1 when the
 * history exists but cannot be read. */
int history_backfill(struct history *h, const char *dir, int64_t now_ms, int64_t span_ms);

#endif
