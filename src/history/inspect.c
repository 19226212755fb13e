/* inspect.c - the history as status and diagnose see it (inspect.h). */
#include "history/inspect.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "history/lock.h"
#include "history/store.h"
#include "util/sanitize.h"
#include "util/text.h"
#include "util/xalloc.h"

/* The directory itself, or when it does not exist yet its nearest
 * existing ancestor: where the recorder has to write. */
static char *existing_ancestor(const char *dir)
{
	char *path = xstrdup(dir);
	struct stat st;
	while (stat(path, &st) < 0 && errno == ENOENT) {
		char *slash = strrchr(path, '/');
		if (!slash || slash == path) {
			path[1] = '\0';
			break;
		}
		*slash = '\0';
	}
	return path;
}

/* Why the recorder could not write in dir, into problem ("" when it can). */
static void inspect_writable(const char *dir, char *problem, size_t size)
{
	char *where = existing_ancestor(dir);
	struct stat st;
	struct statvfs vfs;
	if (stat(where, &st) < 0)
		text_printf(problem, size, "cannot read %s: %s", where, strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		text_printf(problem, size, "%s is not a directory", where);
	else if (access(where, W_OK | X_OK) < 0)
		text_printf(problem, size, "cannot write to %s: %s", where, strerror(errno));
	else if (statvfs(where, &vfs) == 0 &&
	         (uint64_t)vfs.f_bavail * vfs.f_frsize < HISTORY_MIN_FREE_BYTES)
		text_printf(problem, size, "the file system of %s is full", where);
	free(where);
}

void history_inspect(const struct config *cfg, struct history_status *out)
{
	memset(out, 0, sizeof(*out));
	out->looked = true;
	out->enabled = cfg->history.enabled;
	const char *dir = cfg->history.dir ? cfg->history.dir : "";
	sanitize_text(out->dir, sizeof(out->dir), dir);
	if (!out->enabled)
		return;
	char problem[1024] = "", err[1024];
	if (!*dir) {
		text_copy(problem, "[history] dir is not set and there is no home directory",
		          sizeof(problem));
		goto done;
	}
	struct history_lock_holder holder;
	if (history_lock_probe(dir, HISTORY_RECORD_LOCK, &holder, err, sizeof(err)) > 0) {
		out->recorder_pid = holder.pid > 0 ? (int)holder.pid : -1;
		text_copy(out->recorder_role, holder.role, sizeof(out->recorder_role));
	}
	inspect_writable(dir, problem, sizeof(problem));
	char *db = xasprintf("%s/history.db", dir);
	bool exists = access(db, F_OK) == 0;
	free(db);
	struct history_store *store = NULL;
	char warning[16];
	if (exists && history_store_open(&store, dir, HISTORY_OPEN_READ, warning, sizeof(warning),
	                                 err, sizeof(err)) == 0) {
		struct history_span span;
		if (history_store_span(store, &span) == 0) {
			out->records = span.count;
			out->oldest_ms = span.first_ms;
			out->newest_ms = span.last_ms;
		} else if (!problem[0]) {
			text_copy(problem, history_store_error(store), sizeof(problem));
		}
		history_store_close(store);
	} else if (exists && !problem[0]) {
		text_copy(problem, err, sizeof(problem));
	}
done:
	sanitize_text(out->problem, sizeof(out->problem), problem);
}
