/* gzip_parallel.h - gzip compression on several threads, one valid stream out.
 *
 * As pigz does: the input is cut into blocks (GZIP_PARALLEL_BLOCK bytes),
 * each block is raw-deflated on its own by one of N worker threads, primed
 * with the last 32 KiB of the previous block as a preset dictionary (so the
 * ratio stays close to a single deflate stream), and ended on a byte
 * boundary with Z_SYNC_FLUSH (the last block with Z_FINISH). The blocks are
 * written out in order behind one gzip header, followed by the CRC-32 of the
 * whole input (crc32_combine of the blocks' CRCs) and its length mod 2^32:
 * the output is one ordinary gzip member that gunzip, zlib and pg tools read.
 *
 * Memory is bounded: at most 4*N+4 blocks are in flight; gzip_parallel_write
 * waits for the oldest to be compressed (and hands it to `out`) before it
 * accepts more. `out` is always called on the caller's thread, in order;
 * a non-zero return from it is an error that gzip_parallel_write/finish
 * return (with its message in err).
 */
#ifndef OPSDECK_JOB_GZIP_PARALLEL_H
#define OPSDECK_JOB_GZIP_PARALLEL_H

#include <stddef.h>
#include <stdint.h>

#define GZIP_PARALLEL_BLOCK       (128 * 1024)
#define GZIP_PARALLEL_MAX_THREADS 16

/* Receives compressed bytes in order; 0 ok, else an error (err filled). */
typedef int (*gzip_parallel_out_fn)(void *ctx, const void *data, size_t len, char *err,
                                    size_t errlen);

struct gzip_parallel;

/* level 1..9 (0 stores), threads 1..GZIP_PARALLEL_MAX_THREADS (0: one per
 * CPU). NULL with a reason when threads cannot start. */
struct gzip_parallel *gzip_parallel_new(int level, int threads, gzip_parallel_out_fn out, void *ctx,
                                        char *err, size_t errlen);
int gzip_parallel_write(struct gzip_parallel *g, const void *data, size_t len, char *err,
                        size_t errlen);
/* Compresses what is left, writes the trailer. Call once. */
int gzip_parallel_finish(struct gzip_parallel *g, char *err, size_t errlen);
/* Stops the workers and frees everything (also after an error). NULL ok. */
void gzip_parallel_free(struct gzip_parallel *g);

/* Totals so far: bytes taken in, bytes handed to `out`. */
uint64_t gzip_parallel_bytes_in(const struct gzip_parallel *g);
uint64_t gzip_parallel_bytes_out(const struct gzip_parallel *g);

#endif
