/* sink.c - picks the storage driver for a target URL (see sink.h). */
#include "repo/sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/backup_target.h"
#include "util/clock.h"

static struct sink *open_with(const char *url, const struct config *cfg, long timeout_ms,
                              int attempts, char *err, size_t errlen)
{
	if (!url || !*url) {
		snprintf(err, errlen, "no backup target: set [backup] target or give --target URL");
		return NULL;
	}
	char why[256];
	if (backup_target_check(url, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "target %s %s", url, why);
		return NULL;
	}
	const char *dir = backup_target_file_dir(url);
	if (dir)
		return sink_file_new(url, dir, err, errlen);
	struct backup_target_s3 t;
	if (backup_target_parse_s3(url, &t, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "target %s %s", url, why);
		return NULL;
	}
	/* no trailing slashes: keys are PREFIX/NAME */
	size_t plen = strlen(t.prefix);
	while (plen > 0 && t.prefix[plen - 1] == '/')
		t.prefix[--plen] = '\0';
	struct sink *s =
	    sink_s3_new(url, t.bucket, t.prefix, cfg, timeout_ms, attempts, err, errlen);
	backup_target_s3_free(&t);
	return s;
}

struct sink *sink_open(const char *url, const struct config *cfg, char *err, size_t errlen)
{
	return open_with(url, cfg, 0, 0, err, errlen); /* the S3 client's defaults */
}

struct sink *sink_open_quick(const char *url, const struct config *cfg, char *err, size_t errlen)
{
	long timeout = cfg->app.timeout_ms > 0 ? (long)cfg->app.timeout_ms : 3000;
	int64_t deadline = clock_monotonic_ms() + timeout;
	struct sink *s = open_with(url, cfg, timeout, 2, err, errlen);
	if (s && s->ops->set_deadline)
		s->ops->set_deadline(s, deadline);
	return s;
}

void sink_free(struct sink *s)
{
	if (s)
		s->ops->free(s);
}

void sink_set_cancel(struct sink *s, const atomic_int *flag)
{
	if (s->ops->set_cancel)
		s->ops->set_cancel(s, flag);
}

void sink_set_expected_size(struct sink *s, uint64_t bytes)
{
	if (s->ops->set_expected_size)
		s->ops->set_expected_size(s, bytes);
}

void sink_set_abandon(struct sink *s, const atomic_int *flag)
{
	if (s->ops->set_abandon)
		s->ops->set_abandon(s, flag);
}

bool sink_leftover(struct sink *s, struct sink_leftover *out)
{
	memset(out, 0, sizeof(*out));
	return s->ops->leftover && s->ops->leftover(s, out);
}

void sink_set_log(struct sink *s, void (*log)(void *ctx, const char *line), void *ctx)
{
	if (s->ops->set_log)
		s->ops->set_log(s, log, ctx);
}

int sink_prepare(struct sink *s, char *note, size_t notelen, char *err, size_t errlen)
{
	if (notelen)
		note[0] = '\0';
	return s->ops->prepare ? s->ops->prepare(s, note, notelen, err, errlen) : 0;
}

int sink_put(struct sink *s, const char *key, const void *data, size_t len, char *err,
             size_t errlen)
{
	struct sink_writer *w = s->ops->open(s, key, err, errlen);
	if (!w)
		return -1;
	if (s->ops->write(w, data, len, err, errlen) != 0) {
		s->ops->abort(w);
		return -1;
	}
	return s->ops->finish(w, err, errlen);
}

static int text_collect(void *ctx, const void *data, size_t len)
{
	struct sink_text *b = ctx;
	if (b->len + len > SINK_TEXT_MAX) {
		b->refused = "larger than 64 MiB";
		return -1;
	}
	char *grown = realloc(b->data, b->len + len + 1);
	if (!grown) {
		b->refused = "out of memory";
		return -1;
	}
	b->data = grown;
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int sink_get_text(struct sink *s, const char *key, struct sink_text *text, char *err, size_t errlen)
{
	return s->ops->get(s, key, text_collect, text, err, errlen);
}

void sink_entries_free(struct sink_entry *entries, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(entries[i].key);
		free(entries[i].upload_id);
	}
	free(entries);
}

bool sink_key_valid(const char *key)
{
	if (!key || !*key || *key == '/')
		return false;
	const char *seg = key;
	for (;;) {
		const char *end = strchr(seg, '/');
		size_t n = end ? (size_t)(end - seg) : strlen(seg);
		if (n == 0 || (n == 1 && seg[0] == '.') ||
		    (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return false;
		if (!end)
			return true;
		seg = end + 1;
	}
}

int sink_key_check(const char *key, char *err, size_t errlen)
{
	if (sink_key_valid(key))
		return 0;
	snprintf(err, errlen, "invalid object name '%s'", key);
	return -1;
}

void *sink_writer_alloc(const char *key, size_t size, char *err, size_t errlen)
{
	if (sink_key_check(key, err, errlen) != 0)
		return NULL;
	void *w = calloc(1, size);
	if (!w)
		snprintf(err, errlen, "out of memory");
	return w;
}
