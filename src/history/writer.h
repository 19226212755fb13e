/* writer.h - a dashboard's recording: while no `opsdeck record` holds the
 * history directory, the dashboard writes the history itself, one record
 * per round of its probes, so the next look back finds what it saw.
 *
 * The writing (SQLite, pruning, recovering a damaged file) is on a thread
 * of its own, so it never holds up the screen. The thread takes
 * DIR/record.lock as "dashboard" when it is free; a recorder that starts
 * claims it (history_lock_claim) and the thread lets go within
 * HISTORY_WRITER_STEP_MS, then takes it again once no recorder holds it.
 * Other dashboards find it held and only read. What the thread has to say
 * (taking or giving up the directory, a write that fails: once) waits for
 * history_writer_take_log.
 *
 * All functions are for one thread (the UI's); NULL is a no-op for each.
 */
#ifndef OPSDECK_HISTORY_WRITER_H
#define OPSDECK_HISTORY_WRITER_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "history/record.h"

/* How often the thread looks whether a recorder wants the directory. */
#define HISTORY_WRITER_STEP_MS 250

struct history_writer;

/* Starts the writer for cfg's [history] (copied). Returns NULL when the
 * history is off or has no directory, or when no thread can start (why
 * then says so, else it is ""). */
struct history_writer *history_writer_start(const struct config_history *cfg, char *why,
                                            size_t why_size);

/* Hands one record to the thread (copied). A record not yet written when
 * the next arrives is replaced by it. Written only while this writer holds
 * the directory; otherwise dropped. */
void history_writer_submit(struct history_writer *w, const struct history_record *r);

/* Whether this writer holds the directory now. */
bool history_writer_recording(struct history_writer *w);

/* The oldest line the thread has to say, into buf; returns 1, or 0 when
 * there is none. */
int history_writer_take_log(struct history_writer *w, char *buf, size_t size);

/* Ends the thread after a write in flight: the store is closed and the
 * lock given up. stop waits for it; release returns at once and the thread
 * frees itself. */
void history_writer_stop(struct history_writer *w);
void history_writer_release(struct history_writer *w);

#endif
