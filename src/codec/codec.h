/* codec.h - compression behind one interface: a stream that encodes or
 * decodes the bytes fed to it and hands what comes out to a callback.
 *
 * Each codec is one row in CODECS[] (codec.c) with its struct codec_ops in
 * its own file (codec_gzip.c, codec_zstd.c), as pgBackRest's compression
 * filters: adding one is a new file and a row. job/gzip_parallel.h stays
 * the multi-threaded gzip compressor of database dumps; gzip here is the
 * single-stream one (one file of a files backup, verification). The zstd
 * encoder has its own worker threads (codec_zstd.c): database dumps with
 * [backup] compression = zstd go through it.
 *
 * Life of a stream: codec_new -> codec_feed any number of times ->
 * codec_finish -> codec_free. out may be called from codec_feed and
 * codec_finish, with at most CODEC_CHUNK bytes at a time; a non-zero
 * return from it stops the stream with its err. Every function that can
 * fail returns 0 or -1 with one line in err; a decoder that met corrupt
 * input fails every later codec_feed and codec_finish the same way.
 * codec_free(NULL) is a no-op. A stream is used from one thread at a time.
 */
#ifndef OPSDECK_CODEC_CODEC_H
#define OPSDECK_CODEC_CODEC_H

#include <stdbool.h>
#include <stddef.h>

#define CODEC_CHUNK (256 * 1024)

/* The most worker threads a zstd encoder starts (one per online CPU). */
#define CODEC_ZSTD_MAX_THREADS 16

enum codec_direction {
	CODEC_ENCODE, /* compress */
	CODEC_DECODE, /* decompress */
};

/* Receives the output; 0 to go on, non-zero (with err filled) to stop. */
typedef int codec_out_fn(void *ctx, const void *data, size_t len, char *err, size_t errlen);

struct codec_ops {
	const char *name;         /* "gzip" */
	int level_min, level_max; /* the encoder levels accepted (gzip 1..9) */
	/* The codec's state for one stream, or NULL with why (the caller has
	 * checked level for encoders). */
	void *(*new)(enum codec_direction direction, int level, char *err, size_t errlen);
	/* Consumes data[0..len) (last: no more input follows, len may be 0),
	 * writing output through out into buf (CODEC_CHUNK bytes). */
	int (*feed)(void *state, const void *data, size_t len, bool last, unsigned char *buf,
	            codec_out_fn *out, void *ctx, char *err, size_t errlen);
	/* Decoders only: 0 when the input ended a whole stream, else -1. */
	int (*finished)(void *state, char *err, size_t errlen);
	void (*free)(void *state);
	/* Threads an encoder compresses on; NULL: one (the caller's). */
	int (*threads)(void);
};

/* The codec called name ("gzip"), or NULL. */
const struct codec_ops *codec_find(const char *name);

struct codec;

/* A stream of the codec called name; level (encoders) within the codec's
 * level_min..level_max, or -1 for the codec's default. out and ctx are borrowed. NULL with why on
 * an unknown codec or when memory runs out. */
struct codec *codec_new(const char *name, enum codec_direction direction, int level,
                        codec_out_fn *out, void *ctx, char *err, size_t errlen);

/* Passes data[0..len) through the stream. */
int codec_feed(struct codec *c, const void *data, size_t len, char *err, size_t errlen);

/* Ends the stream: an encoder writes what it holds and its trailer; a
 * decoder checks that the input ended a whole stream ("the gzip stream is
 * truncated", "the zstd stream is truncated", or "... is corrupt" after bad
 * input). */
int codec_finish(struct codec *c, char *err, size_t errlen);

void codec_free(struct codec *c);

/* The threads an encoder of ops compresses on (1 for a single-stream one). */
int codec_threads(const struct codec_ops *ops);

/* The drivers, one per file. */
extern const struct codec_ops codec_gzip;
extern const struct codec_ops codec_zstd;

#endif
