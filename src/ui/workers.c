/* workers.c - the dashboard's probe threads (workers.h). */
#include "ui/workers.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check/check.h"
#include "probe/request_window.h"
#include "probe/slow_queries.h"
#include "util/clock.h"
#include "util/xalloc.h"

struct worker {
	struct workers *owner;
	const struct check_class *row; /* NULL: no worker for this row */
	pthread_t thread;
	bool started;
	bool running;           /* the thread has not returned yet */
	bool refresh;           /* probe now, whatever the schedule */
	int64_t started_at_ms;  /* monotonic start of the probe in flight, 0 when idle */
	int64_t finished_at_ms; /* monotonic end of the last probe, 0 before the first */
	int64_t duration_ms;    /* of the last probe */
	bool seldom;            /* a CHECK_SELDOM row: seldom_interval_ms apart */
};

struct workers {
	const struct config *cfg;
	int wake_fd;
	pthread_mutex_t mutex;
	pthread_cond_t cond; /* CLOCK_MONOTONIC; broadcast on every change */
	bool stop;
	bool paused;
	int64_t interval_ms;
	int64_t seldom_interval_ms;
	struct snapshot snap;
	uint64_t generation[CHECK_COUNT];
	int64_t published_at_ms;
	int alive;                          /* threads not yet returned */
	struct worker workers[CHECK_COUNT]; /* by row */
};

static void worker_wake_ui(int fd)
{
	char byte = 1;
	/* Non-blocking: a full pipe already holds a wake-up. */
	while (write(fd, &byte, 1) < 0 && errno == EINTR)
		;
}

static struct timespec worker_deadline(int64_t monotonic_ms)
{
	struct timespec ts = {.tv_sec = (time_t)(monotonic_ms / 1000),
	                      .tv_nsec = (long)(monotonic_ms % 1000) * 1000000L};
	return ts;
}

/* How long a worker sleeps between probes; called with the mutex held. */
static int64_t worker_interval(const struct worker *w)
{
	const struct workers *ws = w->owner;
	if (w->seldom && ws->seldom_interval_ms > ws->interval_ms)
		return ws->seldom_interval_ms;
	return ws->interval_ms;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct workers *ws = w->owner;
	/* the members this worker fills, probed outside the lock */
	struct snapshot *part = xmalloc(sizeof(*part));
	size_t index = (size_t)(w - ws->workers);
	int64_t next_due = 0; /* probe at once */
	struct request_window window;
	request_window_init(&window);
	struct slow_queries_baseline *slow_baseline = xmalloc(sizeof(*slow_baseline));
	slow_queries_baseline_init(slow_baseline);
	const struct check_probe_context context = {
	    .window = &window, .slow_baseline = slow_baseline, .cancel = NULL};

	pthread_mutex_lock(&ws->mutex);
	while (!ws->stop) {
		int64_t now = clock_monotonic_ms();
		if (w->refresh || (!ws->paused && now >= next_due)) {
			w->refresh = false;
			w->started_at_ms = now;
			pthread_mutex_unlock(&ws->mutex);
			memset(part, 0, sizeof(*part));
			w->row->probe(ws->cfg, &context, part);
			pthread_mutex_lock(&ws->mutex);
			check_publish(w->row, &ws->snap, part);
			ws->generation[index]++;
			ws->published_at_ms = clock_wall_ms();
			w->finished_at_ms = clock_monotonic_ms();
			w->duration_ms = w->finished_at_ms - w->started_at_ms;
			w->started_at_ms = 0;
			next_due = w->finished_at_ms + worker_interval(w);
			worker_wake_ui(ws->wake_fd);
			continue;
		}
		if (ws->paused) {
			pthread_cond_wait(&ws->cond, &ws->mutex);
		} else {
			struct timespec ts = worker_deadline(next_due);
			pthread_cond_timedwait(&ws->cond, &ws->mutex, &ts);
		}
		/* a shorter interval takes effect at once */
		int64_t latest = clock_monotonic_ms() + worker_interval(w);
		if (next_due > latest)
			next_due = latest;
	}
	w->running = false;
	ws->alive--;
	pthread_cond_broadcast(&ws->cond);
	pthread_mutex_unlock(&ws->mutex);
	free(part);
	free(slow_baseline);
	request_window_free(&window);
	return NULL;
}

int workers_start(struct workers **out, const struct config *cfg, int64_t interval_ms,
                  int64_t seldom_interval_ms, int wake_fd, char *err, size_t errlen)
{
	*out = NULL;
	struct workers *ws = calloc(1, sizeof(*ws));
	if (ws == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ws->cfg = cfg;
	ws->wake_fd = wake_fd;
	ws->interval_ms = interval_ms > 0 ? interval_ms : 2000;
	ws->seldom_interval_ms = seldom_interval_ms;
	snapshot_init(&ws->snap);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_mutex_init(&ws->mutex, NULL);
	pthread_cond_init(&ws->cond, &attr);
	pthread_condattr_destroy(&attr);

	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGWINCH);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	int rc = 0;
	pthread_mutex_lock(&ws->mutex);
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		struct worker *w = &ws->workers[i];
		w->owner = ws;
		/* the backup listing is the backup menu's, on its own schedule,
		 * unless the caller asked for the seldom rows */
		bool seldom = CHECKS[i]->schedule != CHECK_EVERY_POLL;
		if (!CHECKS[i]->probe || (seldom && seldom_interval_ms <= 0))
			continue;
		w->row = CHECKS[i];
		w->seldom = seldom;
		w->running = true;
		int e = pthread_create(&w->thread, NULL, worker_main, w);
		if (e != 0) {
			w->running = false;
			snprintf(err, errlen, "cannot start a probe thread: %s", strerror(e));
			rc = -1;
			break;
		}
		w->started = true;
		ws->alive++;
	}
	pthread_mutex_unlock(&ws->mutex);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc < 0) {
		workers_stop(ws, 10000);
		return -1;
	}
	*out = ws;
	return 0;
}

void workers_copy(struct workers *ws, struct workers_view *out)
{
	pthread_mutex_lock(&ws->mutex);
	out->snap = ws->snap;
	int64_t now = clock_monotonic_ms();
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		out->generation[i] = ws->generation[i];
		int64_t started = ws->workers[i].started_at_ms;
		out->running_ms[i] = started > 0 ? now - started : 0;
		out->finished_at_ms[i] = ws->workers[i].finished_at_ms;
		out->duration_ms[i] = ws->workers[i].duration_ms;
	}
	out->published_at_ms = ws->published_at_ms;
	pthread_mutex_unlock(&ws->mutex);
}

void workers_refresh(struct workers *ws)
{
	pthread_mutex_lock(&ws->mutex);
	for (size_t i = 0; i < CHECK_COUNT; i++)
		if (ws->workers[i].started_at_ms == 0)
			ws->workers[i].refresh = true;
	pthread_cond_broadcast(&ws->cond);
	pthread_mutex_unlock(&ws->mutex);
}

void workers_set_interval(struct workers *ws, int64_t interval_ms)
{
	pthread_mutex_lock(&ws->mutex);
	ws->interval_ms = interval_ms;
	pthread_cond_broadcast(&ws->cond);
	pthread_mutex_unlock(&ws->mutex);
}

void workers_set_paused(struct workers *ws, bool paused)
{
	pthread_mutex_lock(&ws->mutex);
	ws->paused = paused;
	pthread_cond_broadcast(&ws->cond);
	pthread_mutex_unlock(&ws->mutex);
}

int workers_stop(struct workers *ws, int64_t wait_ms)
{
	if (ws == NULL)
		return 0;
	pthread_mutex_lock(&ws->mutex);
	ws->stop = true;
	pthread_cond_broadcast(&ws->cond);
	struct timespec ts = worker_deadline(clock_monotonic_ms() + wait_ms);
	while (ws->alive > 0)
		if (pthread_cond_timedwait(&ws->cond, &ws->mutex, &ts) == ETIMEDOUT)
			break;
	int alive = ws->alive;
	pthread_mutex_unlock(&ws->mutex);
	if (alive > 0) {
		/* Threads still in a probe hold pointers to ws and cfg: leave
		 * them to the process exit rather than free under them. */
		for (size_t i = 0; i < CHECK_COUNT; i++)
			if (ws->workers[i].started)
				pthread_detach(ws->workers[i].thread);
		return -1;
	}
	for (size_t i = 0; i < CHECK_COUNT; i++)
		if (ws->workers[i].started)
			pthread_join(ws->workers[i].thread, NULL);
	pthread_cond_destroy(&ws->cond);
	pthread_mutex_destroy(&ws->mutex);
	free(ws);
	return 0;
}
