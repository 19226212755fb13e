/* xalloc.c - allocation that exits instead of returning NULL (see xalloc.h). */
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/message.h"

/* Other threads may be running (gzip, uploads, probes): exit() would run the
 * libraries' atexit clean-ups (OpenSSL, libcurl) under their feet and crash.
 * quick_exit runs only the at_quick_exit handlers (sink_file.c removes its
 * .partial files there). Only the first thread to run out may call it: a
 * second quick_exit finds the handler list already taken and ends the
 * process at once, before the first has removed anything. The others wait
 * for the exit; a thread that runs out again inside a handler just ends. */
static void out_of_memory(size_t size)
{
	static atomic_flag exiting = ATOMIC_FLAG_INIT;
	static _Thread_local bool in_exit;
	if (in_exit)
		_exit(70);
	if (atomic_flag_test_and_set(&exiting))
		for (;;)
			pause();
	in_exit = true;
	message_emit("out of memory (asked for %zu bytes)", size);
	quick_exit(70); /* EX_SOFTWARE */
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		out_of_memory(count * size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		out_of_memory(0);
	char *p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
