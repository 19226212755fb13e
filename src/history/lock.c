/* lock.c - the history directory's lock files (lock.h). */
#include "history/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* The pid written in the lock file, or 0. */
static pid_t lock_read_pid(int fd)
{
	char text[32];
	ssize_t n = pread(fd, text, sizeof(text) - 1, 0);
	if (n <= 0)
		return 0;
	text[n] = '\0';
	long pid = strtol(text, NULL, 10);
	return pid > 0 ? (pid_t)pid : 0;
}

int history_lock_acquire(const char *dir, const char *name, int *fd, pid_t *holder, char *err,
                         size_t err_size)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	*fd = -1;
	*holder = 0;
	int lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lock_fd < 0) {
		snprintf(err, err_size, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(lock_fd, LOCK_EX | LOCK_NB) < 0) {
		int saved = errno;
		if (saved == EWOULDBLOCK) {
			*holder = lock_read_pid(lock_fd);
			close(lock_fd);
			return 1;
		}
		snprintf(err, err_size, "cannot lock %s: %s", path, strerror(saved));
		close(lock_fd);
		return -1;
	}
	char text[32];
	int len = snprintf(text, sizeof(text), "%ld\n", (long)getpid());
	if (ftruncate(lock_fd, 0) < 0 || pwrite(lock_fd, text, (size_t)len, 0) != len) {
		snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
		close(lock_fd);
		return -1;
	}
	*fd = lock_fd;
	return 0;
}

int history_lock_probe(const char *dir, const char *name, pid_t *holder, char *err, size_t err_size)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	*holder = 0;
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
			*holder = lock_read_pid(fd);
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
