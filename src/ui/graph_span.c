/* graph_span.c - the Performance graphs over a span of the history
 * (graph_span.h). */
#include "ui/graph_span.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/history_read.h"
#include "util/clock.h"
#include "util/xalloc.h"

/* At least this long between two reads of a span. */
#define GRAPH_SPAN_MIN_REREAD_MS 5000

static const struct {
	const char *name;
	int64_t span_ms;
} GRAPH_SPANS[] = {
    {NULL, 0}, /* live */
    {"15m", 15 * 60 * 1000},
    {"1h", 60 * 60 * 1000},
    {"24h", 24 * 60 * 60 * 1000},
};
#define GRAPH_SPAN_COUNT ((int)(sizeof(GRAPH_SPANS) / sizeof(GRAPH_SPANS[0])))

static void graph_span_start_read(struct graph_span *g, const char *dir, int wake_fd)
{
	g->inflight = history_read_start(dir, GRAPH_SPANS[g->index].span_ms, false, wake_fd);
	if (g->inflight == NULL) /* no thread now: the next poll tries again */
		g->next_read_ms = clock_monotonic_ms() + GRAPH_SPAN_MIN_REREAD_MS;
}

const char *graph_span_name(const struct graph_span *g)
{
	return GRAPH_SPANS[g->index].name;
}

const struct history *graph_span_graphs(const struct graph_span *g)
{
	return g->index > 0 ? g->graphs : NULL;
}

void graph_span_leave(struct graph_span *g)
{
	history_read_free(g->inflight);
	free(g->graphs);
	*g = (struct graph_span){0};
}

void graph_span_next(struct graph_span *g, const char *dir, bool history_enabled, int wake_fd,
                     char *msg, size_t msg_size)
{
	int next = (g->index + 1) % GRAPH_SPAN_COUNT;
	graph_span_leave(g);
	if (next == 0) {
		snprintf(msg, msg_size, "graphs: the live polls");
		return;
	}
	if (!history_enabled || dir == NULL || dir[0] == '\0') {
		snprintf(msg, msg_size,
		         "graphs: no history to show a span of ([history] enabled = "
		         "false)");
		return;
	}
	g->index = next;
	graph_span_start_read(g, dir, wake_fd);
	snprintf(msg, msg_size, "graphs: the last %s of the history (g: the next span)",
	         graph_span_name(g));
}

bool graph_span_poll(struct graph_span *g, const char *dir, int wake_fd)
{
	if (g->index == 0)
		return false;
	bool changed = false;
	if (g->inflight != NULL) {
		if (!history_read_done(g->inflight))
			return false;
		const struct history *graphs;
		const struct deploy_status *deploy;
		if (history_read_result(g->inflight, &graphs, &deploy) >= 0) {
			if (g->graphs == NULL)
				g->graphs = xmalloc(sizeof(*g->graphs));
			memcpy(g->graphs, graphs, sizeof(*g->graphs));
			changed = true;
		}
		int64_t every = GRAPH_SPANS[g->index].span_ms / HISTORY_LEN;
		if (every < GRAPH_SPAN_MIN_REREAD_MS)
			every = GRAPH_SPAN_MIN_REREAD_MS;
		g->next_read_ms = clock_monotonic_ms() + every;
		history_read_free(g->inflight);
		g->inflight = NULL;
	}
	if (clock_monotonic_ms() >= g->next_read_ms)
		graph_span_start_read(g, dir, wake_fd);
	return changed;
}
