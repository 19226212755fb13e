/* history_read.h - reading the history off the screen's thread: the
 * graphs over a span (history/backfill.h) and, when asked, the last
 * deploy (history_last_deploy), on a job of their own, so a large history
 * or a slow disk never holds up a frame. The job's end writes to wake_fd;
 * the UI then takes the result. For the UI thread only.
 */
#ifndef OPSDECK_UI_HISTORY_READ_H
#define OPSDECK_UI_HISTORY_READ_H

#include <stdbool.h>
#include <stdint.h>

#include "model/deploy.h"
#include "model/history.h"

struct history_read;

/* Starts reading the span_ms before now from the history in dir (and the
 * last deploy with `deploy`). NULL when no thread can start. */
struct history_read *history_read_start(const char *dir, int64_t span_ms, bool deploy, int wake_fd);

/* Whether the read has ended. */
bool history_read_done(const struct history_read *r);

/* The result of an ended read: the graphs, the deploy (zeroed when not
 * asked for or none); returns how many values were read, -1 when the
 * history could not be read. Borrowed until history_read_free. */
int history_read_result(const struct history_read *r, const struct history **graphs,
                        const struct deploy_status **deploy);

/* Waits for the read to end and frees it. NULL is a no-op. */
void history_read_free(struct history_read *r);

#endif
