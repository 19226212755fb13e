/* alloc_fail.c - the counter behind alloc_fail.h (see there). */
#include "alloc_fail.h"

/* Here the names mean the C library's functions again. */
#undef malloc
#undef calloc
#undef realloc
#undef strdup
#undef strndup
#undef asprintf

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

static pthread_once_t settings_once = PTHREAD_ONCE_INIT;
static unsigned long fail_at; /* 0: never */
static int fail_after;        /* "N+": every allocation from the Nth on */
static const char *log_path;
static unsigned long counter; /* allocations so far, all threads */

static void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void log_line(const char *fmt, ...)
{
	if (!log_path)
		return;
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = (int)sizeof(line) - 1;
	int fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	/* one write of a whole line: lines from several threads never mix */
	if (write(fd, line, (size_t)n) < 0) {
		/* nothing to do: the log is only a help */
	}
	close(fd);
}

static void settings_read(void)
{
	const char *v = getenv("OPSDECK_ALLOC_FAIL");
	if (v && *v) {
		char *end = NULL;
		fail_at = strtoul(v, &end, 10);
		fail_after = end && *end == '+';
	}
	v = getenv("OPSDECK_ALLOC_LOG");
	log_path = v && *v ? v : NULL;
}

/* Whether this allocation is the one (or one of those) to fail. */
static int should_fail(const char *file, int line)
{
	pthread_once(&settings_once, settings_read);
	unsigned long n = __atomic_add_fetch(&counter, 1, __ATOMIC_SEQ_CST);
	if (!fail_at) {
		log_line("alloc %lu %s:%d\n", n, file, line);
		return 0;
	}
	if (n < fail_at || (n > fail_at && !fail_after))
		return 0;
	log_line("fail %lu %s:%d\n", n, file, line);
	errno = ENOMEM;
	return 1;
}

__attribute__((destructor)) static void alloc_fail_report(void)
{
	pthread_once(&settings_once, settings_read);
	log_line("total %lu\n", __atomic_load_n(&counter, __ATOMIC_SEQ_CST));
}

void *alloc_fail_malloc(size_t size, const char *file, int line)
{
	return should_fail(file, line) ? NULL : malloc(size);
}

void *alloc_fail_calloc(size_t count, size_t size, const char *file, int line)
{
	return should_fail(file, line) ? NULL : calloc(count, size);
}

void *alloc_fail_realloc(void *ptr, size_t size, const char *file, int line)
{
	return should_fail(file, line) ? NULL : realloc(ptr, size);
}

char *alloc_fail_strdup(const char *s, const char *file, int line)
{
	return should_fail(file, line) ? NULL : strdup(s);
}

char *alloc_fail_strndup(const char *s, size_t n, const char *file, int line)
{
	return should_fail(file, line) ? NULL : strndup(s, n);
}

int alloc_fail_asprintf(const char *file, int line, char **out, const char *fmt, ...)
{
	if (should_fail(file, line)) {
		*out = NULL; /* as the BSDs do; glibc leaves it undefined */
		return -1;
	}
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(out, fmt, ap);
	va_end(ap);
	return n;
}
