/* fixture.c - read the unit tests' fixture files (see fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "fixture.h"

#ifndef FIXTURES
#error "FIXTURES must name the tests/fixtures directory"
#endif

char *fixture_read(const char *relpath, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", FIXTURES, relpath);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long size = ftell(f);
	assert_true(size > 0);
	rewind(f);
	char *data = malloc((size_t)size + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)size, f), (size_t)size);
	data[size] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)size;
	return data;
}
