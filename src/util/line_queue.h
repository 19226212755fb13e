/* line_queue.h - a few log lines a background thread keeps for the UI
 * thread to take: first in, first out, and when full the oldest goes.
 * Plain data, no lock: the owner guards it with its own mutex.
 */
#ifndef OPSDECK_UTIL_LINE_QUEUE_H
#define OPSDECK_UTIL_LINE_QUEUE_H

#include <stddef.h>

#define LINE_QUEUE_LINES 16
#define LINE_QUEUE_SIZE  512 /* bytes per line, NUL included */

struct line_queue {
	char lines[LINE_QUEUE_LINES][LINE_QUEUE_SIZE];
	int first, count;
};

/* Adds line (cut to LINE_QUEUE_SIZE - 1 bytes), dropping the oldest when
 * the queue is full. A zeroed queue is empty. */
void line_queue_push(struct line_queue *q, const char *line);

/* Moves the oldest line into buf; returns 1, or 0 when there is none. */
int line_queue_take(struct line_queue *q, char *buf, size_t size);

#endif
