/* runner.h - a job: work that runs off the UI thread (a backup, a recovery
 * action), reports progress through a lock-protected state, can be
 * cancelled, and always ends in a recorded result.
 *
 * The worker function runs on its own thread. It calls job_report() as it
 * goes and checks job_cancelled() between steps; its return value (0 ok) and
 * the text it gave job_set_result() become the outcome. Each report and the
 * end write one byte to wake_fd (if >= 0), so the dashboard redraws without
 * polling. The UI reads a consistent copy with job_progress().
 */
#ifndef OPSDECK_JOB_RUNNER_H
#define OPSDECK_JOB_RUNNER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

enum job_state {
	JOB_RUNNING,
	JOB_OK,
	JOB_FAILED,
	JOB_CANCELLED,
};

struct job_progress {
	enum job_state state;
	char title[64];      /* "backup db", "clear-cache" */
	char line[256];      /* the latest progress or output line, sanitised */
	uint64_t done;       /* units done (bytes, keys...) */
	uint64_t total;      /* 0 when unknown */
	int64_t started_ms;  /* wall clock */
	int64_t finished_ms; /* 0 while running */
	char result[256];    /* the outcome, once finished */
};

struct job;

/* Runs fn(job, arg) on a new thread. free_arg (may be NULL) is called on arg
 * once fn has returned. Returns NULL if the thread cannot start. */
struct job *job_start(const char *title, int (*fn)(struct job *job, void *arg), void *arg,
                      void (*free_arg)(void *arg), int wake_fd);

/* From the worker: progress so far and one line of text (sanitised). */
void job_report(struct job *job, uint64_t done, uint64_t total, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* From the worker: the outcome line (sanitised). */
void job_set_result(struct job *job, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* From the worker: whether cancellation was asked for. */
bool job_cancelled(const struct job *job);
/* The flag job_cancel() sets, for code that waits on something of its own
 * (a child process, a transfer) and takes an atomic_int to stop early. */
const atomic_int *job_cancel_flag(const struct job *job);

/* From any thread. */
void job_cancel(struct job *job);
void job_progress(const struct job *job, struct job_progress *out);
/* Waits for the worker to end and frees the job. NULL is a no-op. */
void job_free(struct job *job);

#endif
