/* graph_span.h - the Performance graphs over a span of the history: `g`
 * steps from the live polls to the last 15 minutes, hour and day the
 * history holds (requests per minute, error rate, p95), and back.
 *
 * A span is read from the history (history/backfill.h: folded into the
 * graph's width, each point the worst of its part) on a job thread, so a
 * day of records never holds up the screen; it is read again as new
 * records fill its next point (span / HISTORY_LEN, at least every 5 s).
 * The job's end wakes the dashboard (wake_fd), which takes the result with
 * graph_span_poll. For the UI thread only.
 */
#ifndef OPSDECK_UI_GRAPH_SPAN_H
#define OPSDECK_UI_GRAPH_SPAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/history.h"

struct history_read;

struct graph_span {
	int index;                     /* 0: the live polls; else GRAPH_SPANS[index] */
	struct history *graphs;        /* the span as last read; NULL before */
	int64_t next_read_ms;          /* monotonic: when to read it again */
	struct history_read *inflight; /* a read on its job, or NULL */
};

/* The span shown ("15m", "1h", "24h"), or NULL for the live polls. */
const char *graph_span_name(const struct graph_span *g);

/* The graphs to draw for the span, or NULL for the live polls and while
 * the first read of a span is under way. */
const struct history *graph_span_graphs(const struct graph_span *g);

/* The next span (after 24h: live), read from the history in dir. Puts the
 * message to show in msg: "graphs: the last 1h of the history ...",
 * "graphs: the live polls", or why no span can be shown. */
void graph_span_next(struct graph_span *g, const char *dir, bool history_enabled, int wake_fd,
                     char *msg, size_t msg_size);

/* Takes a finished read and starts the next when it is due. Returns true
 * when the graphs changed. */
bool graph_span_poll(struct graph_span *g, const char *dir, int wake_fd);

/* Back to the live polls: a read under way is waited for, and everything
 * freed. At an environment switch and the exit. */
void graph_span_leave(struct graph_span *g);

#endif
