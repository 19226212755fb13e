/* tree_write.c - writing files below one directory and never outside it
 * (see tree_write.h). */
#include "job/tree_write.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "repo/sink.h"
#include "util/file.h"
#include "util/text.h"

#define TREE_PATH_MAX 4095

bool tree_path_valid(const char *path)
{
	/* the rules of an object name: relative, no empty, "." or ".." segment */
	return sink_key_valid(path) && strlen(path) <= TREE_PATH_MAX;
}

int tree_open_root(const char *dir, bool create, char *err, size_t errlen)
{
	if (create && file_make_dir(dir, true, err, errlen) != 0)
		return -1;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT && !create)
			return TREE_MISSING;
		text_printf(err, errlen, "cannot open %s: %s", dir, strerror(errno));
	}
	return fd;
}

/* One directory below dirfd, never through a link; made 0700 when missing
 * and create. A descriptor, TREE_MISSING, or -1 with why. */
static int open_segment(int dirfd, const char *seg, bool create, char *err, size_t errlen)
{
	for (int tries = 0; tries < 2; tries++) {
		int fd = openat(dirfd, seg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0)
			return fd;
		if (errno == ELOOP || errno == ENOTDIR) {
			/* Linux says ENOTDIR for a link under O_DIRECTORY: look */
			struct stat st;
			bool link =
			    errno == ELOOP || (fstatat(dirfd, seg, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			                       S_ISLNK(st.st_mode));
			text_printf(err, errlen, "%s is %s: refused", seg,
			            link ? "a symbolic link, not followed" : "not a directory");
			return -1;
		}
		if (errno != ENOENT) {
			text_printf(err, errlen, "cannot open %s: %s", seg, strerror(errno));
			return -1;
		}
		if (!create)
			return TREE_MISSING;
		if (mkdirat(dirfd, seg, 0700) != 0 && errno != EEXIST) {
			text_printf(err, errlen, "cannot create %s: %s", seg, strerror(errno));
			return -1;
		}
	}
	text_printf(err, errlen, "cannot open %s: it keeps changing", seg);
	return -1;
}

int tree_open_parent(int rootfd, const char *path, bool create, const char **name, char *err,
                     size_t errlen)
{
	char seg[TREE_PATH_MAX + 1];
	int dirfd = dup(rootfd);
	if (dirfd < 0) {
		text_printf(err, errlen, "cannot open the directory: %s", strerror(errno));
		return -1;
	}
	const char *p = path;
	for (const char *slash; (slash = strchr(p, '/')) != NULL; p = slash + 1) {
		size_t n = (size_t)(slash - p);
		memcpy(seg, p, n);
		seg[n] = '\0';
		int next = open_segment(dirfd, seg, create, err, errlen);
		close(dirfd);
		if (next < 0)
			return next;
		dirfd = next;
	}
	*name = p;
	return dirfd;
}

int tree_probe(int dirfd, const char *name, enum tree_state *state, char *err, size_t errlen)
{
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		if (errno == ENOENT) {
			*state = TREE_ABSENT;
			return 0;
		}
		text_printf(err, errlen, "cannot look at %s: %s", name, strerror(errno));
		return -1;
	}
	*state = S_ISREG(st.st_mode) ? TREE_FILE : TREE_OTHER;
	return 0;
}

int tree_file_begin(struct tree_file *f, int dirfd, const char *name, mode_t mode, char *err,
                    size_t errlen)
{
	static atomic_uint counter;
	f->dirfd = dirfd;
	f->name = name;
	f->fd = -1;
	for (int tries = 0; tries < 16; tries++) {
		/* a hidden name of bounded length next to the file */
		text_printf(f->tmp, sizeof(f->tmp), ".%.200s.opsdeck-%ld-%u", name, (long)getpid(),
		            atomic_fetch_add(&counter, 1));
		f->fd = openat(dirfd, f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		               mode);
		if (f->fd >= 0) {
			/* the mode as asked, umask notwithstanding */
			if (fchmod(f->fd, mode) != 0) {
				text_printf(err, errlen, "cannot set the mode of %s: %s", name,
				            strerror(errno));
				tree_file_abort(f);
				return -1;
			}
			return 0;
		}
		if (errno != EEXIST)
			break;
	}
	text_printf(err, errlen, "cannot create a temporary file for %s: %s", name,
	            strerror(errno));
	f->tmp[0] = '\0';
	return -1;
}

void tree_file_abort(struct tree_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	if (f->tmp[0])
		(void)unlinkat(f->dirfd, f->tmp, 0);
	f->tmp[0] = '\0';
}

int tree_file_commit(struct tree_file *f, bool overwrite, char *err, size_t errlen)
{
	if (fsync(f->fd) != 0) {
		text_printf(err, errlen, "cannot write %s: %s", f->name, strerror(errno));
		goto fail;
	}
	int fd = f->fd;
	f->fd = -1;
	if (close(fd) != 0) {
		text_printf(err, errlen, "cannot write %s: %s", f->name, strerror(errno));
		goto fail;
	}
	enum tree_state state;
	if (tree_probe(f->dirfd, f->name, &state, err, errlen) != 0)
		goto fail;
	if (state == TREE_OTHER) {
		text_printf(err, errlen, "%s exists and is not a regular file: not replaced",
		            f->name);
		goto fail;
	}
	if (overwrite) {
		/* rename replaces the name itself, never what a link points at */
		if (renameat(f->dirfd, f->tmp, f->dirfd, f->name) != 0) {
			text_printf(err, errlen, "cannot rename to %s: %s", f->name,
			            strerror(errno));
			goto fail;
		}
	} else {
		/* link fails when the name exists: no race with another writer */
		if (linkat(f->dirfd, f->tmp, f->dirfd, f->name, 0) != 0) {
			if (errno == EEXIST)
				text_printf(err, errlen, "%s exists (--overwrite replaces it)",
				            f->name);
			else
				text_printf(err, errlen, "cannot create %s: %s", f->name,
				            strerror(errno));
			goto fail;
		}
		(void)unlinkat(f->dirfd, f->tmp, 0);
	}
	f->tmp[0] = '\0';
	if (fsync(f->dirfd) != 0) {
		text_printf(err, errlen, "cannot sync the directory of %s: %s", f->name,
		            strerror(errno));
		return -1;
	}
	return 0;
fail:
	tree_file_abort(f);
	return -1;
}
