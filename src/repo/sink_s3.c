/* sink_s3.c - the S3 storage driver, on the client of s3/s3.h.
 *
 * A writer buffers one part; an object that ends within the first part goes
 * up as a single PUT. Past that it becomes a multipart upload: each full
 * part is uploaded on its own thread while the caller fills the next, with
 * at most S3_INFLIGHT uploads at once, so memory stays at S3_INFLIGHT + 1
 * parts. The part size (s3_part_size) is fixed for a stream of the size the
 * caller expects (sink_set_expected_size; 8 MiB when unknown), so the
 * buffers do not grow; only a stream far larger than expected gets larger
 * parts, so it still fits in 10,000.
 * finish completes the upload (the client checks for an <Error> in a 200);
 * any failure aborts it. An abort that fails (a hung server after a
 * cancel, a second signal) is remembered for sink_leftover, with the bucket,
 * the key and the upload id an operator needs to remove it.
 */
#include "repo/sink.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s3/s3.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

#define S3_INFLIGHT 2

struct s3_sink {
	struct sink base;
	struct s3_client *client;
	char *bucket;
	char *prefix; /* "" or "backups/shop" */
	const atomic_int *cancel;
	uint64_t expected; /* bytes a new writer expects (sink_set_expected_size), 0 unknown */
	/* uploads that could not be aborted: the first one, and how many */
	pthread_mutex_t leftover_lock;
	struct sink_leftover leftover;
};

struct part_upload {
	bool busy;
	pthread_t thread;
	struct s3_multipart *mp;
	int number;
	unsigned char *data;
	size_t len;
	int rc;
	char err[256];
};

struct sink_writer {
	struct s3_sink *sink;
	char *key; /* full key, with the prefix */
	unsigned char *buf;
	size_t len;
	size_t cap;
	int next_part;     /* 1-based number of the part in buf */
	uint64_t expected; /* the stream's expected size, for s3_part_size */
	struct s3_multipart *mp;
	struct part_upload uploads[S3_INFLIGHT];
	int oldest; /* index of the oldest busy upload */
	bool failed;
	char err[256];
};

static size_t part_size(const struct sink_writer *w, int number)
{
	return s3_part_size(w->expected, number);
}

static char *full_key(const struct s3_sink *s, const char *key)
{
	char *k = NULL;
	if (asprintf(&k, "%s%s%s", s->prefix, *s->prefix ? "/" : "", key) < 0)
		return NULL;
	return k;
}

static void *upload_main(void *arg)
{
	struct part_upload *u = arg;
	u->rc = s3_multipart_upload_part(u->mp, u->number, u->data, u->len, u->err, sizeof(u->err));
	return NULL;
}

/* Waits for one upload; records its failure in the writer. */
static void upload_join(struct sink_writer *w, struct part_upload *u)
{
	if (!u->busy)
		return;
	pthread_join(u->thread, NULL);
	u->busy = false;
	free(u->data);
	u->data = NULL;
	if (u->rc != 0 && !w->failed) {
		w->failed = true;
		snprintf(w->err, sizeof(w->err), "%s", u->err);
	}
}

static void uploads_join_all(struct sink_writer *w)
{
	for (int i = 0; i < S3_INFLIGHT; i++)
		upload_join(w, &w->uploads[(w->oldest + i) % S3_INFLIGHT]);
	w->oldest = 0;
}

/* Sends the buffered part on its own thread; a fresh buffer takes its place. */
static int part_send(struct sink_writer *w, char *err, size_t errlen)
{
	if (!w->mp) {
		w->mp =
		    s3_multipart_begin(w->sink->client, w->key, "application/gzip", err, errlen);
		if (!w->mp)
			return -1;
	}
	if (w->next_part > S3_MAX_PARTS) {
		snprintf(err, errlen, "%s: more than %d parts", w->key, S3_MAX_PARTS);
		return -1;
	}
	struct part_upload *u = &w->uploads[w->oldest];
	upload_join(w, u); /* a free slot: wait for the oldest */
	w->oldest = (w->oldest + 1) % S3_INFLIGHT;
	if (w->failed) {
		snprintf(err, errlen, "%s", w->err);
		return -1;
	}
	u->mp = w->mp;
	u->number = w->next_part++;
	u->data = w->buf;
	u->len = w->len;
	u->rc = 0;
	u->err[0] = '\0';
	int rc = pthread_create(&u->thread, NULL, upload_main, u);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start an upload thread: %s", strerror(rc));
		w->buf = NULL; /* owned by u->data, freed below */
		free(u->data);
		u->data = NULL;
		return -1;
	}
	u->busy = true;
	w->cap = part_size(w, w->next_part);
	w->buf = malloc(w->cap);
	w->len = 0;
	if (!w->buf) {
		snprintf(err, errlen, "out of memory for an upload part");
		return -1;
	}
	return 0;
}

static struct sink_writer *s3w_open(struct sink *s, const char *key, char *err, size_t errlen)
{
	struct s3_sink *ss = (struct s3_sink *)s;
	struct sink_writer *w = sink_writer_alloc(key, sizeof(*w), err, errlen);
	if (!w)
		return NULL;
	w->sink = ss;
	w->key = full_key(ss, key);
	w->next_part = 1;
	w->expected = ss->expected;
	w->cap = part_size(w, 1);
	w->buf = malloc(w->cap);
	if (!w->key || !w->buf) {
		snprintf(err, errlen, "out of memory");
		free(w->key);
		free(w->buf);
		free(w);
		return NULL;
	}
	return w;
}

static int s3w_write(struct sink_writer *w, const void *data, size_t len, char *err, size_t errlen)
{
	const unsigned char *p = data;
	if (w->failed) {
		snprintf(err, errlen, "%s", w->err);
		return -1;
	}
	while (len > 0) {
		size_t room = w->cap - w->len;
		size_t n = len < room ? len : room;
		memcpy(w->buf + w->len, p, n);
		w->len += n;
		p += n;
		len -= n;
		if (w->len == w->cap && part_send(w, err, errlen) != 0) {
			w->failed = true;
			return -1;
		}
	}
	return 0;
}

static void writer_free(struct sink_writer *w)
{
	s3_multipart_free(w->mp);
	free(w->buf);
	free(w->key);
	free(w);
}

/* Records an upload the abort could not remove (err: why). */
static void leftover_note(struct s3_sink *ss, const struct sink_writer *w, const char *err)
{
	size_t plen = strlen(ss->prefix);
	const char *key = plen && strncmp(w->key, ss->prefix, plen) == 0 && w->key[plen] == '/'
	                      ? w->key + plen + 1
	                      : w->key;
	pthread_mutex_lock(&ss->leftover_lock);
	if (ss->leftover.count++ == 0) {
		char raw[sizeof(ss->leftover.text)];
		snprintf(raw, sizeof(raw),
		         "the unfinished upload s3://%s/%s (upload id %s) could not be removed: %s",
		         ss->bucket, w->key, s3_multipart_upload_id(w->mp), err);
		sanitize_text(ss->leftover.text, sizeof(ss->leftover.text), raw);
		sanitize_text(ss->leftover.key, sizeof(ss->leftover.key), key);
	}
	pthread_mutex_unlock(&ss->leftover_lock);
}

static void s3w_abort(struct sink_writer *w)
{
	uploads_join_all(w);
	if (w->mp) {
		/* s3_multipart_abort runs even after a cancel (bounded then): the
		 * cleanup is what a cancel asks for. */
		char err[256];
		if (s3_multipart_abort(w->mp, err, sizeof(err)) != 0)
			leftover_note(w->sink, w, err);
	}
	writer_free(w);
}

static int s3w_finish(struct sink_writer *w, char *err, size_t errlen)
{
	if (w->failed) {
		snprintf(err, errlen, "%s", w->err);
		goto fail;
	}
	if (!w->mp) {
		if (s3_put_object(w->sink->client, w->key, w->buf, w->len,
		                  "application/octet-stream", err, errlen) != 0)
			goto fail;
		writer_free(w);
		return 0;
	}
	if (w->len > 0 && part_send(w, err, errlen) != 0)
		goto fail;
	uploads_join_all(w);
	if (w->failed) {
		snprintf(err, errlen, "%s", w->err);
		goto fail;
	}
	if (s3_multipart_complete(w->mp, err, errlen) != 0)
		goto fail;
	writer_free(w);
	return 0;
fail:
	s3w_abort(w);
	return -1;
}

/* Starts a listing: no entries yet, and "PREFIX/" (or "" for the whole
 * bucket) returned, what listings ask for; NULL with why when out of
 * memory. */
static char *list_start(const struct s3_sink *ss, struct sink_entry **entries, size_t *count,
                        char *err, size_t errlen)
{
	char *prefix = NULL;
	*entries = NULL;
	*count = 0;
	if (asprintf(&prefix, "%s%s", ss->prefix, *ss->prefix ? "/" : "") < 0) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return prefix;
}

/* The key relative to the prefix (plen bytes), or NULL when a listed key is
 * not strictly under it. */
static const char *under_prefix(const char *key, const char *prefix, size_t plen)
{
	if (strncmp(key, prefix, plen) != 0 || !key[plen])
		return NULL;
	return key + plen;
}

static int s3_list(struct sink *s, struct sink_entry **entries, size_t *count, char *err,
                   size_t errlen)
{
	struct s3_sink *ss = (struct s3_sink *)s;
	char *prefix = list_start(ss, entries, count, err, errlen);
	if (!prefix)
		return -1;
	struct s3_object *objects = NULL;
	size_t n = 0;
	if (s3_list_objects(ss->client, prefix, &objects, &n, err, errlen) != 0) {
		free(prefix);
		return -1;
	}
	size_t plen = strlen(prefix);
	*entries = xcalloc(n ? n : 1, sizeof(**entries));
	for (size_t i = 0; i < n; i++) {
		const char *key = under_prefix(objects[i].key, prefix, plen);
		if (!key)
			continue;
		struct sink_entry *e = &(*entries)[(*count)++];
		e->key = xstrdup(key);
		e->size = objects[i].size;
		e->modified_ms = objects[i].last_modified_ms;
	}
	s3_objects_free(objects, n);
	free(prefix);
	return 0;
}

static int s3_unfinished(struct sink *s, struct sink_entry **entries, size_t *count, char *err,
                         size_t errlen)
{
	struct s3_sink *ss = (struct s3_sink *)s;
	char *prefix = list_start(ss, entries, count, err, errlen);
	if (!prefix)
		return -1;
	struct s3_upload *uploads = NULL;
	size_t n = 0;
	if (s3_list_uploads(ss->client, prefix, &uploads, &n, err, errlen) != 0) {
		free(prefix);
		return -1;
	}
	size_t plen = strlen(prefix);
	int rc = 0;
	*entries = calloc(n ? n : 1, sizeof(**entries));
	if (!*entries) {
		snprintf(err, errlen, "out of memory listing the uploads");
		rc = -1;
	}
	for (size_t i = 0; *entries && i < n; i++) {
		const char *key = under_prefix(uploads[i].key, prefix, plen);
		if (!key)
			continue;
		struct sink_entry *e = &(*entries)[(*count)++];
		e->key = strdup(key);
		e->upload_id = strdup(uploads[i].upload_id);
		e->modified_ms = uploads[i].initiated_ms;
		if (!e->key || !e->upload_id) {
			snprintf(err, errlen, "out of memory listing the uploads");
			rc = -1;
			break;
		}
	}
	if (rc != 0) {
		sink_entries_free(*entries, *count);
		*entries = NULL;
		*count = 0;
	}
	s3_uploads_free(uploads, n);
	free(prefix);
	return rc;
}

static int s3_get(struct sink *s, const char *key,
                  int (*on_data)(void *ctx, const void *data, size_t len), void *ctx, char *err,
                  size_t errlen)
{
	struct s3_sink *ss = (struct s3_sink *)s;
	if (sink_key_check(key, err, errlen) != 0)
		return -1;
	char *k = full_key(ss, key);
	if (!k) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = s3_get_object(ss->client, k, on_data, ctx, err, errlen);
	free(k);
	return rc;
}

static int s3_remove(struct sink *s, const char *key, char *err, size_t errlen)
{
	struct s3_sink *ss = (struct s3_sink *)s;
	char *k = full_key(ss, key);
	if (!k) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = s3_delete_object(ss->client, k, err, errlen);
	free(k);
	return rc;
}

/* A LIST with name as the prefix: it sees name itself, name.json and
 * name/..., where a HEAD would see only the first. S3 cannot refuse a PUT
 * over an existing key everywhere (s3rver ignores If-None-Match), so this
 * look before writing, with names that hold a random part, is the guard. */
static int s3_taken(struct sink *s, const char *name, bool *taken, char *err, size_t errlen)
{
	struct s3_sink *ss = (struct s3_sink *)s;
	*taken = false;
	if (sink_key_check(name, err, errlen) != 0)
		return -1;
	char *k = full_key(ss, name);
	if (!k) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	struct s3_object *objects = NULL;
	size_t n = 0;
	int rc = s3_list_objects(ss->client, k, &objects, &n, err, errlen);
	*taken = rc == 0 && n > 0;
	s3_objects_free(objects, n);
	free(k);
	return rc;
}

static void s3_sink_free(struct sink *s)
{
	struct s3_sink *ss = (struct s3_sink *)s;
	s3_client_free(ss->client);
	pthread_mutex_destroy(&ss->leftover_lock);
	free(ss->bucket);
	free(ss->prefix);
	free(ss->base.url);
	free(ss);
}

static void s3_set_cancel(struct sink *s, const atomic_int *flag)
{
	struct s3_sink *ss = (struct s3_sink *)s;
	ss->cancel = flag;
	s3_client_set_cancel(ss->client, flag);
}

static void s3_set_expected_size(struct sink *s, uint64_t bytes)
{
	((struct s3_sink *)s)->expected = bytes;
}

static void s3_set_log(struct sink *s, void (*log)(void *ctx, const char *line), void *ctx)
{
	s3_client_set_log(((struct s3_sink *)s)->client, log, ctx);
}

static void s3_set_abandon(struct sink *s, const atomic_int *flag)
{
	s3_client_set_abandon(((struct s3_sink *)s)->client, flag);
}

static void s3_set_deadline(struct sink *s, int64_t deadline_ms)
{
	s3_client_set_deadline(((struct s3_sink *)s)->client, deadline_ms);
}

static bool s3_leftover(struct sink *s, struct sink_leftover *out)
{
	struct s3_sink *ss = (struct s3_sink *)s;
	pthread_mutex_lock(&ss->leftover_lock);
	*out = ss->leftover;
	pthread_mutex_unlock(&ss->leftover_lock);
	return out->count > 0;
}

static const struct sink_ops S3_OPS = {
    .scheme = "s3",
    .open = s3w_open,
    .write = s3w_write,
    .finish = s3w_finish,
    .abort = s3w_abort,
    .list = s3_list,
    .unfinished = s3_unfinished,
    .get = s3_get,
    .remove = s3_remove,
    .taken = s3_taken,
    .free = s3_sink_free,
    .set_cancel = s3_set_cancel,
    .set_log = s3_set_log,
    .set_abandon = s3_set_abandon,
    .set_deadline = s3_set_deadline,
    .set_expected_size = s3_set_expected_size,
    .leftover = s3_leftover,
};

struct sink *sink_s3_new(const char *url, const char *bucket, const char *prefix,
                         const struct config *cfg, long timeout_ms, int max_attempts, char *err,
                         size_t errlen)
{
	const char *access = config_lookup(cfg, "AWS_ACCESS_KEY_ID");
	const char *secret = config_lookup(cfg, "AWS_SECRET_ACCESS_KEY");
	const char *token = config_lookup(cfg, "AWS_SESSION_TOKEN");
	if (!access || !*access || !secret || !*secret) {
		snprintf(err, errlen,
		         "target %s: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be "
		         "set (environment or the app's env_file)",
		         url);
		return NULL;
	}
	const char *region = cfg->backup.region && *cfg->backup.region ? cfg->backup.region : NULL;
	if (!region)
		region = config_lookup(cfg, "AWS_DEFAULT_REGION");
	struct s3_config sc = {
	    .endpoint = cfg->backup.s3_endpoint,
	    .region = region && *region ? region : "us-east-1",
	    .bucket = bucket,
	    .access_key = access,
	    .secret_key = secret,
	    .session_token = token,
	    .timeout_ms = timeout_ms,
	    .max_attempts = max_attempts,
	};
	struct s3_client *client = s3_client_new(&sc, err, errlen);
	if (!client)
		return NULL;
	struct s3_sink *ss = calloc(1, sizeof(*ss));
	if (!ss) {
		snprintf(err, errlen, "out of memory");
		s3_client_free(client);
		return NULL;
	}
	ss->base.ops = &S3_OPS;
	ss->client = client;
	pthread_mutex_init(&ss->leftover_lock, NULL);
	if (!(ss->base.url = strdup(url)) || !(ss->bucket = strdup(bucket)) ||
	    !(ss->prefix = strdup(prefix))) {
		snprintf(err, errlen, "out of memory");
		s3_sink_free(&ss->base);
		return NULL;
	}
	ss->base.display = ss->base.url;
	return &ss->base;
}
