/* files_walk.c - walk a source tree by directory descriptors, never
 * following symlinks (see files_walk.h). */
#include "job/files_walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "job/glob.h"

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
/* O_NONBLOCK: a FIFO put in a file's place must not block the open */
#define FILE_FLAGS (O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)

struct walk {
	char *const *patterns;
	size_t pattern_count;
	struct files_list *out;
	size_t cap;
	char *err;
	size_t errlen;
};

static bool wanted(const struct walk *w, const char *rel)
{
	if (w->pattern_count == 0)
		return true;
	for (size_t i = 0; i < w->pattern_count; i++)
		if (glob_match(w->patterns[i], rel))
			return true;
	return false;
}

/* Appends a file, taking path; 0, or -1 (out of memory, path freed). */
static int entry_add(struct walk *w, char *path, uint64_t size)
{
	struct files_list *o = w->out;
	if (o->count == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 256;
		struct files_entry *grown = realloc(o->entries, cap * sizeof(*grown));
		if (!grown) {
			snprintf(w->err, w->errlen, "out of memory listing the source");
			free(path);
			return -1;
		}
		o->entries = grown;
		w->cap = cap;
	}
	o->entries[o->count].path = path;
	o->entries[o->count].size = size;
	o->total_bytes += size;
	o->count++;
	return 0;
}

/* Counts a skipped entry and names the first ones, taking path; 0, or -1
 * (out of memory, path freed). */
static int skip_add(struct walk *w, char *path, bool link)
{
	struct files_list *o = w->out;
	if (link)
		o->skipped_links++;
	else
		o->skipped_other++;
	if (o->skipped_named == FILES_SKIPPED_NAMED) {
		free(path);
		return 0;
	}
	if (!o->skipped) {
		o->skipped = calloc(FILES_SKIPPED_NAMED, sizeof(*o->skipped));
		if (!o->skipped) {
			snprintf(w->err, w->errlen, "out of memory listing the source");
			free(path);
			return -1;
		}
	}
	o->skipped[o->skipped_named].path = path;
	o->skipped[o->skipped_named].link = link;
	o->skipped_named++;
	return 0;
}

static int walk_dir(struct walk *w, int dfd, const char *rel);

/* Opens the subdirectory name of dfd (rel: its path) without following a
 * link and walks it; a directory replaced by a link since readdir is
 * skipped as a link, one that vanished is ignored. Takes rel. */
static int walk_subdir(struct walk *w, int dfd, const char *name, char *rel)
{
	int cfd = openat(dfd, name, DIR_FLAGS);
	struct stat st;
	if (cfd < 0 && errno == ENOENT) {
		free(rel);
		return 0;
	}
	if (cfd < 0 && (errno == ELOOP || errno == ENOTDIR) &&
	    fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return skip_add(w, rel, S_ISLNK(st.st_mode));
	if (cfd < 0 || fstat(cfd, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(w->err, w->errlen, "cannot read %s: %s", rel,
		         cfd < 0 ? strerror(errno) : "not a directory");
		if (cfd >= 0)
			close(cfd);
		free(rel);
		return -1;
	}
	int rc = walk_dir(w, cfd, rel);
	free(rel);
	return rc;
}

/* dfd: an open directory (owned, closed here); rel: its path ("" at top). */
static int walk_dir(struct walk *w, int dfd, const char *rel)
{
	DIR *d = fdopendir(dfd);
	if (!d) {
		snprintf(w->err, w->errlen, "cannot read %s: %s", *rel ? rel : ".",
		         strerror(errno));
		close(dfd);
		return -1;
	}
	int rc = 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char *child = NULL;
		if (asprintf(&child, "%s%s%s", rel, *rel ? "/" : "", de->d_name) < 0) {
			snprintf(w->err, w->errlen, "out of memory listing the source");
			rc = -1;
			break;
		}
		struct stat st;
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			/* vanished since readdir: not an error */
			free(child);
			continue;
		}
		if (S_ISDIR(st.st_mode))
			rc = walk_subdir(w, dfd, de->d_name, child);
		else if (S_ISREG(st.st_mode) && wanted(w, child))
			rc = entry_add(w, child, (uint64_t)st.st_size);
		else if (S_ISREG(st.st_mode))
			free(child);
		else
			rc = skip_add(w, child, S_ISLNK(st.st_mode));
	}
	closedir(d);
	return rc;
}

static int entry_compare(const void *a, const void *b)
{
	return strcmp(((const struct files_entry *)a)->path, ((const struct files_entry *)b)->path);
}

static int skip_compare(const void *a, const void *b)
{
	return strcmp(((const struct files_skip *)a)->path, ((const struct files_skip *)b)->path);
}

int files_walk(const char *source, char *const *patterns, size_t pattern_count,
               struct files_list *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	out->root_fd = open(source, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (out->root_fd < 0) {
		snprintf(err, errlen, "cannot read the source directory %s: %s", source,
		         strerror(errno));
		return -1;
	}
	out->root_open = true;
	/* the walk closes its descriptor: it gets its own */
	int dfd = fcntl(out->root_fd, F_DUPFD_CLOEXEC, 0);
	if (dfd < 0) {
		snprintf(err, errlen, "cannot read the source directory %s: %s", source,
		         strerror(errno));
		files_list_free(out);
		return -1;
	}
	struct walk w = {.patterns = patterns,
	                 .pattern_count = pattern_count,
	                 .out = out,
	                 .err = err,
	                 .errlen = errlen};
	if (walk_dir(&w, dfd, "") != 0) {
		files_list_free(out);
		return -1;
	}
	if (out->count)
		qsort(out->entries, out->count, sizeof(*out->entries), entry_compare);
	if (out->skipped_named)
		qsort(out->skipped, out->skipped_named, sizeof(*out->skipped), skip_compare);
	return 0;
}

/* The reason an open of name in dfd failed with err_no, for a backup's
 * list of failures. */
static void open_failure(int dfd, const char *name, int err_no, bool directory, char *err,
                         size_t errlen)
{
	struct stat st;
	if ((err_no == ELOOP || err_no == ENOTDIR) &&
	    fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
		snprintf(err, errlen, "%s '%s' is now a symbolic link: not followed",
		         directory ? "directory" : "file", name);
	else
		snprintf(err, errlen, "cannot open %s'%s': %s", directory ? "directory " : "", name,
		         strerror(err_no));
}

int files_open(const struct files_list *list, size_t index, char *err, size_t errlen)
{
	if (!list->root_open || index >= list->count) {
		snprintf(err, errlen, "not in the list of files");
		return -1;
	}
	char *path = strdup(list->entries[index].path);
	if (!path) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int dfd = list->root_fd, fd = -1;
	char *name = path;
	for (char *slash; (slash = strchr(name, '/')) != NULL; name = slash + 1) {
		*slash = '\0';
		int next = openat(dfd, name, DIR_FLAGS);
		if (next < 0) {
			open_failure(dfd, name, errno, true, err, errlen);
			goto done;
		}
		if (dfd != list->root_fd)
			close(dfd);
		dfd = next;
	}
	fd = openat(dfd, name, FILE_FLAGS);
	if (fd < 0) {
		open_failure(dfd, name, errno, false, err, errlen);
		goto done;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%s' is no longer a regular file", name);
		close(fd);
		fd = -1;
	}
done:
	if (dfd != list->root_fd)
		close(dfd);
	free(path);
	return fd;
}

void files_list_free(struct files_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->entries[i].path);
	free(list->entries);
	for (size_t i = 0; i < list->skipped_named; i++)
		free(list->skipped[i].path);
	free(list->skipped);
	if (list->root_open)
		close(list->root_fd);
	memset(list, 0, sizeof(*list));
}
