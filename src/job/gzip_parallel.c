/* gzip_parallel.c - pigz-style parallel deflate into one gzip member (see
 * gzip_parallel.h for the contract). */
#include "job/gzip_parallel.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#define WINDOW_SIZE 32768

enum block_state { BLOCK_FREE, BLOCK_QUEUED, BLOCK_WORKING, BLOCK_DONE, BLOCK_FAILED };

struct gzip_block {
	unsigned char *in;
	size_t in_len;
	unsigned char dict[WINDOW_SIZE];
	size_t dict_len;
	unsigned char *out;
	size_t out_len;
	size_t out_cap;
	uint32_t crc;
	bool last;
	enum block_state state;
};

struct gzip_parallel {
	pthread_mutex_t lock;
	pthread_cond_t work_ready; /* a block was queued, or stop */
	pthread_cond_t work_done;  /* a block was compressed */
	pthread_t threads[GZIP_PARALLEL_MAX_THREADS];
	int thread_count;
	int level;
	bool stop;

	struct gzip_block *ring;
	size_t ring_size;
	uint64_t next_fill;  /* the block being filled by the caller */
	uint64_t next_work;  /* the next queued block a worker takes */
	uint64_t next_write; /* the oldest block not yet handed to out */

	unsigned char window[WINDOW_SIZE]; /* tail of the input so far */
	size_t window_len;
	uint32_t crc;
	uint64_t bytes_in;
	uint64_t bytes_out;
	bool header_written;
	bool finished;
	bool failed;
	gzip_parallel_out_fn out;
	void *ctx;
};

/* Deflates one block into its out buffer; 0 or -1. */
static int block_compress(z_stream *strm, struct gzip_block *b)
{
	if (deflateReset(strm) != Z_OK)
		return -1;
	if (b->dict_len && deflateSetDictionary(strm, b->dict, (uInt)b->dict_len) != Z_OK)
		return -1;
	b->crc = (uint32_t)crc32(0L, b->in, (uInt)b->in_len);
	strm->next_in = b->in;
	strm->avail_in = (uInt)b->in_len;
	b->out_len = 0;
	int flush = b->last ? Z_FINISH : Z_SYNC_FLUSH;
	for (;;) {
		if (b->out_cap - b->out_len < 64) {
			size_t cap = b->out_cap * 2;
			unsigned char *p = realloc(b->out, cap);
			if (!p)
				return -1;
			b->out = p;
			b->out_cap = cap;
		}
		strm->next_out = b->out + b->out_len;
		strm->avail_out = (uInt)(b->out_cap - b->out_len);
		int rc = deflate(strm, flush);
		b->out_len = b->out_cap - strm->avail_out;
		if (rc == Z_STREAM_END)
			return 0;
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			return -1;
		if (!b->last && strm->avail_out != 0 && strm->avail_in == 0)
			return 0;
	}
}

static void *worker_main(void *arg)
{
	struct gzip_parallel *g = arg;
	z_stream strm;
	memset(&strm, 0, sizeof(strm));
	bool ok = deflateInit2(&strm, g->level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK;
	pthread_mutex_lock(&g->lock);
	for (;;) {
		while (!g->stop && g->next_work == g->next_fill)
			pthread_cond_wait(&g->work_ready, &g->lock);
		if (g->stop)
			break;
		struct gzip_block *b = &g->ring[g->next_work % g->ring_size];
		g->next_work++;
		b->state = BLOCK_WORKING;
		pthread_mutex_unlock(&g->lock);
		int rc = ok ? block_compress(&strm, b) : -1;
		pthread_mutex_lock(&g->lock);
		b->state = rc == 0 ? BLOCK_DONE : BLOCK_FAILED;
		pthread_cond_broadcast(&g->work_done);
	}
	pthread_mutex_unlock(&g->lock);
	if (ok)
		deflateEnd(&strm);
	return NULL;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v & 0xff);
	p[1] = (unsigned char)((v >> 8) & 0xff);
	p[2] = (unsigned char)((v >> 16) & 0xff);
	p[3] = (unsigned char)((v >> 24) & 0xff);
}

static int emit(struct gzip_parallel *g, const void *data, size_t len, char *err, size_t errlen)
{
	if (!g->header_written) {
		/* magic, deflate, no flags, mtime 0, no extra flags, OS unix */
		static const unsigned char header[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
		g->header_written = true;
		if (g->out(g->ctx, header, sizeof(header), err, errlen) != 0)
			return -1;
		g->bytes_out += sizeof(header);
	}
	if (len == 0)
		return 0;
	if (g->out(g->ctx, data, len, err, errlen) != 0)
		return -1;
	g->bytes_out += len;
	return 0;
}

/* Hands finished blocks to out, in order. With wait, blocks until the
 * oldest is done. Called with the lock released. */
static int drain(struct gzip_parallel *g, bool wait, char *err, size_t errlen)
{
	for (;;) {
		pthread_mutex_lock(&g->lock);
		if (g->next_write == g->next_fill) {
			pthread_mutex_unlock(&g->lock);
			return 0;
		}
		struct gzip_block *b = &g->ring[g->next_write % g->ring_size];
		while (wait && (b->state == BLOCK_QUEUED || b->state == BLOCK_WORKING))
			pthread_cond_wait(&g->work_done, &g->lock);
		enum block_state state = b->state;
		pthread_mutex_unlock(&g->lock);
		if (state == BLOCK_FAILED) {
			snprintf(err, errlen, "gzip: deflate failed");
			return -1;
		}
		if (state != BLOCK_DONE)
			return 0;
		if (emit(g, b->out, b->out_len, err, errlen) != 0)
			return -1;
		g->crc = (uint32_t)crc32_combine(g->crc, b->crc, (z_off_t)b->in_len);
		pthread_mutex_lock(&g->lock);
		b->state = BLOCK_FREE;
		b->in_len = 0;
		g->next_write++;
		pthread_mutex_unlock(&g->lock);
		wait = false;
	}
}

/* Queues the block being filled and makes sure the next slot is free. */
static int submit(struct gzip_parallel *g, bool last, char *err, size_t errlen)
{
	struct gzip_block *b = &g->ring[g->next_fill % g->ring_size];
	memcpy(b->dict, g->window, g->window_len);
	b->dict_len = g->window_len;
	/* the new window: the last 32 KiB of (old window + this block) */
	if (b->in_len >= WINDOW_SIZE) {
		memcpy(g->window, b->in + b->in_len - WINDOW_SIZE, WINDOW_SIZE);
		g->window_len = WINDOW_SIZE;
	} else if (b->in_len > 0) {
		size_t keep = WINDOW_SIZE - b->in_len;
		if (keep > g->window_len)
			keep = g->window_len;
		memmove(g->window, g->window + g->window_len - keep, keep);
		memcpy(g->window + keep, b->in, b->in_len);
		g->window_len = keep + b->in_len;
	}
	b->last = last;
	pthread_mutex_lock(&g->lock);
	b->state = BLOCK_QUEUED;
	g->next_fill++;
	pthread_cond_signal(&g->work_ready);
	pthread_mutex_unlock(&g->lock);
	if (drain(g, false, err, errlen) != 0)
		return -1;
	/* bounded memory: the slot to fill next must have been written out */
	while (g->next_fill - g->next_write >= g->ring_size)
		if (drain(g, true, err, errlen) != 0)
			return -1;
	return 0;
}

struct gzip_parallel *gzip_parallel_new(int level, int threads, gzip_parallel_out_fn out, void *ctx,
                                        char *err, size_t errlen)
{
	if (threads <= 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (int)n : 1;
	}
	if (threads > GZIP_PARALLEL_MAX_THREADS)
		threads = GZIP_PARALLEL_MAX_THREADS;
	if (level < 0 || level > 9)
		level = 6;
	struct gzip_parallel *g = calloc(1, sizeof(*g));
	if (!g)
		goto fail_alloc;
	g->level = level;
	g->out = out;
	g->ctx = ctx;
	g->crc = (uint32_t)crc32(0L, Z_NULL, 0);
	/* enough blocks that workers never wait for the reader to refill a
	 * slot (pigz keeps 2p+3 input buffers) */
	g->ring_size = (size_t)threads * 4 + 4;
	g->ring = calloc(g->ring_size, sizeof(*g->ring));
	if (!g->ring)
		goto fail_alloc;
	for (size_t i = 0; i < g->ring_size; i++) {
		g->ring[i].in = malloc(GZIP_PARALLEL_BLOCK);
		g->ring[i].out_cap = compressBound(GZIP_PARALLEL_BLOCK) + 64;
		g->ring[i].out = malloc(g->ring[i].out_cap);
		if (!g->ring[i].in || !g->ring[i].out)
			goto fail_alloc;
	}
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->work_ready, NULL);
	pthread_cond_init(&g->work_done, NULL);
	for (int i = 0; i < threads; i++) {
		int rc = pthread_create(&g->threads[i], NULL, worker_main, g);
		if (rc != 0) {
			snprintf(err, errlen, "gzip: cannot start a thread: %s", strerror(rc));
			gzip_parallel_free(g);
			return NULL;
		}
		g->thread_count++;
	}
	return g;

fail_alloc:
	snprintf(err, errlen, "gzip: out of memory");
	if (g && g->ring) {
		for (size_t i = 0; i < g->ring_size; i++) {
			free(g->ring[i].in);
			free(g->ring[i].out);
		}
		free(g->ring);
	}
	free(g);
	return NULL;
}

int gzip_parallel_write(struct gzip_parallel *g, const void *data, size_t len, char *err,
                        size_t errlen)
{
	const unsigned char *p = data;
	if (g->failed || g->finished) {
		snprintf(err, errlen, "gzip: stream already ended");
		return -1;
	}
	while (len > 0) {
		struct gzip_block *b = &g->ring[g->next_fill % g->ring_size];
		size_t room = GZIP_PARALLEL_BLOCK - b->in_len;
		size_t n = len < room ? len : room;
		memcpy(b->in + b->in_len, p, n);
		b->in_len += n;
		g->bytes_in += n;
		p += n;
		len -= n;
		if (b->in_len == GZIP_PARALLEL_BLOCK && submit(g, false, err, errlen) != 0) {
			g->failed = true;
			return -1;
		}
	}
	return 0;
}

int gzip_parallel_finish(struct gzip_parallel *g, char *err, size_t errlen)
{
	if (g->failed || g->finished) {
		snprintf(err, errlen, "gzip: stream already ended");
		return -1;
	}
	g->finished = true;
	if (submit(g, true, err, errlen) != 0)
		goto fail;
	while (g->next_write != g->next_fill)
		if (drain(g, true, err, errlen) != 0)
			goto fail;
	unsigned char trailer[8];
	put_le32(trailer, g->crc);
	put_le32(trailer + 4, (uint32_t)(g->bytes_in & 0xffffffffu));
	if (emit(g, trailer, sizeof(trailer), err, errlen) != 0)
		goto fail;
	return 0;
fail:
	g->failed = true;
	return -1;
}

void gzip_parallel_free(struct gzip_parallel *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&g->lock);
	g->stop = true;
	pthread_cond_broadcast(&g->work_ready);
	pthread_mutex_unlock(&g->lock);
	for (int i = 0; i < g->thread_count; i++)
		pthread_join(g->threads[i], NULL);
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->work_ready);
	pthread_cond_destroy(&g->work_done);
	for (size_t i = 0; i < g->ring_size; i++) {
		free(g->ring[i].in);
		free(g->ring[i].out);
	}
	free(g->ring);
	free(g);
}

uint64_t gzip_parallel_bytes_in(const struct gzip_parallel *g)
{
	return g->bytes_in;
}

uint64_t gzip_parallel_bytes_out(const struct gzip_parallel *g)
{
	return g->bytes_out;
}
