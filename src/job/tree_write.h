/* tree_write.h - writing files below one directory and never outside it:
 * what a files restore (job/restore_files.h) writes with.
 *
 * A path from a manifest is checked (tree_path_valid) before anything is
 * opened; then each directory on the way is opened one segment at a time
 * with openat(O_DIRECTORY | O_NOFOLLOW), so a symbolic link on the way
 * (planted before or during the run) is refused instead of followed. A
 * file is written to a temporary name in its directory (created 0600, with
 * O_EXCL), fsynced, and only then published under its name: by rename
 * when replacing is allowed, else by link, which fails when the name
 * exists; the directory is fsynced after. Missing directories are created
 * 0700. Errors are one line in err naming the path's segment.
 */
#ifndef OPSDECK_JOB_TREE_WRITE_H
#define OPSDECK_JOB_TREE_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Whether path may be written below a root: not empty, relative, no empty,
 * "." or ".." segment, at most 4095 bytes. Pure. */
bool tree_path_valid(const char *path);

/* Opens the root directory (with create, made 0700 with its missing
 * parents first). A descriptor, or -1 with why; with !create, -2 when it
 * does not exist. */
int tree_open_root(const char *dir, bool create, char *err, size_t errlen);

#define TREE_MISSING (-2)

/* Opens the directory that holds path (tree_path_valid) below rootfd,
 * walking its segments without following links; with create, missing
 * ones are made 0700. *name points at path's last segment. A descriptor
 * (the caller closes it), TREE_MISSING when !create and a directory on
 * the way does not exist, or -1 with why (a link or a file on the way). */
int tree_open_parent(int rootfd, const char *path, bool create, const char **name, char *err,
                     size_t errlen);

enum tree_state {
	TREE_ABSENT,
	TREE_FILE,  /* a regular file */
	TREE_OTHER, /* a link, a directory, a device...: never replaced */
};

/* What is at name in dirfd, links not followed. 0, or -1 with why. */
int tree_probe(int dirfd, const char *name, enum tree_state *state, char *err, size_t errlen);

/* A file being written: tree_file_begin, write to fd, then tree_file_commit
 * or tree_file_abort (each closes fd and forgets the temporary name). */
struct tree_file {
	int dirfd; /* borrowed */
	int fd;
	const char *name; /* borrowed */
	char tmp[288];
};

int tree_file_begin(struct tree_file *f, int dirfd, const char *name, mode_t mode, char *err,
                    size_t errlen);
/* fsync, close, publish under name (replacing a regular file only when
 * overwrite; "exists" otherwise), fsync the directory. 0, or -1 with why
 * (the temporary file removed). */
int tree_file_commit(struct tree_file *f, bool overwrite, char *err, size_t errlen);
void tree_file_abort(struct tree_file *f);

#endif
