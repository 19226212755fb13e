/* files_walk.h - the files a file backup takes: regular files under a source
 * directory whose relative path matches one of the patterns (job/glob.h).
 *
 * The source directory is opened once; every directory below it and every
 * file is then opened relative to its parent's descriptor with O_NOFOLLOW,
 * one path component at a time, and checked with fstat on what was opened.
 * No path is resolved twice, so a symbolic link is never followed (neither
 * to a file nor to a directory), not even one that replaces a directory
 * while the backup runs: nothing outside the source tree is ever read.
 * Symbolic links and other non-regular files (sockets, devices, FIFOs) are
 * skipped, counted and named. The list is sorted by path, so runs are
 * reproducible. The source itself may be a symbolic link (the operator's
 * configuration names it); it is resolved once, by files_walk.
 */
#ifndef OPSDECK_JOB_FILES_WALK_H
#define OPSDECK_JOB_FILES_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* At most this many skipped entries are named; the counts stay exact. */
#define FILES_SKIPPED_NAMED 100

struct files_entry {
	char *path;    /* relative to the source, '/' separated */
	uint64_t size; /* at the time of the walk */
};

struct files_skip {
	char *path; /* relative to the source */
	bool link;  /* a symbolic link; otherwise not a regular file */
};

struct files_list {
	struct files_entry *entries;
	size_t count;
	size_t skipped_links;
	size_t skipped_other;
	uint64_t total_bytes;
	/* the first FILES_SKIPPED_NAMED skipped entries, sorted by path */
	struct files_skip *skipped;
	size_t skipped_named;
	/* the source directory, open while root_open (files_open uses it) */
	int root_fd;
	bool root_open;
};

/* Walks source; 0, or -1 with a reason (source missing or unreadable; an
 * unreadable subdirectory is also an error: a backup must not silently
 * miss files). patterns: count of them; none means every file. On success
 * out owns the source's descriptor until files_list_free. */
int files_walk(const char *source, char *const *patterns, size_t pattern_count,
               struct files_list *out, char *err, size_t errlen);

/* Opens list->entries[index] for reading, from the source directory that
 * files_walk opened, one component at a time and never through a symbolic
 * link. Returns a descriptor of a regular file (the caller closes it), or
 * -1 with a reason when the entry vanished or was replaced by anything else
 * (a symbolic link, a directory, a FIFO) since the walk. Thread-safe. */
int files_open(const struct files_list *list, size_t index, char *err, size_t errlen);

/* Frees the list and closes the source; a zeroed list is fine. */
void files_list_free(struct files_list *list);

#endif
