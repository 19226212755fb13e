/* probe_all.c - run every probe for one Snapshot, in parallel, plus the
 * process-wide set-up and the small helpers the probe files share (see
 * probe.h). */
#include "probe/probe.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "config/redact.h"
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
	probe_pg(job->cfg, &job->out->database, &job->out->requests, &job->out->slow_queries,
	         NULL);
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

int probe_wait_fd(int fd, short events, int64_t deadline_ms)
{
	for (;;) {
		int64_t left = deadline_ms - clock_monotonic_ms();
		if (left <= 0)
			return 0;
		struct pollfd pfd = {.fd = fd, .events = events};
		int n = poll(&pfd, 1, left > 60000 ? 60000 : (int)left);
		if (n > 0)
			return 1;
		if (n < 0 && errno != EINTR)
			return -1;
	}
}

/* One lookup, shared by the thread that runs it and the caller that waits;
 * whichever of them lets go last frees it. */
struct probe_lookup {
	pthread_mutex_t lock;
	pthread_cond_t finished;
	bool done, abandoned;
	char *host;
	int family;
	int gai;
	struct addrinfo *res;
};

static void probe_lookup_free(struct probe_lookup *l)
{
	if (l->res)
		freeaddrinfo(l->res);
	pthread_cond_destroy(&l->finished);
	pthread_mutex_destroy(&l->lock);
	free(l->host);
	free(l);
}

static void *probe_lookup_run(void *arg)
{
	struct probe_lookup *l = arg;
	struct addrinfo hints = {.ai_family = l->family, .ai_socktype = SOCK_STREAM};
	struct addrinfo *res = NULL;
	int gai = getaddrinfo(l->host, NULL, &hints, &res);
	pthread_mutex_lock(&l->lock);
	l->gai = gai;
	l->res = gai == 0 ? res : NULL;
	l->done = true;
	bool abandoned = l->abandoned;
	pthread_cond_signal(&l->finished);
	pthread_mutex_unlock(&l->lock);
	if (abandoned)
		probe_lookup_free(l);
	return NULL;
}

/* Writes up to max numeric addresses of res to out; returns how many. */
static int probe_lookup_format(const struct addrinfo *res, int max, char *out, size_t outlen)
{
	int n = 0;
	size_t len = 0;
	out[0] = '\0';
	for (const struct addrinfo *a = res; a && n < max; a = a->ai_next) {
		char text[INET6_ADDRSTRLEN];
		const void *where;
		if (a->ai_family == AF_INET)
			where = &((const struct sockaddr_in *)(const void *)a->ai_addr)->sin_addr;
		else if (a->ai_family == AF_INET6)
			where = &((const struct sockaddr_in6 *)(const void *)a->ai_addr)->sin6_addr;
		else
			continue;
		if (!inet_ntop(a->ai_family, where, text, sizeof(text)))
			continue;
		if (len + strlen(text) + 2 > outlen)
			break;
		len += (size_t)snprintf(out + len, outlen - len, "%s%s", n ? "," : "", text);
		n++;
	}
	return n;
}

int probe_resolve(const char *host, int family, int max, int64_t deadline_ms, char *out,
                  size_t outlen, char *err, size_t errlen)
{
	unsigned char numeric[sizeof(struct in6_addr)];
	if ((family != AF_INET6 && inet_pton(AF_INET, host, numeric) == 1) ||
	    (family != AF_INET && inet_pton(AF_INET6, host, numeric) == 1)) {
		snprintf(out, outlen, "%s", host);
		return 1;
	}
	if (clock_monotonic_ms() >= deadline_ms)
		return PROBE_RESOLVE_TIMEOUT;

	struct probe_lookup *l = calloc(1, sizeof(*l));
	pthread_condattr_t attr;
	if (!l || !(l->host = strdup(host))) {
		free(l);
		snprintf(err, errlen, "out of memory");
		return PROBE_RESOLVE_FAILED;
	}
	l->family = family;
	pthread_mutex_init(&l->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&l->finished, &attr);
	pthread_condattr_destroy(&attr);

	pthread_t thread;
	pthread_attr_t detached;
	pthread_attr_init(&detached);
	pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
	int rc = pthread_create(&thread, &detached, probe_lookup_run, l);
	pthread_attr_destroy(&detached);
	if (rc != 0) {
		probe_lookup_free(l);
		snprintf(err, errlen, "cannot start a lookup: %s", strerror(rc));
		return PROBE_RESOLVE_FAILED;
	}

	struct timespec until = {.tv_sec = (time_t)(deadline_ms / 1000),
	                         .tv_nsec = (long)(deadline_ms % 1000) * 1000000L};
	pthread_mutex_lock(&l->lock);
	int waited = 0;
	while (!l->done && waited == 0) /* 0 also after a spurious wake-up */
		waited = pthread_cond_timedwait(&l->finished, &l->lock, &until);
	if (!l->done) {
		l->abandoned = true;
		pthread_mutex_unlock(&l->lock);
		return PROBE_RESOLVE_TIMEOUT;
	}
	pthread_mutex_unlock(&l->lock);

	int n = 0;
	if (l->gai != 0)
		snprintf(err, errlen, "%s", gai_strerror(l->gai));
	else if ((n = probe_lookup_format(l->res, max, out, outlen)) == 0)
		snprintf(err, errlen, "no usable address");
	probe_lookup_free(l);
	return n > 0 ? n : PROBE_RESOLVE_FAILED;
}

void probe_format_seconds(char *dst, size_t size, int64_t ms)
{
	snprintf(dst, size, "%.1f s", (double)ms / 1000.0);
}

void probe_mask_secret(char *s, size_t size, const char *secret)
{
	if (!s || size == 0 || !secret)
		return;
	size_t secret_len = strlen(secret);
	if (secret_len < 3)
		return;
	const size_t mask_len = strlen(REDACT_MASK);
	size_t len = strnlen(s, size - 1);
	s[len] = '\0';
	char *p = s;
	while ((p = strstr(p, secret)) != NULL) {
		/* A secret is at least as long as the mask, so the text never grows. */
		memcpy(p, REDACT_MASK, mask_len);
		memmove(p + mask_len, p + secret_len, len - (size_t)(p - s) - secret_len + 1);
		len -= secret_len - mask_len;
		p += mask_len;
	}
}

void probe_check_begin(struct check_common *c)
{
	memset(c, 0, sizeof(*c));
	c->state = CHECK_PENDING;
	c->latency_ms = -1;
}
