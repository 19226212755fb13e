/* resolve.c - getaddrinfo() on a detached thread, waited for until a
 * deadline (resolve.h). */
#include "client/resolve.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "util/clock.h"

/* One lookup, shared by the thread that runs it and the caller that waits;
 * whichever of them lets go last frees it. */
struct client_lookup {
	pthread_mutex_t lock;
	pthread_cond_t finished;
	bool done, abandoned;
	char *host;
	int family;
	int gai;
	struct addrinfo *res;
};

static void client_lookup_free(struct client_lookup *l)
{
	if (l->res)
		freeaddrinfo(l->res);
	pthread_cond_destroy(&l->finished);
	pthread_mutex_destroy(&l->lock);
	free(l->host);
	free(l);
}

static void *client_lookup_run(void *arg)
{
	struct client_lookup *l = arg;
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
		client_lookup_free(l);
	return NULL;
}

/* Writes up to max numeric addresses of res to out; returns how many. */
static int client_lookup_format(const struct addrinfo *res, int max, char *out, size_t outlen)
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

int client_resolve(const char *host, int family, int max, int64_t deadline_ms, char *out,
                   size_t outlen, char *err, size_t errlen)
{
	unsigned char numeric[sizeof(struct in6_addr)];
	if ((family != AF_INET6 && inet_pton(AF_INET, host, numeric) == 1) ||
	    (family != AF_INET && inet_pton(AF_INET6, host, numeric) == 1)) {
		snprintf(out, outlen, "%s", host);
		return 1;
	}
	if (clock_monotonic_ms() >= deadline_ms)
		return CLIENT_RESOLVE_TIMEOUT;

	struct client_lookup *l = calloc(1, sizeof(*l));
	pthread_condattr_t attr;
	if (!l || !(l->host = strdup(host))) {
		free(l);
		snprintf(err, errlen, "out of memory");
		return CLIENT_RESOLVE_FAILED;
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
	int rc = pthread_create(&thread, &detached, client_lookup_run, l);
	pthread_attr_destroy(&detached);
	if (rc != 0) {
		client_lookup_free(l);
		snprintf(err, errlen, "cannot start a lookup: %s", strerror(rc));
		return CLIENT_RESOLVE_FAILED;
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
		return CLIENT_RESOLVE_TIMEOUT;
	}
	pthread_mutex_unlock(&l->lock);

	int n = 0;
	if (l->gai != 0)
		snprintf(err, errlen, "%s", gai_strerror(l->gai));
	else if ((n = client_lookup_format(l->res, max, out, outlen)) == 0)
		snprintf(err, errlen, "no usable address");
	client_lookup_free(l);
	return n > 0 ? n : CLIENT_RESOLVE_FAILED;
}
