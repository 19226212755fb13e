/* probe_all.c - run every probe for one Snapshot, in parallel, plus the
 * process-wide set-up and the small helpers the probe files share (see
 * probe.h). */
#include "probe/probe.h"

#include <curl/curl.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/redact.h"
#include "util/clock.h"
#include "util/sanitize.h"

int probe_global_init(void)
{
	/* Not thread-safe, and needed before any easy handle exists: the
	 * caller does this once, before it starts any thread. */
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void probe_global_cleanup(void)
{
	curl_global_cleanup();
}

/* One probe to run on its own thread. */
struct probe_job {
	const struct config *cfg;
	struct snapshot *out;
	void (*run)(const struct probe_job *job);
	pthread_t thread;
	int started; /* the thread exists and must be joined */
};

static void run_pg(const struct probe_job *job)
{
	probe_pg(job->cfg, &job->out->database, &job->out->requests, &job->out->slow_queries, NULL);
}

static void run_redis(const struct probe_job *job)
{
	probe_redis(job->cfg, &job->out->redis);
}

static void run_health(const struct probe_job *job)
{
	probe_health(job->cfg, &job->out->health);
}

static void run_version(const struct probe_job *job)
{
	probe_version(job->cfg, &job->out->version);
}

static void run_storage(const struct probe_job *job)
{
	probe_storage(job->cfg, &job->out->storage);
}

static void *probe_thread(void *arg)
{
	const struct probe_job *job = arg;
	job->run(job);
	return NULL;
}

void probe_all(const struct config *cfg, struct snapshot *out)
{
	int64_t started = clock_monotonic_ms();
	snapshot_init(out);
	out->taken_at_ms = clock_wall_ms();
	sanitize_text(out->app_name, sizeof(out->app_name), cfg->app.name);

	/* Each probe writes only its own member of *out, so the threads share
	 * nothing but the (read-only) configuration. */
	struct probe_job jobs[] = {
	    {.run = run_pg},      {.run = run_redis},   {.run = run_health},
	    {.run = run_version}, {.run = run_storage},
	};
	const size_t count = sizeof(jobs) / sizeof(jobs[0]);
	for (size_t i = 0; i < count; i++) {
		jobs[i].cfg = cfg;
		jobs[i].out = out;
		/* Without a thread the probe still runs, only not in parallel:
		 * a slower poll beats a missing check. */
		if (pthread_create(&jobs[i].thread, NULL, probe_thread, &jobs[i]) == 0)
			jobs[i].started = 1;
		else
			jobs[i].run(&jobs[i]);
	}
	for (size_t i = 0; i < count; i++)
		if (jobs[i].started)
			pthread_join(jobs[i].thread, NULL);

	out->duration_ms = clock_monotonic_ms() - started;
}

void probe_check_begin(struct check_common *c)
{
	memset(c, 0, sizeof(*c));
	c->state = CHECK_PENDING;
	c->latency_ms = -1;
}
