/* probe_storage.c - disk space and inodes of the configured paths, with
 * statvfs (see probe.h).
 *
 * statvfs on a hung NFS or FUSE mount blocks in the kernel, uninterruptibly
 * and for as long as the server is gone. So each call runs on a detached
 * helper thread, and the probe waits for all of them against one deadline
 * (app.timeout). A helper that has not returned by then is abandoned: it owns
 * its job (its copy of the path and its result), and frees it whenever the
 * kernel lets it go. While one is stuck, later polls do not pile further
 * threads onto the same path; they report it as still hung.
 */
#include "client/client.h"
#include "probe/probe.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>

#include "util/clock.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

struct statvfs_job {
	char *path;
	struct statvfs result;
	int error; /* errno of statvfs, 0 on success */
	bool done;
	bool abandoned; /* the probe gave up waiting: the helper frees the job */
	struct statvfs_job *next_abandoned;
};

/* Guards every job's done/abandoned/result and the abandoned list. */
static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
/* Signalled when any helper finishes; waits use CLOCK_MONOTONIC, so a wall
 * clock step cannot stretch or cut the timeout. */
static pthread_cond_t jobs_done;
static pthread_once_t jobs_once = PTHREAD_ONCE_INIT;
static struct statvfs_job *abandoned_jobs;

static void jobs_init(void)
{
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&jobs_done, &attr);
	pthread_condattr_destroy(&attr);
}

static void job_free(struct statvfs_job *job)
{
	if (!job)
		return;
	free(job->path);
	free(job);
}

static void *statvfs_thread(void *arg)
{
	struct statvfs_job *job = arg;
	struct statvfs result;
	memset(&result, 0, sizeof(result));
	int error = statvfs(job->path, &result) == 0 ? 0 : errno;
	bool owner = false;

	pthread_mutex_lock(&jobs_lock);
	job->result = result;
	job->error = error;
	job->done = true;
	if (job->abandoned) {
		owner = true;
		for (struct statvfs_job **p = &abandoned_jobs; *p; p = &(*p)->next_abandoned)
			if (*p == job) {
				*p = job->next_abandoned;
				break;
			}
	}
	pthread_cond_broadcast(&jobs_done);
	pthread_mutex_unlock(&jobs_lock);
	if (owner)
		job_free(job);
	return NULL;
}

/* Whether an abandoned statvfs of this path is still stuck. */
static bool path_still_hung(const char *path)
{
	bool hung = false;
	pthread_mutex_lock(&jobs_lock);
	for (struct statvfs_job *j = abandoned_jobs; j; j = j->next_abandoned)
		if (strcmp(j->path, path) == 0)
			hung = true;
	pthread_mutex_unlock(&jobs_lock);
	return hung;
}

/* Starts a helper for path; NULL when the path is already hung. If no thread
 * can be created the call is made here, unbounded: better a slow answer
 * than none, and thread creation only fails when the process is in deeper
 * trouble than a hung mount. */
static struct statvfs_job *job_start(const char *path)
{
	if (path_still_hung(path))
		return NULL;
	struct statvfs_job *job = xcalloc(1, sizeof(*job));
	job->path = xstrdup(path);

	pthread_attr_t attr;
	pthread_t thread;
	bool started = false;
	if (pthread_attr_init(&attr) == 0) {
		if (pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0 &&
		    pthread_create(&thread, &attr, statvfs_thread, job) == 0)
			started = true;
		pthread_attr_destroy(&attr);
	}
	if (!started) {
		job->error = statvfs(job->path, &job->result) == 0 ? 0 : errno;
		job->done = true;
	}
	return job;
}

/* Waits for job until the deadline. Returns true when it finished (the job
 * is then the caller's to free); false when it was abandoned to its helper. */
static bool job_wait(struct statvfs_job *job, const struct timespec *deadline)
{
	bool done;
	pthread_mutex_lock(&jobs_lock);
	while (!job->done) {
		int rc = pthread_cond_timedwait(&jobs_done, &jobs_lock, deadline);
		if (rc == ETIMEDOUT)
			break;
	}
	done = job->done;
	if (!done) {
		job->abandoned = true;
		job->next_abandoned = abandoned_jobs;
		abandoned_jobs = job;
	}
	pthread_mutex_unlock(&jobs_lock);
	return done;
}

/* n * 100 / total, rounded up as df rounds ("1.2 %" used shows as 2 %), so
 * opsdeck and df agree on which side of a threshold a disk is. */
static double percent_up(uint64_t n, uint64_t total)
{
	if (total == 0)
		return 0;
	uint64_t n100 = n * 100;
	return (double)(n100 / total + (n100 % total != 0));
}

/* Fills one path's figures from statvfs, as df computes them. */
static void disk_fill(struct disk_status *d, const struct statvfs *st, double max_used_percent)
{
	uint64_t frsize = st->f_frsize ? st->f_frsize : st->f_bsize;
	uint64_t used = st->f_blocks >= st->f_bfree ? st->f_blocks - st->f_bfree : 0;

	d->total_bytes = (uint64_t)st->f_blocks * frsize;
	d->free_bytes = (uint64_t)st->f_bfree * frsize;
	d->avail_bytes = (uint64_t)st->f_bavail * frsize;
	/* used / (used + available to users): the root reserve counts as
	 * neither, which is how df arrives at 100 % on a disk root can still
	 * write to. */
	d->used_percent = percent_up(used, used + st->f_bavail);
	d->inodes_total = st->f_files;
	d->inodes_free = st->f_ffree;
	/* Filesystems without a fixed inode table (btrfs) report 0. */
	d->inodes_used_percent =
	    st->f_files ? percent_up(st->f_files - st->f_ffree, st->f_files) : -1;

	if (disk_over_limit(d, max_used_percent)) {
		d->state = CHECK_UNHEALTHY;
		snprintf(d->error, sizeof(d->error), "%.0f%% used, at or above the %.0f%% limit",
		         d->used_percent, max_used_percent);
	} else {
		d->state = CHECK_OK;
	}
}

void probe_storage(const struct config *cfg, struct storage_status *out)
{
	struct statvfs_job *jobs[SNAPSHOT_MAX_PATHS] = {NULL};
	int64_t start_us = clock_monotonic_us();
	char secs[32];

	pthread_once(&jobs_once, jobs_init);
	probe_check_begin(&out->check);
	out->max_used_percent = cfg->storage.max_used_percent;
	out->path_count = 0;
	memset(out->paths, 0, sizeof(out->paths));

	size_t count = cfg->storage.path_count;
	if (count > SNAPSHOT_MAX_PATHS)
		count = SNAPSHOT_MAX_PATHS;
	if (count == 0) {
		check_set_error(&out->check, CHECK_NOT_CONFIGURED, "no storage paths are set");
		out->check.checked_at_ms = clock_wall_ms();
		return;
	}
	out->path_count = (int)count;

	/* Start every statvfs first, then wait: one hung mount costs the
	 * timeout once, not once per path after it. */
	for (size_t i = 0; i < count; i++) {
		sanitize_text(out->paths[i].path, sizeof(out->paths[i].path),
		              cfg->storage.paths[i]);
		jobs[i] = job_start(cfg->storage.paths[i]);
	}

	int64_t deadline_ms = start_us / 1000 + cfg->app.timeout_ms;
	struct timespec deadline = {.tv_sec = (time_t)(deadline_ms / 1000),
	                            .tv_nsec = (long)(deadline_ms % 1000) * 1000000L};
	client_format_seconds(secs, sizeof(secs), cfg->app.timeout_ms);
	for (size_t i = 0; i < count; i++) {
		struct disk_status *d = &out->paths[i];
		d->inodes_used_percent = -1;
		if (!jobs[i]) {
			d->state = CHECK_UNHEALTHY;
			snprintf(d->error, sizeof(d->error),
			         "an earlier statvfs has not returned yet (hung mount?)");
			continue;
		}
		if (!job_wait(jobs[i], &deadline)) {
			d->state = CHECK_UNHEALTHY;
			snprintf(d->error, sizeof(d->error),
			         "statvfs did not return within %s (hung mount?)", secs);
			continue; /* the helper owns the job now */
		}
		if (jobs[i]->error) {
			d->state = CHECK_UNHEALTHY;
			snprintf(d->error, sizeof(d->error), "%s", strerror(jobs[i]->error));
		} else {
			disk_fill(d, &jobs[i]->result, out->max_used_percent);
		}
		job_free(jobs[i]);
	}

	/* The check: the worst path, named in the message, and every path in
	 * the target. */
	int unhealthy = 0, first_bad = -1;
	size_t used = 0;
	for (size_t i = 0; i < count; i++) {
		const struct disk_status *d = &out->paths[i];
		if (d->state == CHECK_UNHEALTHY && unhealthy++ == 0)
			first_bad = (int)i;
		int n = snprintf(out->check.target + used, sizeof(out->check.target) - used, "%s%s",
		                 i ? ", " : "", d->path);
		if (n < 0 || (size_t)n >= sizeof(out->check.target) - used)
			break;
		used += (size_t)n;
	}
	out->check.latency_ms = (double)(clock_monotonic_us() - start_us) / 1000.0;
	if (unhealthy == 0)
		out->check.state = CHECK_OK;
	else if (unhealthy == 1)
		check_set_error(&out->check, CHECK_UNHEALTHY, "%s: %s", out->paths[first_bad].path,
		                out->paths[first_bad].error);
	else
		check_set_error(&out->check, CHECK_UNHEALTHY, "%s: %s (and %d more)",
		                out->paths[first_bad].path, out->paths[first_bad].error,
		                unhealthy - 1);
	out->check.checked_at_ms = clock_wall_ms();
}
