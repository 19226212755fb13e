/* sink_file.c - the file:// storage driver: a local directory.
 *
 * An object is written to DIR/KEY.partial, fsynced, renamed to DIR/KEY and
 * the directory fsynced, so a crash or a full disk never leaves a file that
 * looks complete. The .partial is created with O_EXCL and the rename never
 * replaces a file (RENAME_NOREPLACE, or link + unlink), so two runs that
 * chose the same key fail instead of publishing each other's bytes.
 * A missing DIR and the parent directories of a key are created (0700).
 * Files are created 0600: backups hold the whole database. A .partial this
 * process created is also removed when util/xalloc.h gives up for lack of
 * memory in the middle of a write (at_quick_exit), so that no half-written
 * file is left.
 */
#include "repo/sink.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/file.h"
#include "util/sanitize.h"
#include "util/strbuf.h"

struct file_sink {
	struct sink base;
	char *dir;
	/* .partial files that could not be removed: the first one, and how many */
	pthread_mutex_t leftover_lock;
	struct sink_leftover leftover;
};

struct sink_writer {
	struct file_sink *sink;
	int fd;
	char *path;
	char *partial;
	struct sink_writer *prev, *next; /* in partials_open while .partial exists */
};

/* The writers whose .partial exists, for partials_remove at quick_exit. The
 * lock is held only around creating a .partial and the list operations,
 * which never allocate, so an exit from any thread finds it free soon; once
 * the exit has begun, no .partial is created any more. */
static pthread_mutex_t partials_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t partials_once = PTHREAD_ONCE_INIT;
static struct sink_writer *partials_open;
static bool partials_exiting;

static void partials_remove(void)
{
	pthread_mutex_lock(&partials_lock);
	partials_exiting = true;
	for (struct sink_writer *w = partials_open; w; w = w->next)
		unlink(w->partial);
	pthread_mutex_unlock(&partials_lock);
}

static void partials_register(void)
{
	/* It can fail only for lack of memory; then such an exit may leave a
	 * .partial, which listings ignore and the next write of its key
	 * replaces. */
	(void)at_quick_exit(partials_remove);
}

/* Creates w->partial, never following a link, and tracks it: the
 * descriptor, or -1 with errno. */
static int partial_create(struct sink_writer *w)
{
	pthread_once(&partials_once, partials_register);
	pthread_mutex_lock(&partials_lock);
	int fd = -1;
	if (partials_exiting)
		errno = ECANCELED;
	else
		fd = open(w->partial, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0) {
		w->next = partials_open;
		if (partials_open)
			partials_open->prev = w;
		partials_open = w;
	}
	pthread_mutex_unlock(&partials_lock);
	return fd;
}

static void partials_untrack(struct sink_writer *w)
{
	pthread_mutex_lock(&partials_lock);
	if (w->prev)
		w->prev->next = w->next;
	else if (partials_open == w)
		partials_open = w->next;
	if (w->next)
		w->next->prev = w->prev;
	w->prev = w->next = NULL;
	pthread_mutex_unlock(&partials_lock);
}

static int make_parents(const char *path, char *err, size_t errlen)
{
	char *copy = strdup(path);
	int rc = 0;
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (char *p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0700) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "cannot create %s: %s", copy, strerror(errno));
			rc = -1;
			break;
		}
		*p = '/';
	}
	free(copy);
	return rc;
}

static struct sink_writer *file_open(struct sink *s, const char *key, char *err, size_t errlen)
{
	struct file_sink *fs = (struct file_sink *)s;
	struct sink_writer *w = sink_writer_alloc(key, sizeof(*w), err, errlen);
	if (!w)
		return NULL;
	w->sink = fs;
	w->fd = -1;
	if (asprintf(&w->path, "%s/%s", fs->dir, key) < 0 ||
	    asprintf(&w->partial, "%s.partial", w->path) < 0) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (make_parents(w->path, err, errlen) != 0)
		goto fail;
	struct stat st;
	if (lstat(w->path, &st) == 0) {
		snprintf(err, errlen, "cannot create %s: it exists already", w->path);
		goto fail;
	}
	/* O_EXCL: a .partial that is there belongs to another run writing the
	 * same key (or to a killed one); it is never removed or followed. */
	w->fd = partial_create(w);
	if (w->fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", w->partial,
		         errno == EEXIST ? "another run is writing it, or a killed one left it"
		                         : strerror(errno));
		goto fail;
	}
	return w;
fail:
	free(w->path);
	free(w->partial);
	free(w);
	return NULL;
}

static int file_write(struct sink_writer *w, const void *data, size_t len, char *err, size_t errlen)
{
	if (file_write_all(w->fd, data, len) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", w->partial, strerror(errno));
		return -1;
	}
	return 0;
}

static void writer_free(struct sink_writer *w)
{
	partials_untrack(w);
	free(w->path);
	free(w->partial);
	free(w);
}

/* Records a .partial the abort could not remove (errnum: why). */
static void leftover_note(struct sink_writer *w, int errnum)
{
	struct file_sink *fs = w->sink;
	size_t dlen = strlen(fs->dir);
	const char *key = strncmp(w->path, fs->dir, dlen) == 0 && w->path[dlen] == '/'
	                      ? w->path + dlen + 1
	                      : w->path;
	pthread_mutex_lock(&fs->leftover_lock);
	if (fs->leftover.count++ == 0) {
		char raw[sizeof(fs->leftover.text)];
		snprintf(raw, sizeof(raw), "the unfinished file %s could not be removed: %s",
		         w->partial, strerror(errnum));
		sanitize_text(fs->leftover.text, sizeof(fs->leftover.text), raw);
		sanitize_text(fs->leftover.key, sizeof(fs->leftover.key), key);
	}
	pthread_mutex_unlock(&fs->leftover_lock);
}

static void file_abort(struct sink_writer *w)
{
	if (w->fd >= 0)
		(void)close(w->fd); /* the file is thrown away: its data does not matter */
	if (unlink(w->partial) != 0 && errno != ENOENT)
		leftover_note(w, errno);
	writer_free(w);
}

/* Renames partial to path unless path exists. RENAME_NOREPLACE where the
 * kernel and the filesystem have it; else link(2), which fails on an
 * existing path too, then unlink(2) of the partial. 0, or -1 with errno. */
static int publish(const char *partial, const char *path)
{
#ifdef HAVE_RENAMEAT2
	if (renameat2(AT_FDCWD, partial, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		return -1;
#endif
	if (link(partial, path) != 0)
		return -1;
	/* The object is in place; a .partial name left beside it is ignored by
	 * the listing and only keeps its name from being chosen again. */
	(void)unlink(partial);
	return 0;
}

static int file_finish(struct sink_writer *w, char *err, size_t errlen)
{
	if (fsync(w->fd) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", w->partial, strerror(errno));
		goto fail;
	}
	int fd = w->fd;
	w->fd = -1;
	if (close(fd) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", w->partial, strerror(errno));
		goto fail;
	}
	if (publish(w->partial, w->path) != 0) {
		snprintf(err, errlen, "cannot rename %s: %s", w->partial,
		         errno == EEXIST ? "another run wrote that key" : strerror(errno));
		goto fail;
	}
	/* make the rename itself durable */
	char *slash = strrchr(w->path, '/');
	*slash = '\0';
	int dfd = open(w->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	*slash = '/';
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	writer_free(w);
	return 0;
fail:
	file_abort(w);
	return -1;
}

/* Doubles the room of a listing; -1, with the listing unchanged, when out of
 * memory. */
static int entries_grow(struct sink_entry **entries, size_t *cap)
{
	size_t more = *cap ? *cap * 2 : 64;
	struct sink_entry *grown = realloc(*entries, more * sizeof(**entries));
	if (!grown)
		return -1;
	*entries = grown;
	*cap = more;
	return 0;
}

/* The regular files under root/rel, recursively: the objects, or (partial)
 * only the NAME.partial files, as NAME. */
static int list_dir(const char *root, const char *rel, bool partial, struct sink_entry **entries,
                    size_t *count, size_t *cap, char *err, size_t errlen)
{
	char *path = NULL;
	if (asprintf(&path, "%s%s%s", root, *rel ? "/" : "", rel) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	DIR *d = opendir(path);
	if (!d) {
		snprintf(err, errlen, "cannot list %s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	int rc = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char *child_rel = NULL, *child = NULL;
		if (asprintf(&child_rel, "%s%s%s", rel, *rel ? "/" : "", de->d_name) < 0 ||
		    asprintf(&child, "%s/%s", root, child_rel) < 0) {
			snprintf(err, errlen, "out of memory");
			free(child_rel);
			rc = -1;
			break;
		}
		struct stat st;
		if (lstat(child, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				rc = list_dir(root, child_rel, partial, entries, count, cap, err,
				              errlen);
			} else if (S_ISREG(st.st_mode)) {
				size_t n = strlen(child_rel);
				bool is_partial =
				    n >= 8 && strcmp(child_rel + n - 8, ".partial") == 0;
				if (is_partial == partial) {
					if (is_partial)
						child_rel[n - 8] = '\0';
					if (*count == *cap && entries_grow(entries, cap) != 0) {
						snprintf(err, errlen, "out of memory");
						rc = -1;
						goto next;
					}
					(*entries)[*count].key = child_rel;
					(*entries)[*count].upload_id = NULL;
					(*entries)[*count].size = (uint64_t)st.st_size;
					(*entries)[*count].modified_ms =
					    (int64_t)st.st_mtim.tv_sec * 1000 +
					    st.st_mtim.tv_nsec / 1000000;
					(*count)++;
					child_rel = NULL;
				}
			}
		}
	next:
		free(child_rel);
		free(child);
		if (rc != 0)
			break;
	}
	closedir(d);
	free(path);
	return rc;
}

static int list_files(struct file_sink *fs, bool partial, struct sink_entry **entries,
                      size_t *count, char *err, size_t errlen)
{
	size_t cap = 0;
	*entries = NULL;
	*count = 0;
	if (access(fs->dir, F_OK) != 0 && errno == ENOENT) {
		snprintf(err, errlen,
		         "the target directory %s does not exist (a backup creates it)", fs->dir);
		return -1;
	}
	if (list_dir(fs->dir, "", partial, entries, count, &cap, err, errlen) != 0) {
		sink_entries_free(*entries, *count);
		*entries = NULL;
		*count = 0;
		return -1;
	}
	return 0;
}

static int file_list(struct sink *s, struct sink_entry **entries, size_t *count, char *err,
                     size_t errlen)
{
	return list_files((struct file_sink *)s, false, entries, count, err, errlen);
}

static int file_unfinished(struct sink *s, struct sink_entry **entries, size_t *count, char *err,
                           size_t errlen)
{
	return list_files((struct file_sink *)s, true, entries, count, err, errlen);
}

static int file_discard(struct sink *s, const struct sink_entry *e, char *err, size_t errlen)
{
	struct file_sink *fs = (struct file_sink *)s;
	char *path = NULL;
	if (sink_key_check(e->key, err, errlen) != 0)
		return -1;
	if (asprintf(&path, "%s/%s.partial", fs->dir, e->key) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = unlink(path) == 0 || errno == ENOENT ? 0 : -1;
	if (rc != 0)
		snprintf(err, errlen, "cannot remove %s: %s", path, strerror(errno));
	free(path);
	return rc;
}

static int file_get(struct sink *s, const char *key,
                    int (*on_data)(void *ctx, const void *data, size_t len), void *ctx, char *err,
                    size_t errlen)
{
	struct file_sink *fs = (struct file_sink *)s;
	if (sink_key_check(key, err, errlen) != 0)
		return -1;
	char *path = NULL;
	if (asprintf(&path, "%s/%s", fs->dir, key) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = -1;
	char *buf = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		goto done;
	}
	size_t bufsize = 256 * 1024;
	buf = malloc(bufsize);
	if (!buf) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	for (;;) {
		ssize_t n = read(fd, buf, bufsize);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		if (on_data(ctx, buf, (size_t)n) != 0) {
			snprintf(err, errlen, "%s: stopped while reading", path);
			goto done;
		}
	}
	rc = 0;
done:
	if (fd >= 0)
		close(fd);
	free(buf);
	free(path);
	return rc;
}

static int file_remove(struct sink *s, const char *key, char *err, size_t errlen)
{
	struct file_sink *fs = (struct file_sink *)s;
	char *path = NULL;
	if (sink_key_check(key, err, errlen) != 0)
		return -1;
	if (asprintf(&path, "%s/%s", fs->dir, key) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = unlink(path);
	if (rc != 0)
		snprintf(err, errlen, "cannot remove %s: %s", path, strerror(errno));
	/* the directories of key it left empty go too (a files backup's);
	 * the first one that is not empty stops it */
	for (char *slash = strrchr(path, '/'); rc == 0 && slash && slash > path + strlen(fs->dir);
	     slash = strrchr(path, '/')) {
		*slash = '\0';
		if (rmdir(path) != 0)
			break;
	}
	free(path);
	return rc == 0 ? 0 : -1;
}

static int file_taken(struct sink *s, const char *name, bool *taken, char *err, size_t errlen)
{
	struct file_sink *fs = (struct file_sink *)s;
	*taken = false;
	if (sink_key_check(name, err, errlen) != 0)
		return -1;
	const char *slash = strrchr(name, '/');
	const char *base = slash ? slash + 1 : name;
	char *dir = NULL;
	if (asprintf(&dir, "%s/%.*s", fs->dir, slash ? (int)(slash - name) : 0, name) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	DIR *d = opendir(dir);
	if (!d) {
		int e = errno;
		if (e != ENOENT)
			snprintf(err, errlen, "cannot list %s: %s", dir, strerror(e));
		free(dir);
		return e == ENOENT ? 0 : -1;
	}
	size_t n = strlen(base);
	struct dirent *de;
	while (!*taken && (de = readdir(d)) != NULL)
		*taken = strncmp(de->d_name, base, n) == 0;
	closedir(d);
	free(dir);
	return 0;
}

/* 0 when dir is a directory, 1 when it does not exist (yet), -1 with why. */
static int target_check(const char *url, const char *dir, char *err, size_t errlen)
{
	struct stat st;
	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		snprintf(err, errlen, "target %s: %s exists and is not a directory", url, dir);
		return -1;
	}
	if (errno == ENOENT)
		return 1;
	snprintf(err, errlen, "target %s: cannot use %s: %s", url, dir, strerror(errno));
	return -1;
}

static int file_prepare(struct sink *s, char *note, size_t notelen, char *err, size_t errlen)
{
	struct file_sink *fs = (struct file_sink *)s;
	int state = target_check(fs->base.url, fs->dir, err, errlen);
	if (state <= 0)
		return state;
	if (make_parents(fs->dir, err, errlen) != 0)
		return -1;
	if (mkdir(fs->dir, 0700) == 0) {
		snprintf(note, notelen, "created the target directory %s (mode 0700)", fs->dir);
		return 0;
	}
	if (errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", fs->dir, strerror(errno));
		return -1;
	}
	/* another run may have created it in the meantime */
	state = target_check(fs->base.url, fs->dir, err, errlen);
	if (state > 0)
		snprintf(err, errlen, "cannot create %s: a dangling symbolic link is in the way",
		         fs->dir);
	return state == 0 ? 0 : -1;
}

static bool file_leftover(struct sink *s, struct sink_leftover *out)
{
	struct file_sink *fs = (struct file_sink *)s;
	pthread_mutex_lock(&fs->leftover_lock);
	*out = fs->leftover;
	pthread_mutex_unlock(&fs->leftover_lock);
	return out->count > 0;
}

static void file_free(struct sink *s)
{
	struct file_sink *fs = (struct file_sink *)s;
	pthread_mutex_destroy(&fs->leftover_lock);
	free(fs->dir);
	free(fs->base.url);
	free(fs);
}

static const struct sink_ops FILE_OPS = {
    .scheme = "file",
    .open = file_open,
    .write = file_write,
    .finish = file_finish,
    .abort = file_abort,
    .list = file_list,
    .unfinished = file_unfinished,
    .discard = file_discard,
    .get = file_get,
    .remove = file_remove,
    .taken = file_taken,
    .prepare = file_prepare,
    .free = file_free,
    .leftover = file_leftover,
};

struct sink *sink_file_new(const char *url, const char *dir, char *err, size_t errlen)
{
	if (target_check(url, dir, err, errlen) < 0)
		return NULL;
	struct file_sink *fs = calloc(1, sizeof(*fs));
	if (fs)
		pthread_mutex_init(&fs->leftover_lock, NULL);
	if (!fs || !(fs->base.url = strdup(url)) || !(fs->dir = strdup(dir))) {
		snprintf(err, errlen, "out of memory");
		if (fs)
			file_free(&fs->base);
		return NULL;
	}
	fs->base.ops = &FILE_OPS;
	fs->base.display = fs->base.url;
	size_t n = strlen(fs->dir);
	while (n > 1 && fs->dir[n - 1] == '/')
		fs->dir[--n] = '\0';
	return &fs->base;
}
