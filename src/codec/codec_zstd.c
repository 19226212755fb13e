/* codec_zstd.c - zstd through libzstd (see codec.h). Every libzstd error is
 * mapped to a message here and nowhere else.
 *
 * The encoder compresses on its own worker threads (ZSTD_c_nbWorkers, one
 * per online CPU up to CODEC_ZSTD_MAX_THREADS): codec_feed hands the input
 * to them and returns with what is ready, so the caller writes compressed
 * bytes (an upload) while the workers go on. A libzstd built without
 * threads compresses on the caller's thread instead. The decoder streams
 * and reads concatenated frames as one stream (what `zstd` writes for
 * several inputs); the stream must end at the end of a frame. */
#include "codec/codec.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <zstd.h>

/* the input of one worker's job (ZSTD_c_jobSize) */
#define ZSTD_JOB_SIZE (2 * 1024 * 1024)

struct zstd_state {
	enum codec_direction direction;
	ZSTD_CCtx *cctx;
	ZSTD_DCtx *dctx;
	bool ended;   /* decoder: the input ended a whole frame */
	bool corrupt; /* decoder: bad input met; sticky */
};

static int zstd_threads(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus < 1)
		return 1;
	return cpus > CODEC_ZSTD_MAX_THREADS ? CODEC_ZSTD_MAX_THREADS : (int)cpus;
}

static void zstd_free(void *state)
{
	struct zstd_state *z = state;
	ZSTD_freeCCtx(z->cctx);
	ZSTD_freeDCtx(z->dctx);
	free(z);
}

static void *zstd_new(enum codec_direction direction, int level, char *err, size_t errlen)
{
	struct zstd_state *z = calloc(1, sizeof(*z));
	if (!z) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	z->direction = direction;
	if (direction == CODEC_DECODE) {
		z->dctx = ZSTD_createDCtx();
		if (!z->dctx)
			goto fail;
		return z;
	}
	z->cctx = ZSTD_createCCtx();
	if (!z->cctx)
		goto fail;
	if (ZSTD_isError(ZSTD_CCtx_setParameter(z->cctx, ZSTD_c_compressionLevel,
	                                        level < 0 ? ZSTD_CLEVEL_DEFAULT : level)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(z->cctx, ZSTD_c_checksumFlag, 1)))
		goto fail;
	/* without thread support in libzstd this fails: one thread then */
	int threads = zstd_threads();
	if (threads > 1 && ZSTD_isError(ZSTD_CCtx_setParameter(z->cctx, ZSTD_c_nbWorkers, threads)))
		(void)ZSTD_CCtx_setParameter(z->cctx, ZSTD_c_nbWorkers, 0);
	/* Each worker compresses a job of this many input bytes; libzstd's
	 * default (several times the window) held ~60 MB for a dump at level 3,
	 * 2 MiB holds ~27 MB at the same speed and ratio. */
	else if (threads > 1)
		(void)ZSTD_CCtx_setParameter(z->cctx, ZSTD_c_jobSize, ZSTD_JOB_SIZE);
	return z;
fail:
	snprintf(err, errlen, "zstd: cannot initialise");
	zstd_free(z);
	return NULL;
}

static int zstd_compress(struct zstd_state *z, const void *data, size_t len, bool last,
                         unsigned char *buf, codec_out_fn *out, void *ctx, char *err, size_t errlen)
{
	ZSTD_inBuffer in = {data, len, 0};
	ZSTD_EndDirective mode = last ? ZSTD_e_end : ZSTD_e_continue;
	for (;;) {
		ZSTD_outBuffer o = {buf, CODEC_CHUNK, 0};
		size_t left = ZSTD_compressStream2(z->cctx, &o, &in, mode);
		if (ZSTD_isError(left)) {
			snprintf(err, errlen, "zstd failed: %s", ZSTD_getErrorName(left));
			return -1;
		}
		if (o.pos && out(ctx, buf, o.pos, err, errlen) != 0)
			return -1;
		/* continue: the workers hold the input; end: all flushed */
		if (last ? left == 0 : in.pos == in.size)
			return 0;
	}
}

static int corrupt(char *err, size_t errlen)
{
	snprintf(err, errlen, "the zstd stream is corrupt");
	return -1;
}

static int zstd_decompress(struct zstd_state *z, const void *data, size_t len, unsigned char *buf,
                           codec_out_fn *out, void *ctx, char *err, size_t errlen)
{
	ZSTD_inBuffer in = {data, len, 0};
	bool full = false; /* the last call filled buf: more output may wait */
	while (!z->corrupt && (in.pos < in.size || full)) {
		ZSTD_outBuffer o = {buf, CODEC_CHUNK, 0};
		size_t before = in.pos;
		size_t hint = ZSTD_decompressStream(z->dctx, &o, &in);
		if (ZSTD_isError(hint)) {
			z->corrupt = true;
			break;
		}
		if (o.pos == 0 && in.pos == before)
			break; /* nothing was pending after all */
		if (o.pos && out(ctx, buf, o.pos, err, errlen) != 0)
			return -1;
		z->ended = hint == 0;
		full = o.pos == o.size;
	}
	return z->corrupt ? corrupt(err, errlen) : 0;
}

static int zstd_feed(void *state, const void *data, size_t len, bool last, unsigned char *buf,
                     codec_out_fn *out, void *ctx, char *err, size_t errlen)
{
	struct zstd_state *z = state;
	if (z->direction == CODEC_ENCODE)
		return zstd_compress(z, data, len, last, buf, out, ctx, err, errlen);
	return zstd_decompress(z, data, len, buf, out, ctx, err, errlen);
}

static int zstd_finished(void *state, char *err, size_t errlen)
{
	struct zstd_state *z = state;
	if (z->corrupt)
		return corrupt(err, errlen);
	if (!z->ended) {
		snprintf(err, errlen, "the zstd stream is truncated");
		return -1;
	}
	return 0;
}

const struct codec_ops codec_zstd = {
    .name = "zstd",
    .level_min = 1,
    .level_max = 19,
    .new = zstd_new,
    .feed = zstd_feed,
    .finished = zstd_finished,
    .free = zstd_free,
    .threads = zstd_threads,
};
