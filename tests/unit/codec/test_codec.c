/* test_codec.c - every codec (gzip, zstd) round-trips, and its decoder
 * tells a truncated stream from a corrupt one with the same words; the
 * levels a codec accepts are the ones [backup] compression_level accepts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codec/codec.h"
#include "config/config.h"

static const char *const NAMES[] = {"gzip", "zstd"};
#define NNAMES (sizeof(NAMES) / sizeof(NAMES[0]))

struct out_buf {
	unsigned char *data;
	size_t len;
};

static int collect(void *ctx, const void *data, size_t len, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	struct out_buf *o = ctx;
	assert_true(len <= CODEC_CHUNK);
	o->data = realloc(o->data, o->len + len);
	assert_non_null(o->data);
	memcpy(o->data + o->len, data, len);
	o->len += len;
	return 0;
}

/* Text-like input, as a dump is: compressible, with some randomness. */
static unsigned char *make_input(size_t len, unsigned seed)
{
	unsigned char *p = malloc(len ? len : 1);
	assert_non_null(p);
	srand(seed);
	for (size_t i = 0; i < len; i++)
		p[i] = rand() % 5 == 0 ? (unsigned char)(rand() & 0xff)
		                       : (unsigned char)("COPY\t42\n"[i % 8]);
	return p;
}

/* in compressed with name at level, fed in pieces of step bytes. */
static struct out_buf encode(const char *name, int level, const unsigned char *in, size_t len,
                             size_t step)
{
	struct out_buf o = {0};
	char err[256] = "";
	struct codec *c = codec_new(name, CODEC_ENCODE, level, collect, &o, err, sizeof(err));
	assert_non_null(c);
	for (size_t at = 0; at < len; at += step)
		assert_int_equal(
		    codec_feed(c, in + at, len - at < step ? len - at : step, err, sizeof(err)), 0);
	assert_int_equal(codec_finish(c, err, sizeof(err)), 0);
	codec_free(c);
	return o;
}

/* Decodes in[0..len) with name; 0 with the output in *o, or -1 with err. */
static int decode(const char *name, const unsigned char *in, size_t len, struct out_buf *o,
                  char *err, size_t errlen)
{
	struct codec *c = codec_new(name, CODEC_DECODE, -1, collect, o, err, errlen);
	assert_non_null(c);
	int rc = 0;
	/* in odd pieces, so frames and members straddle feeds */
	for (size_t at = 0; at < len && rc == 0; at += 1000)
		rc = codec_feed(c, in + at, len - at < 1000 ? len - at : 1000, err, errlen);
	if (rc == 0)
		rc = codec_finish(c, err, errlen);
	codec_free(c);
	return rc;
}

static void test_round_trip(void **state)
{
	(void)state;
	static const size_t sizes[] = {1, 4096, 3 * CODEC_CHUNK + 17, 9u << 20};
	for (size_t n = 0; n < NNAMES; n++) {
		const struct codec_ops *ops = codec_find(NAMES[n]);
		assert_non_null(ops);
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			unsigned char *in = make_input(sizes[i], (unsigned)i);
			int level = i % 2 ? ops->level_min : ops->level_max;
			if (sizes[i] > (1u << 20))
				level = -1; /* the highest levels are slow on big inputs */
			struct out_buf z = encode(NAMES[n], level, in, sizes[i], 65536 + i);
			assert_true(z.len < sizes[i] || sizes[i] < 64);
			struct out_buf back = {0};
			char err[256] = "";
			assert_int_equal(decode(NAMES[n], z.data, z.len, &back, err, sizeof(err)),
			                 0);
			assert_int_equal(back.len, sizes[i]);
			assert_memory_equal(back.data, in, sizes[i]);
			free(back.data);
			free(z.data);
			free(in);
		}
	}
}

static void test_empty_input(void **state)
{
	(void)state;
	for (size_t n = 0; n < NNAMES; n++) {
		/* nothing in: a whole, empty stream out */
		struct out_buf z = encode(NAMES[n], -1, NULL, 0, 1);
		assert_true(z.len > 0);
		struct out_buf back = {0};
		char err[256] = "";
		assert_int_equal(decode(NAMES[n], z.data, z.len, &back, err, sizeof(err)), 0);
		assert_int_equal(back.len, 0);
		free(z.data);
		/* no stream at all is not a backup */
		char want[64];
		snprintf(want, sizeof(want), "the %s stream is truncated", NAMES[n]);
		assert_int_equal(decode(NAMES[n], NULL, 0, &back, err, sizeof(err)), -1);
		assert_string_equal(err, want);
		free(back.data);
	}
}

static void test_truncated(void **state)
{
	(void)state;
	size_t len = 2u << 20;
	unsigned char *in = make_input(len, 7);
	for (size_t n = 0; n < NNAMES; n++) {
		struct out_buf z = encode(NAMES[n], -1, in, len, 100000);
		char want[64];
		snprintf(want, sizeof(want), "the %s stream is truncated", NAMES[n]);
		/* cut in the middle, and just before the end (the checksum) */
		size_t cuts[] = {z.len / 2, z.len - 1};
		for (size_t i = 0; i < 2; i++) {
			struct out_buf back = {0};
			char err[256] = "";
			assert_int_equal(decode(NAMES[n], z.data, cuts[i], &back, err, sizeof(err)),
			                 -1);
			assert_string_equal(err, want);
			free(back.data);
		}
		free(z.data);
	}
	free(in);
}

static void test_one_byte_changed(void **state)
{
	(void)state;
	size_t len = 1u << 20;
	unsigned char *in = make_input(len, 11);
	for (size_t n = 0; n < NNAMES; n++) {
		struct out_buf z = encode(NAMES[n], -1, in, len, len);
		char want[64];
		snprintf(want, sizeof(want), "the %s stream is corrupt", NAMES[n]);
		/* in the data, in the trailer's checksum, in the header's magic */
		size_t at[] = {z.len / 2, z.len - 2, 0};
		for (size_t i = 0; i < 3; i++) {
			z.data[at[i]] ^= 0x5a;
			struct out_buf back = {0};
			char err[256] = "";
			assert_int_equal(decode(NAMES[n], z.data, z.len, &back, err, sizeof(err)),
			                 -1);
			assert_string_equal(err, want);
			free(back.data);
			z.data[at[i]] ^= 0x5a;
		}
		free(z.data);
	}
	free(in);
}

/* Streams written one after the other read as one (pigz, zstd of several
 * inputs). */
static void test_concatenated(void **state)
{
	(void)state;
	unsigned char *in = make_input(300000, 3);
	for (size_t n = 0; n < NNAMES; n++) {
		struct out_buf a = encode(NAMES[n], -1, in, 100000, 4096);
		struct out_buf b = encode(NAMES[n], -1, in + 100000, 200000, 4096);
		a.data = realloc(a.data, a.len + b.len);
		assert_non_null(a.data);
		memcpy(a.data + a.len, b.data, b.len);
		struct out_buf back = {0};
		char err[256] = "";
		assert_int_equal(decode(NAMES[n], a.data, a.len + b.len, &back, err, sizeof(err)),
		                 0);
		assert_int_equal(back.len, 300000);
		assert_memory_equal(back.data, in, 300000);
		free(back.data);
		free(a.data);
		free(b.data);
	}
	free(in);
}

static void test_unknown_codec(void **state)
{
	(void)state;
	char err[256] = "";
	struct out_buf o = {0};
	assert_null(codec_find("lz4"));
	assert_null(codec_new("lz4", CODEC_ENCODE, -1, collect, &o, err, sizeof(err)));
	assert_string_equal(err, "unknown compression 'lz4'");
	assert_int_equal(codec_threads(&codec_gzip), 1);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int want =
	    cpus < 1 ? 1 : (cpus > CODEC_ZSTD_MAX_THREADS ? CODEC_ZSTD_MAX_THREADS : (int)cpus);
	assert_int_equal(codec_threads(&codec_zstd), want);
}

/* Loads "[backup] compression = NAME, compression_level = LEVEL". */
static int load_level(const char *name, int level, char *err, size_t errlen)
{
	char path[] = "/tmp/opsdeck-codec-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	fprintf(f, "[backup]\ncompression = %s\ncompression_level = %d\n", name, level);
	assert_int_equal(fclose(f), 0);
	struct config cfg;
	int rc = config_load_file(&cfg, path, err, errlen);
	unlink(path);
	if (rc >= 0)
		config_free(&cfg);
	return rc;
}

static void test_levels_match_the_config(void **state)
{
	(void)state;
	for (size_t n = 0; n < NNAMES; n++) {
		const struct codec_ops *ops = codec_find(NAMES[n]);
		char err[512] = "";
		assert_true(load_level(NAMES[n], ops->level_min, err, sizeof(err)) >= 0);
		assert_true(load_level(NAMES[n], ops->level_max, err, sizeof(err)) >= 0);
		assert_int_equal(load_level(NAMES[n], ops->level_max + 1, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "compression_level"));
		assert_int_equal(load_level(NAMES[n], ops->level_min - 1, err, sizeof(err)), -1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_empty_input),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_one_byte_changed),
	    cmocka_unit_test(test_concatenated),
	    cmocka_unit_test(test_unknown_codec),
	    cmocka_unit_test(test_levels_match_the_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
