/* runner.c - jobs on their own threads with a lock-protected progress state
 * (see runner.h).
 *
 * The worker writes into `progress` under `lock`; readers take a copy under
 * the same lock, so they never see a half-written line. Cancellation is an
 * atomic flag the worker polls between steps. The wake-up byte is written
 * after the lock is released, so a UI thread woken by it finds the new state.
 */
#include "job/runner.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/sanitize.h"
#include "util/text.h"
#include "util/xalloc.h"

struct job {
	pthread_t thread;
	pthread_mutex_t lock;
	struct job_progress progress; /* under lock */
	bool result_set;              /* under lock: job_set_result() was called */
	atomic_int cancel;
	int (*fn)(struct job *job, void *arg);
	void *arg;
	void (*free_arg)(void *arg);
	int wake_fd;
};

/* One byte on the wake-up fd. A full pipe (EAGAIN) already holds a pending
 * wake-up, so that is not a failure; other errors cannot be reported from a
 * worker and only cost a delayed redraw. */
static void job_wake(const struct job *job)
{
	if (job->wake_fd < 0)
		return;
	for (;;) {
		ssize_t n = write(job->wake_fd, "j", 1);
		if (n == 1 || (n < 0 && errno != EINTR))
			return;
	}
}

/* vsnprintf into a scratch buffer, then sanitize into dst (one line, no
 * terminal controls). */
static void job_format_line(char *dst, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static void job_format_line(char *dst, size_t size, const char *fmt, va_list ap)
{
	char raw[1024];
	vsnprintf(raw, sizeof(raw), fmt, ap);
	sanitize_text(dst, size, raw);
}

static void *job_thread(void *opaque)
{
	struct job *job = opaque;
	int rc = job->fn(job, job->arg);
	if (job->free_arg)
		job->free_arg(job->arg);
	job->arg = NULL;

	pthread_mutex_lock(&job->lock);
	if (rc == 0)
		job->progress.state = JOB_OK;
	else if (atomic_load(&job->cancel))
		job->progress.state = JOB_CANCELLED;
	else
		job->progress.state = JOB_FAILED;
	if (!job->result_set) {
		const char *word = job->progress.state == JOB_OK          ? "ok"
		                   : job->progress.state == JOB_CANCELLED ? "cancelled"
		                                                          : "failed";
		text_copy(job->progress.result, word, sizeof(job->progress.result));
	}
	job->progress.finished_ms = clock_wall_ms();
	pthread_mutex_unlock(&job->lock);
	job_wake(job);
	return NULL;
}

struct job *job_start(const char *title, int (*fn)(struct job *job, void *arg), void *arg,
                      void (*free_arg)(void *arg), int wake_fd)
{
	struct job *job = xcalloc(1, sizeof(*job));
	if (pthread_mutex_init(&job->lock, NULL) != 0) {
		free(job);
		return NULL;
	}
	job->progress.state = JOB_RUNNING;
	sanitize_text(job->progress.title, sizeof(job->progress.title), title ? title : "job");
	job->progress.started_ms = clock_wall_ms();
	atomic_init(&job->cancel, 0);
	job->fn = fn;
	job->arg = arg;
	job->free_arg = free_arg;
	job->wake_fd = wake_fd;
	if (pthread_create(&job->thread, NULL, job_thread, job) != 0) {
		pthread_mutex_destroy(&job->lock);
		free(job);
		return NULL;
	}
	return job;
}

void job_report(struct job *job, uint64_t done, uint64_t total, const char *fmt, ...)
{
	char line[sizeof(job->progress.line)];
	va_list ap;
	va_start(ap, fmt);
	job_format_line(line, sizeof(line), fmt, ap);
	va_end(ap);

	pthread_mutex_lock(&job->lock);
	job->progress.done = done;
	job->progress.total = total;
	memcpy(job->progress.line, line, sizeof(line));
	pthread_mutex_unlock(&job->lock);
	job_wake(job);
}

void job_set_result(struct job *job, const char *fmt, ...)
{
	char line[sizeof(job->progress.result)];
	va_list ap;
	va_start(ap, fmt);
	job_format_line(line, sizeof(line), fmt, ap);
	va_end(ap);

	pthread_mutex_lock(&job->lock);
	memcpy(job->progress.result, line, sizeof(line));
	job->result_set = true;
	pthread_mutex_unlock(&job->lock);
}

bool job_cancelled(const struct job *job)
{
	return atomic_load(&((struct job *)job)->cancel);
}

const atomic_int *job_cancel_flag(const struct job *job)
{
	return &job->cancel;
}

void job_cancel(struct job *job)
{
	if (job)
		atomic_store(&job->cancel, 1);
}

void job_progress(const struct job *job, struct job_progress *out)
{
	struct job *j = (struct job *)job;
	pthread_mutex_lock(&j->lock);
	*out = j->progress;
	pthread_mutex_unlock(&j->lock);
}

void job_free(struct job *job)
{
	if (!job)
		return;
	pthread_join(job->thread, NULL);
	pthread_mutex_destroy(&job->lock);
	free(job);
}
