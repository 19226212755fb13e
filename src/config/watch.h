/* watch.h - tell the operator when the configuration file changes on disk.
 *
 * The dashboard keeps the configuration it loaded at start for as long as it
 * runs (probe threads, recovery actions and backups hold pointers into it),
 * and tells the operator when the file changes on disk: whether the new file
 * is invalid (with the loader's file:line message) or valid, in which case a
 * restart applies it. Only the file itself is watched, not env_file. */
#ifndef OPSDECK_CONFIG_WATCH_H
#define OPSDECK_CONFIG_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config/config.h"

/* What stat(2) says of a file; two stamps differ when the file was
 * rewritten, replaced, truncated or had its mode changed. */
struct config_stamp {
	bool exists;
	dev_t device;
	ino_t inode;
	off_t size;
	mode_t mode;
	int64_t modified_ns;
	int64_t changed_ns;
};

/* Fills *stamp from stat(path); exists is false when stat fails. */
void config_stamp_read(struct config_stamp *stamp, const char *path);

bool config_stamp_equal(const struct config_stamp *a, const struct config_stamp *b);

enum config_watch_event {
	CONFIG_WATCH_UNCHANGED, /* the file is as last seen */
	CONFIG_WATCH_INVALID,   /* changed, and the loader refuses it */
	CONFIG_WATCH_VALID,     /* changed, valid, differs from the one in use */
	CONFIG_WATCH_IN_USE,    /* changed, valid, the same text as the one in use */
};

struct config_watch {
	char *path; /* NULL: built-in defaults, nothing to watch */
	struct config_stamp stamp;
	uint64_t loaded_hash; /* of the text in use */
};

/* Starts watching the file cfg was loaded from (nothing when cfg->path is
 * ""). The caller frees with config_watch_free. */
void config_watch_init(struct config_watch *w, const struct config *cfg);

/* One stat(2) when nothing changed; on a change, loads the file into a
 * scratch config (never touching the one in use) and returns what it found,
 * with one line for the operator in msg (file:line and the reason for an
 * invalid file; passwords masked). Returns CONFIG_WATCH_UNCHANGED, msg
 * untouched, when the file is as last seen. */
enum config_watch_event config_watch_check(struct config_watch *w, char *msg, size_t msglen);

void config_watch_free(struct config_watch *w);

#endif
