/* message.c - the process-wide sink for notes (see message.h). */
#include "util/message.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t message_lock = PTHREAD_MUTEX_INITIALIZER;
static bool message_queued;
static int message_wake_fd = -1;
static char message_ring[MESSAGE_QUEUE_MAX][MESSAGE_LINE_MAX];
static size_t message_first; /* index of the oldest queued note */
static size_t message_count;
static size_t message_dropped;

void message_emit(const char *fmt, ...)
{
	char line[MESSAGE_LINE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&message_lock);
	if (!message_queued) {
		fprintf(stderr, "opsdeck: %s\n", line);
		pthread_mutex_unlock(&message_lock);
		return;
	}
	if (message_count == MESSAGE_QUEUE_MAX) {
		message_first = (message_first + 1) % MESSAGE_QUEUE_MAX;
		message_count--;
		message_dropped++;
	}
	memcpy(message_ring[(message_first + message_count++) % MESSAGE_QUEUE_MAX], line,
	       sizeof(line));
	int fd = message_wake_fd;
	pthread_mutex_unlock(&message_lock);
	if (fd >= 0) {
		char byte = 'm';
		/* a full pipe already holds a wake-up: a failed write loses nothing */
		ssize_t written = write(fd, &byte, 1);
		(void)written;
	}
}

void message_queue_start(int wake_fd)
{
	pthread_mutex_lock(&message_lock);
	message_queued = true;
	message_wake_fd = wake_fd;
	pthread_mutex_unlock(&message_lock);
}

/* The oldest queued note into dst; false when none. Lock held. */
static bool message_pop(char *dst)
{
	if (message_count == 0)
		return false;
	memcpy(dst, message_ring[message_first], MESSAGE_LINE_MAX);
	message_first = (message_first + 1) % MESSAGE_QUEUE_MAX;
	message_count--;
	return true;
}

size_t message_queue_take(char (*lines)[MESSAGE_LINE_MAX], size_t max, size_t *dropped)
{
	size_t n = 0;
	pthread_mutex_lock(&message_lock);
	while (n < max && message_pop(lines[n]))
		n++;
	if (dropped)
		*dropped = message_dropped;
	message_dropped = 0;
	pthread_mutex_unlock(&message_lock);
	return n;
}

void message_queue_stop(void)
{
	char line[MESSAGE_LINE_MAX];
	pthread_mutex_lock(&message_lock);
	while (message_pop(line))
		fprintf(stderr, "opsdeck: %s\n", line);
	message_queued = false;
	message_wake_fd = -1;
	message_dropped = 0;
	pthread_mutex_unlock(&message_lock);
}
