/* part_size.c - how large the parts of a multipart upload are (see s3.h). */
#include "s3/s3.h"

#define MIB ((uint64_t)1024 * 1024)

size_t s3_part_size(uint64_t expected, int number)
{
	uint64_t base = S3_PART_BASE;
	uint64_t wanted = (expected + S3_PARTS_FIXED - 1) / S3_PARTS_FIXED;
	wanted = (wanted + MIB - 1) / MIB * MIB;
	if (wanted > base)
		base = wanted;
	if (base > S3_PART_MAX)
		base = S3_PART_MAX;
	int past = number - S3_PARTS_FIXED;
	if (past <= 0)
		return (size_t)base;
	int step = (past - 1) / S3_PARTS_PER_STEP + 1;
	uint64_t size = base << step;
	return (size_t)(size > S3_PART_MAX ? S3_PART_MAX : size);
}
