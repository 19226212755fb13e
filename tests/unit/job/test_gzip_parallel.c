/* test_gzip_parallel.c - the parallel gzip writer makes one valid gzip
 * stream (zlib's inflate checks the CRC-32 and ISIZE trailer), whatever the
 * input size, chunking, level and thread count. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "job/gzip_parallel.h"

struct out_buf {
	unsigned char *data;
	size_t len;
	int calls;
	int fail_after; /* make the sink fail on this call (0: never) */
};

static int collect(void *ctx, const void *data, size_t len, char *err, size_t errlen)
{
	struct out_buf *o = ctx;
	o->calls++;
	if (o->fail_after && o->calls >= o->fail_after) {
		snprintf(err, errlen, "disk full");
		return -1;
	}
	o->data = realloc(o->data, o->len + len);
	memcpy(o->data + o->len, data, len);
	o->len += len;
	return 0;
}

/* Text-like input: compressible, with some randomness. */
static unsigned char *make_input(size_t len, unsigned seed)
{
	unsigned char *p = malloc(len ? len : 1);
	static const char words[][8] = {"INSERT ", "INTO ", "VALUES ", "(1, ",   "'abc'",
	                                "), ",     "\n",    "COPY ",   "\t42\t", "NULL"};
	srand(seed);
	size_t i = 0;
	while (i < len) {
		const char *w = words[rand() % 10];
		for (size_t k = 0; w[k] && i < len; k++)
			p[i++] = (unsigned char)w[k];
		if (rand() % 7 == 0 && i < len)
			p[i++] = (unsigned char)(rand() & 0xff);
	}
	return p;
}

/* Inflates a gzip stream; checks it is exactly one member matching in. */
static void assert_gunzips_to(const unsigned char *gz, size_t gzlen, const unsigned char *in,
                              size_t inlen)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	unsigned char *out = malloc(inlen + 1);
	z.next_in = (unsigned char *)gz;
	z.avail_in = (uInt)gzlen;
	z.next_out = out;
	z.avail_out = (uInt)inlen + 1;
	int rc = inflate(&z, Z_FINISH);
	assert_int_equal(rc, Z_STREAM_END); /* CRC and length verified by zlib */
	assert_int_equal(z.total_out, inlen);
	assert_int_equal(z.avail_in, 0); /* nothing after the member */
	assert_memory_equal(out, in, inlen ? inlen : 0);
	inflateEnd(&z);
	free(out);
}

static void round_trip(size_t len, size_t chunk, int level, int threads)
{
	unsigned char *in = make_input(len, (unsigned)(len + chunk));
	struct out_buf o = {0};
	char err[256];
	struct gzip_parallel *g = gzip_parallel_new(level, threads, collect, &o, err, sizeof(err));
	assert_non_null(g);
	for (size_t off = 0; off < len; off += chunk) {
		size_t n = len - off < chunk ? len - off : chunk;
		assert_int_equal(gzip_parallel_write(g, in + off, n, err, sizeof(err)), 0);
	}
	assert_int_equal(gzip_parallel_finish(g, err, sizeof(err)), 0);
	assert_int_equal(gzip_parallel_bytes_in(g), len);
	assert_int_equal(gzip_parallel_bytes_out(g), o.len);
	gzip_parallel_free(g);
	assert_true(o.len >= 18);
	assert_int_equal(o.data[0], 0x1f);
	assert_int_equal(o.data[1], 0x8b);
	assert_gunzips_to(o.data, o.len, in, len);
	free(o.data);
	free(in);
}

static void test_empty_input(void **state)
{
	(void)state;
	round_trip(0, 1, 6, 2);
}

static void test_small_inputs(void **state)
{
	(void)state;
	round_trip(1, 1, 6, 1);
	round_trip(1000, 7, 6, 3);
	round_trip(GZIP_PARALLEL_BLOCK - 1, 4096, 6, 2);
}

static void test_block_boundaries(void **state)
{
	(void)state;
	round_trip(GZIP_PARALLEL_BLOCK, 65536, 6, 2);
	round_trip(GZIP_PARALLEL_BLOCK + 1, 65536, 6, 2);
	round_trip(3 * GZIP_PARALLEL_BLOCK, GZIP_PARALLEL_BLOCK, 6, 4);
}

static void test_many_blocks_many_threads(void **state)
{
	(void)state;
	/* more blocks than the ring holds: exercises the back-pressure */
	round_trip(40 * GZIP_PARALLEL_BLOCK + 12345, 100000, 6, 4);
	round_trip(9 * GZIP_PARALLEL_BLOCK + 3, 1 << 20, 1, 8);
}

static void test_levels(void **state)
{
	(void)state;
	round_trip(5 * GZIP_PARALLEL_BLOCK, 30000, 0, 2);
	round_trip(5 * GZIP_PARALLEL_BLOCK, 30000, 1, 2);
	round_trip(5 * GZIP_PARALLEL_BLOCK, 30000, 9, 2);
}

static void test_ratio_close_to_single_stream(void **state)
{
	(void)state;
	/* the preset dictionary keeps the ratio near one deflate stream */
	size_t len = 20 * GZIP_PARALLEL_BLOCK;
	unsigned char *in = make_input(len, 7);
	struct out_buf o = {0};
	char err[256];
	struct gzip_parallel *g = gzip_parallel_new(6, 4, collect, &o, err, sizeof(err));
	assert_int_equal(gzip_parallel_write(g, in, len, err, sizeof(err)), 0);
	assert_int_equal(gzip_parallel_finish(g, err, sizeof(err)), 0);
	gzip_parallel_free(g);
	uLongf single = compressBound(len);
	unsigned char *ref = malloc(single);
	assert_int_equal(compress2(ref, &single, in, len, 6), Z_OK);
	assert_true((double)o.len <= (double)single * 1.03 + 64);
	free(ref);
	free(o.data);
	free(in);
}

static void test_sink_error_is_reported(void **state)
{
	(void)state;
	size_t len = 10 * GZIP_PARALLEL_BLOCK;
	unsigned char *in = make_input(len, 3);
	struct out_buf o = {.fail_after = 3};
	char err[256] = "";
	struct gzip_parallel *g = gzip_parallel_new(6, 2, collect, &o, err, sizeof(err));
	int rc = gzip_parallel_write(g, in, len, err, sizeof(err));
	if (rc == 0)
		rc = gzip_parallel_finish(g, err, sizeof(err));
	assert_int_equal(rc, -1);
	assert_string_equal(err, "disk full");
	/* a failed stream stays failed */
	assert_int_equal(gzip_parallel_write(g, in, 10, err, sizeof(err)), -1);
	gzip_parallel_free(g);
	free(o.data);
	free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty_input),
	    cmocka_unit_test(test_small_inputs),
	    cmocka_unit_test(test_block_boundaries),
	    cmocka_unit_test(test_many_blocks_many_threads),
	    cmocka_unit_test(test_levels),
	    cmocka_unit_test(test_ratio_close_to_single_stream),
	    cmocka_unit_test(test_sink_error_is_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
