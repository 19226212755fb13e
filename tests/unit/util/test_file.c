/* test_file.c - reading whole files, writing whole buffers (src/util/file.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/file.h"

static void write_fixture(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(file_write_all(fd, data, len), 0);
	assert_int_equal(close(fd), 0);
}

static void test_reads_whole_file(void **state)
{
	(void)state;
	char path[] = "/tmp/opsdeck-test-file-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	char *text = NULL;
	size_t len = 0;
	struct stat st;
	char err[256];

	write_fixture(path, "hello\n", 6);
	assert_int_equal(
	    file_read_text(path, path, 6, FILE_READ_TEXT, &text, &len, &st, err, sizeof(err)), 0);
	assert_string_equal(text, "hello\n");
	assert_int_equal(len, 6);
	assert_true(S_ISREG(st.st_mode));
	free(text);

	/* one byte over the limit */
	assert_int_equal(file_read_text(path, NULL, 5, 0, &text, &len, NULL, err, sizeof(err)),
	                 FILE_TOO_LARGE);
	assert_null(text);
	assert_string_equal(err, "larger than 5 bytes");

	/* NUL bytes: an error for text, kept otherwise */
	write_fixture(path, "a\nb\0c", 5);
	assert_int_equal(
	    file_read_text(path, "f", 100, FILE_READ_TEXT, &text, &len, NULL, err, sizeof(err)),
	    -1);
	assert_string_equal(err, "f:2: NUL byte in the file (is it a text file?)");
	assert_int_equal(file_read_text(path, "f", 100, 0, &text, &len, NULL, err, sizeof(err)), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(text, "a\nb\0c", 5);
	free(text);
	unlink(path);

	/* a missing file leaves ENOENT for "absent is fine" callers */
	assert_int_equal(file_read_text(path, path, 100, 0, &text, &len, NULL, err, sizeof(err)),
	                 -1);
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(err, path));
	assert_int_equal(file_read_text("/tmp", "/tmp", 100, FILE_READ_NONBLOCK, &text, &len, NULL,
	                                err, sizeof(err)),
	                 -1);
	assert_string_equal(err, "/tmp: not a regular file");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reads_whole_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
