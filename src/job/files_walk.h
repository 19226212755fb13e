/* files_walk.h - the files a file backup takes: regular files under a source
 * directory whose relative path matches one of the patterns (job/glob.h).
 *
 * Symbolic links are never followed (neither to files nor to directories),
 * so nothing outside the source tree is ever read; they are counted as
 * skipped. Other non-regular files (sockets, devices, FIFOs) are skipped
 * too. The list is sorted by path, so runs are reproducible.
 */
#ifndef OPSDECK_JOB_FILES_WALK_H
#define OPSDECK_JOB_FILES_WALK_H

#include <stddef.h>
#include <stdint.h>

struct files_entry {
	char *path;    /* relative to the source, '/' separated */
	uint64_t size; /* at the time of the walk */
};

struct files_list {
	struct files_entry *entries;
	size_t count;
	size_t skipped_links;
	size_t skipped_other;
	uint64_t total_bytes;
};

/* Walks source; 0, or -1 with a reason (source missing or unreadable; an
 * unreadable subdirectory is also an error: a backup must not silently
 * miss files). patterns: count of them; none means every file. */
int files_walk(const char *source, char *const *patterns, size_t pattern_count,
               struct files_list *out, char *err, size_t errlen);
void files_list_free(struct files_list *list);

#endif
