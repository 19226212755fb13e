/* line_queue.c - a few log lines, oldest first (line_queue.h). */
#include "util/line_queue.h"

#include "util/text.h"

void line_queue_push(struct line_queue *q, const char *line)
{
	if (q->count == LINE_QUEUE_LINES) { /* the oldest goes */
		q->first = (q->first + 1) % LINE_QUEUE_LINES;
		q->count--;
	}
	text_copy(q->lines[(q->first + q->count) % LINE_QUEUE_LINES], line, LINE_QUEUE_SIZE);
	q->count++;
}

int line_queue_take(struct line_queue *q, char *buf, size_t size)
{
	if (q->count == 0)
		return 0;
	text_copy(buf, q->lines[q->first], size);
	q->first = (q->first + 1) % LINE_QUEUE_LINES;
	q->count--;
	return 1;
}
