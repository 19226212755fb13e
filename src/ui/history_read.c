/* history_read.c - reading the history on a job (history_read.h). */
#include "ui/history_read.h"

#include <stdlib.h>

#include "history/backfill.h"
#include "history/timeline.h"
#include "job/runner.h"
#include "util/clock.h"
#include "util/xalloc.h"

struct history_read {
	struct job *job;
	char *dir;
	int64_t now_ms, span_ms;
	bool with_deploy;
	/* written by the job, read once it has ended */
	int filled;
	struct history graphs;
	struct deploy_status deploy;
};

static int history_read_run(struct job *job, void *arg)
{
	struct history_read *r = arg;
	history_init(&r->graphs);
	r->filled = history_backfill(&r->graphs, r->dir, r->now_ms, r->span_ms);
	if (r->with_deploy && r->filled >= 0)
		history_last_deploy(r->dir, r->now_ms, &r->deploy);
	job_set_result(job, "%d values", r->filled);
	return r->filled < 0 ? 1 : 0;
}

struct history_read *history_read_start(const char *dir, int64_t span_ms, bool deploy, int wake_fd)
{
	struct history_read *r = xcalloc(1, sizeof(*r));
	r->dir = xstrdup(dir);
	r->now_ms = clock_wall_ms();
	r->span_ms = span_ms;
	r->with_deploy = deploy;
	r->job = job_start("history", history_read_run, r, NULL, wake_fd);
	if (r->job == NULL) {
		history_read_free(r);
		return NULL;
	}
	return r;
}

bool history_read_done(const struct history_read *r)
{
	struct job_progress p;
	job_progress(r->job, &p);
	return p.state != JOB_RUNNING;
}

int history_read_result(const struct history_read *r, const struct history **graphs,
                        const struct deploy_status **deploy)
{
	*graphs = &r->graphs;
	*deploy = &r->deploy;
	return r->filled;
}

void history_read_free(struct history_read *r)
{
	if (r == NULL)
		return;
	job_free(r->job); /* waits for the read to end */
	free(r->dir);
	free(r);
}
