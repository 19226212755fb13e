/* file.h - read a whole small file, write a whole buffer.
 *
 * The one place that opens a file opsdeck reads whole (configuration, .env,
 * themes, package.json, version.json): O_CLOEXEC and O_NOCTTY, regular files
 * only, a hard size limit, and EINTR retried.
 */
#ifndef OPSDECK_UTIL_FILE_H
#define OPSDECK_UTIL_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* file_read_text flags */
#define FILE_READ_NONBLOCK 1 /* open with O_NONBLOCK: a FIFO there must not hang us */
#define FILE_READ_TEXT     2 /* a NUL byte is an error ("NAME:LINE: NUL byte ...") */

/* file_read_text's result when the file holds more than `max` bytes. */
#define FILE_TOO_LARGE (-2)

/* Reads the regular file at path, at most max bytes. On success returns 0,
 * *text is the content plus a terminating NUL (allocated: the caller frees
 * it), *len (may be NULL) its length, and *st (may be NULL) fstat of the
 * descriptor read, so checks of the mode apply to the file that was read.
 * On error returns -1, or FILE_TOO_LARGE, with *text NULL, errno saved from
 * the failing call (ENOENT when it does not exist) and "NAME: reason" in err,
 * NAME being `name` (NULL: the reason alone). */
int file_read_text(const char *path, const char *name, size_t max, int flags, char **text,
                   size_t *len, struct stat *st, char *err, size_t errlen);

/* Writes all of buf[0..len) to fd, retrying on EINTR and short writes.
 * Returns 0, or -1 with errno set. */
int file_write_all(int fd, const void *buf, size_t len);

/* Replaces the file at path with text (mode 0600) through a temporary file
 * beside it, fsync and a rename, so a reader sees the old text or the new,
 * never part of one. Returns 0, or -1 with the reason in err. */
int file_replace(const char *path, const char *text, char *err, size_t errlen);

/* Creates the directory dir with mode 0700 (umask notwithstanding), and
 * with parents, any missing directory above it too (0700 as well). An
 * existing directory is left as it is. Returns 0, or -1 with errno set and
 * "cannot create DIR: reason" in err. */
int file_make_dir(const char *dir, bool parents, char *err, size_t errlen);

#endif
