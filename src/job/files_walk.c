/* files_walk.c - walk a source tree without following symlinks (see
 * files_walk.h). */
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
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char *child = NULL;
		if (asprintf(&child, "%s%s%s", rel, *rel ? "/" : "", de->d_name) < 0) {
			rc = -1;
			break;
		}
		struct stat st;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			/* vanished since readdir: not an error */
			free(child);
			continue;
		}
		if (S_ISLNK(st.st_mode)) {
			w->out->skipped_links++;
		} else if (S_ISDIR(st.st_mode)) {
			int cfd = openat(dirfd(d), de->d_name,
			                 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (cfd < 0) {
				snprintf(w->err, w->errlen, "cannot read %s: %s", child,
				         strerror(errno));
				rc = -1;
			} else {
				rc = walk_dir(w, cfd, child);
			}
		} else if (S_ISREG(st.st_mode)) {
			if (wanted(w, child)) {
				struct files_list *o = w->out;
				if (o->count == w->cap) {
					w->cap = w->cap ? w->cap * 2 : 256;
					o->entries =
					    realloc(o->entries, w->cap * sizeof(*o->entries));
				}
				o->entries[o->count].path = child;
				o->entries[o->count].size = (uint64_t)st.st_size;
				o->total_bytes += (uint64_t)st.st_size;
				o->count++;
				child = NULL;
			}
		} else {
			w->out->skipped_other++;
		}
		free(child);
		if (rc != 0)
			break;
	}
	closedir(d);
	return rc;
}

static int entry_compare(const void *a, const void *b)
{
	return strcmp(((const struct files_entry *)a)->path, ((const struct files_entry *)b)->path);
}

int files_walk(const char *source, char *const *patterns, size_t pattern_count,
               struct files_list *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	int dfd = open(source, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		snprintf(err, errlen, "cannot read the source directory %s: %s", source,
		         strerror(errno));
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
	return 0;
}

void files_list_free(struct files_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->entries[i].path);
	free(list->entries);
	memset(list, 0, sizeof(*list));
}
