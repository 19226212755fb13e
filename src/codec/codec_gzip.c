/* codec_gzip.c - gzip through zlib (see codec.h). Every zlib code is
 * mapped to a message here and nowhere else.
 *
 * Decoding reads concatenated gzip members as one stream (what pigz and
 * job/gzip_parallel.c write); bytes after a member's end start another. */
#include "codec/codec.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#define GZIP_WINDOW_BITS (15 + 16) /* a gzip header and trailer */

struct gzip_state {
	z_stream z;
	enum codec_direction direction;
	bool ended;   /* decoder: the last member ended with the input */
	bool corrupt; /* decoder: bad input met; sticky */
};

static void *gzip_new(enum codec_direction direction, int level, char *err, size_t errlen)
{
	struct gzip_state *g = calloc(1, sizeof(*g));
	if (!g) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	g->direction = direction;
	int zr = direction == CODEC_ENCODE ? deflateInit2(&g->z, level, Z_DEFLATED,
	                                                  GZIP_WINDOW_BITS, 8, Z_DEFAULT_STRATEGY)
	                                   : inflateInit2(&g->z, GZIP_WINDOW_BITS);
	if (zr != Z_OK) {
		snprintf(err, errlen, "gzip: cannot initialise");
		free(g);
		return NULL;
	}
	return g;
}

static int gzip_deflate(struct gzip_state *g, bool last, unsigned char *buf, codec_out_fn *out,
                        void *ctx, char *err, size_t errlen)
{
	do {
		g->z.next_out = buf;
		g->z.avail_out = CODEC_CHUNK;
		if (deflate(&g->z, last ? Z_FINISH : Z_NO_FLUSH) == Z_STREAM_ERROR) {
			snprintf(err, errlen, "gzip failed");
			return -1;
		}
		size_t have = CODEC_CHUNK - g->z.avail_out;
		if (have && out(ctx, buf, have, err, errlen) != 0)
			return -1;
	} while (g->z.avail_out == 0);
	return 0;
}

static int corrupt(char *err, size_t errlen)
{
	snprintf(err, errlen, "the gzip stream is corrupt");
	return -1;
}

static int gzip_inflate(struct gzip_state *g, unsigned char *buf, codec_out_fn *out, void *ctx,
                        char *err, size_t errlen)
{
	while (g->z.avail_in > 0 && !g->corrupt) {
		if (g->ended) {
			/* data after the end of a gzip member: another member */
			if (inflateReset(&g->z) != Z_OK) {
				g->corrupt = true;
				break;
			}
			g->ended = false;
		}
		g->z.next_out = buf;
		g->z.avail_out = CODEC_CHUNK;
		int zr = inflate(&g->z, Z_NO_FLUSH);
		size_t have = CODEC_CHUNK - g->z.avail_out;
		if (have && out(ctx, buf, have, err, errlen) != 0)
			return -1;
		if (zr == Z_STREAM_END)
			g->ended = true;
		else if (zr != Z_OK && zr != Z_BUF_ERROR)
			g->corrupt = true;
		else if (zr == Z_BUF_ERROR && g->z.avail_out != 0)
			break;
	}
	return g->corrupt ? corrupt(err, errlen) : 0;
}

static int gzip_feed(void *state, const void *data, size_t len, bool last, unsigned char *buf,
                     codec_out_fn *out, void *ctx, char *err, size_t errlen)
{
	struct gzip_state *g = state;
	/* zlib counts in uInt: feed what does not fit in pieces */
	do {
		size_t piece = len > UINT32_MAX ? UINT32_MAX : len;
		g->z.next_in = (unsigned char *)data;
		g->z.avail_in = (uInt)piece;
		int rc = g->direction == CODEC_ENCODE
		             ? gzip_deflate(g, last && piece == len, buf, out, ctx, err, errlen)
		             : gzip_inflate(g, buf, out, ctx, err, errlen);
		if (rc != 0)
			return -1;
		/* finish feeds (NULL, 0): no offset is applied to a null pointer */
		if (piece > 0)
			data = (const unsigned char *)data + piece;
		len -= piece;
	} while (len > 0);
	return 0;
}

static int gzip_finished(void *state, char *err, size_t errlen)
{
	struct gzip_state *g = state;
	if (g->corrupt)
		return corrupt(err, errlen);
	if (!g->ended) {
		snprintf(err, errlen, "the gzip stream is truncated");
		return -1;
	}
	return 0;
}

static void gzip_free(void *state)
{
	struct gzip_state *g = state;
	if (g->direction == CODEC_ENCODE)
		deflateEnd(&g->z);
	else
		inflateEnd(&g->z);
	free(g);
}

const struct codec_ops codec_gzip = {
    .name = "gzip",
    .level_min = 1,
    .level_max = 9,
    .new = gzip_new,
    .feed = gzip_feed,
    .finished = gzip_finished,
    .free = gzip_free,
};
