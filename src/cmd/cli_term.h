/* cli_term.h - what the verbs that run long work print on a terminal:
 * sanitised lines, a progress line, a typed confirmation.
 *
 * Text from outside (keys, server messages, paths) is sanitised before it
 * reaches the terminal. On a tty the progress line is redrawn in place
 * (at most every CLI_PROGRESS_TTY_MS); elsewhere (a log, cron) it is one
 * line every CLI_PROGRESS_LOG_MS.
 */
#ifndef OPSDECK_CMD_CLI_TERM_H
#define OPSDECK_CMD_CLI_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CLI_PROGRESS_TTY_MS 200
#define CLI_PROGRESS_LOG_MS 5000

/* prefix (ours), then text sanitised, then a newline. */
void cli_print_clean(FILE *f, const char *prefix, const char *text);

/* Flushes stdout (the question), reads one line from stdin, trims it.
 * false at end of input. */
bool cli_read_answer(char *answer, size_t size);

/* The progress of one verb's work on stderr. */
struct cli_progress {
	const char *what; /* "restore", "restore files": after "opsdeck: " */
	bool tty;         /* stderr is a terminal */
	int64_t t0_ms;    /* monotonic: when the work began */
	int64_t last_ms;  /* the last line drawn */
	bool drew;        /* a line is on the screen, to be cleared */
};

/* Starts p for what (borrowed) now. */
void cli_progress_init(struct cli_progress *p, const char *what);

/* Whether a progress line is due now (and, if so, takes the slot). */
bool cli_progress_due(struct cli_progress *p);

/* "opsdeck: WHAT: " and the formatted text: redrawn in place on a tty, a
 * line of its own elsewhere. */
void cli_progress_show(struct cli_progress *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A log line of the work, sanitised, over the progress line. */
void cli_progress_log(struct cli_progress *p, const char *line);

/* Clears the progress line from a tty before the result is printed. */
void cli_progress_end(struct cli_progress *p);

#endif
