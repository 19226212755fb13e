/* lock.c - the history directory's lock files (lock.h). */
#include "history/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/file.h"

/* The pid and role written in the lock file ("PID ROLE\n"; a file of an
 * older version holds the pid alone). */
static void lock_read_holder(int fd, struct history_lock_holder *holder)
{
	char text[64];
	memset(holder, 0, sizeof(*holder));
	ssize_t n = pread(fd, text, sizeof(text) - 1, 0);
	if (n <= 0)
		return;
	text[n] = '\0';
	char *end;
	long pid = strtol(text, &end, 10);
	holder->pid = pid > 0 ? (pid_t)pid : 0;
	while (*end == ' ')
		end++;
	size_t len = strcspn(end, " \n");
	if (len >= sizeof(holder->role))
		len = 0;
	memcpy(holder->role, end, len);
	holder->role[len] = '\0';
}

int history_lock_acquire(const char *dir, const char *name, const char *role, int *fd,
                         struct history_lock_holder *holder, char *err, size_t err_size)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	*fd = -1;
	memset(holder, 0, sizeof(*holder));
	int lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lock_fd < 0) {
		snprintf(err, err_size, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(lock_fd, LOCK_EX | LOCK_NB) < 0) {
		int saved = errno;
		if (saved == EWOULDBLOCK) {
			lock_read_holder(lock_fd, holder);
			close(lock_fd);
			return 1;
		}
		snprintf(err, err_size, "cannot lock %s: %s", path, strerror(saved));
		close(lock_fd);
		return -1;
	}
	char text[64];
	int len = snprintf(text, sizeof(text), "%ld %s\n", (long)getpid(), role);
	if (ftruncate(lock_fd, 0) < 0 || pwrite(lock_fd, text, (size_t)len, 0) != len) {
		snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
		close(lock_fd);
		return -1;
	}
	*fd = lock_fd;
	return 0;
}

int history_lock_probe(const char *dir, const char *name, struct history_lock_holder *holder,
                       char *err, size_t err_size)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	memset(holder, 0, sizeof(*holder));
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, err_size, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	int rc = 0;
	if (flock(fd, LOCK_SH | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK) {
			lock_read_holder(fd, holder);
			rc = 1;
		} else {
			snprintf(err, err_size, "cannot lock %s: %s", path, strerror(errno));
			rc = -1;
		}
	}
	close(fd);
	return rc;
}

void history_lock_release(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* The pid in DIR/record.wanted, 0 when there is none. */
static pid_t wanted_pid(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	struct history_lock_holder wanted;
	lock_read_holder(fd, &wanted);
	close(fd);
	return wanted.pid;
}

int history_lock_claim(const char *dir, int64_t wait_ms, int *fd,
                       struct history_lock_holder *holder, char *err, size_t err_size)
{
	int rc = history_lock_acquire(dir, HISTORY_RECORD_LOCK, HISTORY_ROLE_RECORDER, fd, holder,
	                              err, err_size);
	if (rc != 1 || strcmp(holder->role, HISTORY_ROLE_DASHBOARD) != 0)
		return rc;
	char path[4096], text[32], why[512];
	snprintf(path, sizeof(path), "%s/%s", dir, HISTORY_WANTED_FILE);
	snprintf(text, sizeof(text), "%ld\n", (long)getpid());
	if (file_replace(path, text, why, sizeof(why)) < 0)
		return rc; /* the dashboard cannot be asked: it keeps writing */
	int64_t until = clock_monotonic_ms() + wait_ms;
	while (rc == 1 && strcmp(holder->role, HISTORY_ROLE_DASHBOARD) == 0 &&
	       clock_monotonic_ms() < until) {
		struct timespec pause = {.tv_sec = 0, .tv_nsec = 100 * 1000000L};
		nanosleep(&pause, NULL);
		rc = history_lock_acquire(dir, HISTORY_RECORD_LOCK, HISTORY_ROLE_RECORDER, fd,
		                          holder, err, err_size);
	}
	if (wanted_pid(path) == getpid())
		(void)unlink(path);
	return rc;
}

bool history_lock_wanted(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, HISTORY_WANTED_FILE);
	pid_t pid = wanted_pid(path);
	if (pid == 0)
		return false;
	if (kill(pid, 0) == 0 || errno == EPERM)
		return true;
	(void)unlink(path); /* its recorder died waiting */
	return false;
}
