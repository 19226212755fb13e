/* Unit tests for s3/part_size.c: the part size of a multipart upload. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "s3/s3.h"

#define MIB ((uint64_t)1024 * 1024)
#define GIB (1024 * MIB)

/* The bytes parts 1..parts of a stream expecting `expected` can hold. */
static uint64_t capacity(uint64_t expected, int parts)
{
	uint64_t total = 0;
	for (int n = 1; n <= parts; n++)
		total += s3_part_size(expected, n);
	return total;
}

/* The largest part among 1..parts: what the buffers grow to. */
static uint64_t largest(uint64_t expected, int parts)
{
	uint64_t max = 0;
	for (int n = 1; n <= parts; n++)
		if (s3_part_size(expected, n) > max)
			max = s3_part_size(expected, n);
	return max;
}

static void unknown_size_uses_8_mib_parts(void **state)
{
	(void)state;
	assert_int_equal(s3_part_size(0, 1), 8 * MIB);
	assert_int_equal(s3_part_size(0, S3_PARTS_FIXED), 8 * MIB);
	/* 20 GiB in 2,560 parts of 8 MiB: the buffers never grow */
	assert_int_equal(largest(0, (int)(20 * GIB / (8 * MIB))), 8 * MIB);
	assert_true(s3_part_size(0, S3_PARTS_FIXED + 1) > 8 * MIB);
}

static void expected_size_fits_without_growing(void **state)
{
	(void)state;
	const uint64_t sizes[] = {1, 100 * MIB, 40 * GIB, 41 * GIB, 100 * GIB, 3000 * GIB};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint64_t e = sizes[i];
		uint64_t part = s3_part_size(e, 1);
		assert_true(part >= S3_MIN_PART_SIZE);
		assert_int_equal(part % MIB, 0);
		assert_true(capacity(e, S3_PARTS_FIXED) >= e);
		assert_int_equal(largest(e, S3_PARTS_FIXED), part);
	}
	/* 100 GiB: 21 MiB parts (100 GiB / 5,000, rounded up to 1 MiB) */
	assert_int_equal(s3_part_size(100 * GIB, 1), 21 * MIB);
}

static void larger_than_expected_still_fits(void **state)
{
	(void)state;
	/* an unknown stream of 6 TiB fits in S3's 10,000 parts */
	assert_true(capacity(0, S3_MAX_PARTS) >= 6 * 1024 * GIB);
	/* a stream 10 times what was expected fits too */
	assert_true(capacity(10 * GIB, S3_MAX_PARTS) >= 100 * GIB);
	for (int n = 1; n <= S3_MAX_PARTS; n++)
		assert_true(s3_part_size(0, n) <= S3_PART_MAX);
	assert_int_equal(s3_part_size(UINT64_MAX / 2, 1), S3_PART_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(unknown_size_uses_8_mib_parts),
	    cmocka_unit_test(expected_size_fits_without_growing),
	    cmocka_unit_test(larger_than_expected_still_fits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
