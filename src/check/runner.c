/* runner.c - one poll of every check in the table, in parallel (check.h
 * check_probe_all). */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "probe/request_window.h"
#include "probe/slow_queries.h"
#include "util/clock.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

/* Each row's context across the polls of one caller (check.h). */
struct check_poll_state {
	struct request_window windows[CHECK_COUNT];
	struct slow_queries_baseline *baselines[CHECK_COUNT];
	struct check_probe_context contexts[CHECK_COUNT];
	struct snapshot *seldom; /* the CHECK_SELDOM rows' last probe; NULL before */
	int64_t seldom_due_ms;   /* monotonic */
};

/* One row's probe on its own thread. */
struct check_job {
	const struct config *cfg;
	const struct check_class *row;
	struct snapshot *out;
	const struct check_probe_context *context; /* NULL: one-shot */
	pthread_t thread;
	bool wanted;  /* this poll probes the row */
	bool started; /* the thread exists and must be joined */
};

static void *check_job_main(void *arg)
{
	const struct check_job *job = arg;
	const struct check_probe_context one_shot = {.window = NULL, .cancel = NULL};
	job->row->probe(job->cfg, job->context ? job->context : &one_shot, job->out);
	return NULL;
}

/* Waits for the started jobs of one schedule. A job without a thread runs
 * here instead, only not in parallel: a slower poll beats a missing check. */
static void check_job_finish(struct check_job *jobs, enum check_schedule schedule)
{
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		if (!jobs[i].wanted || jobs[i].row->schedule != schedule)
			continue;
		if (jobs[i].started)
			pthread_join(jobs[i].thread, NULL);
		else
			check_job_main(&jobs[i]);
	}
}

static void check_probe(const struct config *cfg, bool with_seldom, struct check_poll_state *state,
                        struct snapshot *out)
{
	int64_t started = clock_monotonic_ms();
	snapshot_init(out);
	out->taken_at_ms = clock_wall_ms();
	sanitize_text(out->app_name, sizeof(out->app_name), cfg->app.name);

	/* Each probe writes only the members of its own rows, so the threads
	 * share nothing but the (read-only) configuration. */
	struct check_job jobs[CHECK_COUNT];
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		jobs[i] = (struct check_job){.cfg = cfg, .row = CHECKS[i], .out = out};
		if (state)
			jobs[i].context = &state->contexts[i];
		if (!CHECKS[i]->probe || (CHECKS[i]->schedule == CHECK_SELDOM && !with_seldom))
			continue;
		jobs[i].wanted = true;
		if (pthread_create(&jobs[i].thread, NULL, check_job_main, &jobs[i]) == 0)
			jobs[i].started = true;
	}
	check_job_finish(jobs, CHECK_EVERY_POLL);
	out->duration_ms = clock_monotonic_ms() - started;
	check_job_finish(jobs, CHECK_SELDOM);
}

void check_probe_all(const struct config *cfg, struct snapshot *out)
{
	check_probe(cfg, true, NULL, out);
}

void check_probe_every_poll(const struct config *cfg, struct snapshot *out)
{
	check_probe(cfg, false, NULL, out);
}

struct check_poll_state *check_poll_state_new(void)
{
	struct check_poll_state *state = xcalloc(1, sizeof(*state));
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		request_window_init(&state->windows[i]);
		state->baselines[i] = xmalloc(sizeof(*state->baselines[i]));
		slow_queries_baseline_init(state->baselines[i]);
		state->contexts[i] = (struct check_probe_context){
		    .window = &state->windows[i], .slow_baseline = state->baselines[i]};
	}
	return state;
}

void check_poll_state_free(struct check_poll_state *state)
{
	if (!state)
		return;
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		request_window_free(&state->windows[i]);
		free(state->baselines[i]);
	}
	free(state->seldom);
	free(state);
}

/* Copies the members of the CHECK_SELDOM rows from `from` to `to`. */
static void check_copy_seldom(struct snapshot *to, const struct snapshot *from)
{
	for (size_t i = 0; i < CHECK_COUNT; i++)
		if (CHECKS[i]->schedule == CHECK_SELDOM)
			memcpy((char *)to + CHECKS[i]->offset,
			       (const char *)from + CHECKS[i]->offset, CHECKS[i]->size);
}

void check_probe_polling(const struct config *cfg, struct check_poll_state *state,
                         struct snapshot *out)
{
	int64_t now = clock_monotonic_ms();
	bool due = state->seldom == NULL || now >= state->seldom_due_ms;
	check_probe(cfg, due, state, out);
	if (due) {
		if (state->seldom == NULL)
			state->seldom = xmalloc(sizeof(*state->seldom));
		check_copy_seldom(state->seldom, out);
		state->seldom_due_ms = now + CHECK_SELDOM_INTERVAL_MS;
	} else {
		check_copy_seldom(out, state->seldom);
	}
}
