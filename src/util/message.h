/* message.h - where notes from library code go: one process-wide sink, so
 * that nothing below cmd/ and ui/ writes to stdout or stderr itself.
 *
 * By default a note is a line "opsdeck: TEXT" on stderr (the command line).
 * While the dashboard owns the terminal, anything on stderr would land on
 * the curses screen: it calls message_queue_start after it takes the
 * screen, and notes are then kept (the newest MESSAGE_QUEUE_MAX, each cut to
 * MESSAGE_LINE_MAX bytes) until it takes them for the Activity panel with
 * message_queue_take; message_queue_stop, once the screen is left, writes
 * what was not taken to stderr and goes back to the default. A job's own
 * messages go into its result (job/runner.h), not here: this is for what
 * has no caller to return it to (a library failing before an exit). All
 * functions are thread-safe; text is written as given (callers sanitise
 * backend text).
 */
#ifndef OPSDECK_UTIL_MESSAGE_H
#define OPSDECK_UTIL_MESSAGE_H

#include <stddef.h>

#define MESSAGE_QUEUE_MAX 32
#define MESSAGE_LINE_MAX  256

/* One note: to stderr, or to the queue while one is started. */
void message_emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* From now on notes are queued; a byte is written to wake_fd (if >= 0) at
 * each, so a poll loop wakes up. */
void message_queue_start(int wake_fd);

/* Moves up to max queued notes, oldest first, into lines; returns how
 * many. *dropped (may be NULL) gets how many were lost to the queue's
 * bound since the last call. */
size_t message_queue_take(char (*lines)[MESSAGE_LINE_MAX], size_t max, size_t *dropped);

/* Back to stderr; notes still queued are written there first. */
void message_queue_stop(void);

#endif
