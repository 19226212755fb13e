/* writer.c - a dashboard's recording thread (writer.h). */
#include "history/writer.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history/keeper.h"
#include "history/lock.h"
#include "history/store.h"
#include "model/redact.h"
#include "util/file.h"
#include "util/line_queue.h"
#include "util/text.h"
#include "util/xalloc.h"

struct history_writer {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t wake;
	/* under mu */
	bool stopping;
	bool detached; /* history_writer_release: the thread frees w */
	bool have_record;
	bool recording; /* mirrors the thread's holding, for the caller */
	struct history_record pending;
	struct line_queue log;

	/* the configuration, copied */
	struct config_history cfg;

	/* the thread's own */
	int lock_fd;                  /* -1 while another writer holds the directory */
	struct history_store *store;  /* open while lock_fd is held */
	struct history_keeper keeper; /* writes into store */
	char said[512];               /* the last problem said, so it is said once */
	pid_t reader_of;              /* the recorder this dashboard was said to read */
	struct history_record work;
};

static void writer_log_line(void *ctx, const char *line)
{
	struct history_writer *w = ctx;
	static const char prefix[] = "history: ";
	char clean[LINE_QUEUE_SIZE];
	memcpy(clean, prefix, sizeof(prefix));
	text_copy(clean + sizeof(prefix) - 1, line, sizeof(clean) - sizeof(prefix) + 1);
	redact_text(clean, sizeof(clean));
	pthread_mutex_lock(&w->mu);
	line_queue_push(&w->log, clean);
	pthread_mutex_unlock(&w->mu);
}

static void writer_log(struct history_writer *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void writer_log(struct history_writer *w, const char *fmt, ...)
{
	char line[LINE_QUEUE_SIZE];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	writer_log_line(w, line);
}

/* A problem taking the directory, said when it differs from the last. */
static void writer_problem(struct history_writer *w, const char *problem)
{
	if (strcmp(w->said, problem) == 0)
		return;
	text_copy(w->said, problem, sizeof(w->said));
	writer_log(w, "not recorded by this dashboard: %s", problem);
}

static void writer_set_recording(struct history_writer *w, bool recording)
{
	pthread_mutex_lock(&w->mu);
	w->recording = recording;
	pthread_mutex_unlock(&w->mu);
}

/* Lets go of the directory: the store closed, the lock given up. */
static void writer_let_go(struct history_writer *w)
{
	history_store_close(w->store);
	w->store = NULL;
	history_lock_release(w->lock_fd);
	w->lock_fd = -1;
	writer_set_recording(w, false);
}

/* Takes the directory when it is free and no recorder waits for it;
 * returns whether this writer holds it now. */
static bool writer_take(struct history_writer *w)
{
	const char *dir = w->cfg.dir;
	char err[1024], warning[1024];
	if (w->lock_fd >= 0)
		return true;
	if (history_lock_wanted(dir))
		return false;
	if (file_make_dir(dir, true, err, sizeof(err)) < 0) {
		writer_problem(w, err);
		return false;
	}
	struct history_lock_holder holder;
	int rc = history_lock_acquire(dir, HISTORY_RECORD_LOCK, HISTORY_ROLE_DASHBOARD, &w->lock_fd,
	                              &holder, err, sizeof(err));
	if (rc < 0)
		writer_problem(w, err);
	if (rc > 0 && holder.pid != w->reader_of && strcmp(holder.role, HISTORY_ROLE_RECORDER) == 0)
		writer_log(w, "opsdeck record (pid %ld) records it; this dashboard reads",
		           (long)holder.pid);
	if (rc > 0)
		w->reader_of = holder.pid;
	if (rc != 0)
		return false;
	if (history_store_open(&w->store, dir, HISTORY_OPEN_WRITE, warning, sizeof(warning), err,
	                       sizeof(err)) < 0) {
		history_lock_release(w->lock_fd);
		w->lock_fd = -1;
		writer_problem(w, err);
		return false;
	}
	w->said[0] = '\0';
	history_keeper_init(&w->keeper, w->store, &w->cfg, writer_log_line, w);
	if (warning[0])
		writer_log(w, "%s", warning);
	writer_log(w, "this dashboard records it (no opsdeck record runs)");
	writer_set_recording(w, true);
	return true;
}

/* Once in a step: a recorder waiting for the directory gets it. */
static void writer_yield(struct history_writer *w)
{
	if (w->lock_fd < 0 || !history_lock_wanted(w->cfg.dir))
		return;
	writer_let_go(w);
	w->reader_of = 0; /* the next record finds the recorder and says so */
}

static void *writer_main(void *arg)
{
	struct history_writer *w = arg;
	pthread_mutex_lock(&w->mu);
	while (!w->stopping) {
		if (!w->have_record) {
			struct timespec until;
			clock_gettime(CLOCK_MONOTONIC, &until);
			until.tv_nsec += HISTORY_WRITER_STEP_MS * 1000000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&w->wake, &w->mu, &until);
			if (w->stopping)
				break;
		}
		bool have = w->have_record;
		if (have)
			memcpy(&w->work, &w->pending, sizeof(w->work));
		w->have_record = false;
		pthread_mutex_unlock(&w->mu);

		writer_yield(w);
		if (have && writer_take(w))
			history_keeper_write(&w->keeper, &w->work);
		pthread_mutex_lock(&w->mu);
	}
	bool detached = w->detached;
	pthread_mutex_unlock(&w->mu);
	writer_let_go(w);
	if (detached) {
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->wake);
		free(w->cfg.dir);
		free(w);
	}
	return NULL;
}

struct history_writer *history_writer_start(const struct config_history *cfg, char *why,
                                            size_t why_size)
{
	why[0] = '\0';
	if (!cfg->enabled || cfg->dir == NULL || cfg->dir[0] == '\0')
		return NULL;
	struct history_writer *w = xcalloc(1, sizeof(*w));
	pthread_mutex_init(&w->mu, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&w->wake, &attr);
	pthread_condattr_destroy(&attr);
	w->cfg = *cfg;
	w->cfg.dir = xstrdup(cfg->dir);
	w->lock_fd = -1;
	int started = pthread_create(&w->thread, NULL, writer_main, w);
	if (started != 0) {
		snprintf(why, why_size,
		         "history: this dashboard does not record: cannot start a "
		         "thread: %s",
		         strerror(started));
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->wake);
		free(w->cfg.dir);
		free(w);
		return NULL;
	}
	return w;
}

void history_writer_submit(struct history_writer *w, const struct history_record *r)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	memcpy(&w->pending, r, sizeof(w->pending));
	w->have_record = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->mu);
}

bool history_writer_recording(struct history_writer *w)
{
	if (w == NULL)
		return false;
	pthread_mutex_lock(&w->mu);
	bool recording = w->recording;
	pthread_mutex_unlock(&w->mu);
	return recording;
}

int history_writer_take_log(struct history_writer *w, char *buf, size_t size)
{
	if (w == NULL)
		return 0;
	pthread_mutex_lock(&w->mu);
	int got = line_queue_take(&w->log, buf, size);
	pthread_mutex_unlock(&w->mu);
	return got;
}

void history_writer_stop(struct history_writer *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->wake);
	free(w->cfg.dir);
	free(w);
}

void history_writer_release(struct history_writer *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = true;
	w->detached = true;
	pthread_detach(w->thread);
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->mu);
}
