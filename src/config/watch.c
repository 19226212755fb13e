/* watch.c - the configuration file watched for changes (watch.h): a stat(2)
 * per call, and a load into a scratch config only when the file changed. */
#include "config/watch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/redact.h"
#include "util/file.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

/* As config.c reads at most: a larger file is refused there anyway. */
#define CONFIG_WATCH_MAX_SIZE (1024 * 1024)

void config_stamp_read(struct config_stamp *stamp, const char *path)
{
	struct stat st;
	memset(stamp, 0, sizeof(*stamp));
	if (stat(path, &st) < 0)
		return;
	stamp->exists = true;
	stamp->device = st.st_dev;
	stamp->inode = st.st_ino;
	stamp->size = st.st_size;
	stamp->mode = st.st_mode;
	stamp->modified_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	stamp->changed_ns = (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec;
}

bool config_stamp_equal(const struct config_stamp *a, const struct config_stamp *b)
{
	if (!a->exists || !b->exists)
		return a->exists == b->exists;
	return a->device == b->device && a->inode == b->inode && a->size == b->size &&
	       a->mode == b->mode && a->modified_ns == b->modified_ns &&
	       a->changed_ns == b->changed_ns;
}

/* FNV-1a of the file's text, or 0 when it cannot be read. */
static uint64_t config_text_hash(const char *path)
{
	char *text = NULL;
	size_t len = 0;
	char err[256];
	if (file_read_text(path, NULL, CONFIG_WATCH_MAX_SIZE, FILE_READ_NONBLOCK, &text, &len, NULL,
	                   err, sizeof(err)) != 0)
		return 0;
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)text[i];
		h *= 0x100000001b3ULL;
	}
	free(text);
	return h;
}

void config_watch_init(struct config_watch *w, const struct config *cfg)
{
	memset(w, 0, sizeof(*w));
	if (cfg == NULL || cfg->path == NULL || cfg->path[0] == '\0')
		return;
	w->path = xstrdup(cfg->path);
	config_stamp_read(&w->stamp, w->path);
	w->loaded_hash = config_text_hash(w->path);
}

enum config_watch_event config_watch_check(struct config_watch *w, char *msg, size_t msglen)
{
	if (w->path == NULL)
		return CONFIG_WATCH_UNCHANGED;
	struct config_stamp now;
	config_stamp_read(&now, w->path);
	if (config_stamp_equal(&now, &w->stamp))
		return CONFIG_WATCH_UNCHANGED;
	w->stamp = now;
	struct config scratch;
	memset(&scratch, 0, sizeof(scratch));
	char err[1024] = "";
	enum config_watch_event event;
	bool invalid = true;
	if (now.exists && !S_ISREG(now.mode)) /* opening a FIFO would block the caller */
		snprintf(err, sizeof(err), "%s: not a regular file", w->path);
	else if (config_load_file(&scratch, w->path, err, sizeof(err)) == 0)
		invalid = false;
	else if (err[0] == '\0')
		snprintf(err, sizeof(err), "%s: cannot be loaded", w->path);
	if (invalid) {
		/* the new file's passwords are not registered yet: mask URLs too */
		char masked[1024];
		url_redact(masked, sizeof(masked), err);
		snprintf(msg, msglen, "config invalid, still using the loaded one: %s", masked);
		event = CONFIG_WATCH_INVALID;
	} else if (config_text_hash(w->path) == w->loaded_hash) {
		snprintf(msg, msglen, "config %s is valid and the same as the one in use", w->path);
		event = CONFIG_WATCH_IN_USE;
	} else {
		snprintf(msg, msglen, "config %s changed and is valid; restart opsdeck to apply it",
		         w->path);
		event = CONFIG_WATCH_VALID;
	}
	config_free(&scratch);
	sanitize_text(msg, msglen, msg);
	return event;
}

void config_watch_free(struct config_watch *w)
{
	if (w == NULL)
		return;
	free(w->path);
	memset(w, 0, sizeof(*w));
}
