/* file.c - read a whole small file, write a whole buffer (see file.h). */
#include "util/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/text.h"
#include "util/xalloc.h"

/* "NAME: reason", or the reason alone when there is no name. */
static void say(char *err, size_t errlen, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void say(char *err, size_t errlen, const char *name, const char *fmt, ...)
{
	char reason[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (name)
		snprintf(err, errlen, "%s: %s", name, reason);
	else
		snprintf(err, errlen, "%s", reason);
}

int file_read_text(const char *path, const char *name, size_t max, int flags, char **text,
                   size_t *len, struct stat *st, char *err, size_t errlen)
{
	*text = NULL;
	if (len)
		*len = 0;
	int open_flags = O_RDONLY | O_CLOEXEC | O_NOCTTY;
	if (flags & FILE_READ_NONBLOCK)
		open_flags |= O_NONBLOCK;
	int fd = open(path, open_flags);
	if (fd < 0) {
		int saved = errno;
		say(err, errlen, name, "%s", strerror(saved));
		errno = saved;
		return -1;
	}
	struct stat own;
	if (!st)
		st = &own;
	int rc = -1, saved = 0;
	char *buf = NULL;
	size_t n = 0;
	if (fstat(fd, st) < 0) {
		saved = errno;
		say(err, errlen, name, "%s", strerror(saved));
		goto done;
	}
	if (!S_ISREG(st->st_mode)) {
		saved = EINVAL;
		say(err, errlen, name, "not a regular file");
		goto done;
	}
	/* Read until EOF rather than trusting st_size, up to one byte past max
	 * to tell "exactly max" from "more". */
	size_t alloc = (uint64_t)st->st_size < max ? (size_t)st->st_size + 1 : max + 1;
	buf = xmalloc(alloc + 1);
	for (;;) {
		if (n == alloc) {
			if (alloc > max) {
				rc = FILE_TOO_LARGE;
				saved = EFBIG;
				say(err, errlen, name, "larger than %zu bytes", max);
				goto done;
			}
			alloc = alloc > max / 2 ? max + 1 : alloc * 2;
			buf = xrealloc(buf, alloc + 1);
		}
		ssize_t got = read(fd, buf + n, alloc - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			saved = errno;
			say(err, errlen, name, "%s", strerror(saved));
			goto done;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	buf[n] = '\0';
	if ((flags & FILE_READ_TEXT) && strlen(buf) != n) {
		int line = 1;
		for (const char *c = buf; *c; c++)
			line += *c == '\n';
		saved = EINVAL;
		if (name)
			snprintf(err, errlen, "%s:%d: NUL byte in the file (is it a text file?)",
			         name, line);
		else
			snprintf(err, errlen, "line %d: NUL byte in the file (is it a text file?)",
			         line);
		goto done;
	}
	rc = 0;
done:
	if (close(fd) < 0 && rc == 0) {
		saved = errno;
		say(err, errlen, name, "%s", strerror(saved));
		rc = -1;
	}
	if (rc != 0) {
		free(buf);
		errno = saved;
		return rc;
	}
	*text = buf;
	if (len)
		*len = n;
	return 0;
}

int file_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* mkdir 0700 whatever the umask: chmod after, since mkdir applies it. */
static int make_one_dir(const char *dir)
{
	if (mkdir(dir, 0700) != 0)
		return -1;
	return chmod(dir, 0700);
}

int file_make_dir(const char *dir, bool parents, char *err, size_t errlen)
{
	if (make_one_dir(dir) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT || !parents)
		goto fail;
	char *copy = xstrdup(dir);
	for (char *p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (make_one_dir(copy) != 0 && errno != EEXIST) {
			int saved = errno;
			snprintf(err, errlen, "cannot create %s: %s", copy, strerror(saved));
			free(copy);
			errno = saved;
			return -1;
		}
		*p = '/';
	}
	free(copy);
	if (make_one_dir(dir) == 0 || errno == EEXIST)
		return 0;
fail:;
	int saved = errno;
	snprintf(err, errlen, "cannot create %s: %s", dir, strerror(saved));
	errno = saved;
	return -1;
}

/* file_replace: see file.h. */
int file_replace(const char *path, const char *text, char *err, size_t errlen)
{
	char *tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	int rc = -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		text_printf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
		goto done;
	}
	if (file_write_all(fd, text, strlen(text)) != 0 || fsync(fd) != 0) {
		text_printf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		(void)close(fd);
		goto unlink;
	}
	if (close(fd) != 0) {
		text_printf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		goto unlink;
	}
	if (rename(tmp, path) != 0) {
		text_printf(err, errlen, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
		goto unlink;
	}
	rc = 0;
	goto done;
unlink:
	(void)unlink(tmp);
done:
	free(tmp);
	return rc;
}
