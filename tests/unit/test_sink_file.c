/* test_sink_file.c - the file:// sink (src/job/sink_file.c): what it leaves
 * behind a key, whatever was at KEY.partial before. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "job/sink.h"
#include "util/file.h"

struct target {
	char dir[64];
	char victim[80];
	char key_path[96];
	char partial[112];
	struct sink *sink;
};

static int target_setup(void **state)
{
	struct target *t = calloc(1, sizeof(*t));
	char err[256];
	snprintf(t->dir, sizeof(t->dir), "/tmp/opsdeck-test-sink-XXXXXX");
	if (t == NULL || mkdtemp(t->dir) == NULL)
		return -1;
	snprintf(t->victim, sizeof(t->victim), "%s-victim", t->dir);
	snprintf(t->key_path, sizeof(t->key_path), "%s/db.sql.gz", t->dir);
	snprintf(t->partial, sizeof(t->partial), "%s.partial", t->key_path);
	t->sink = sink_file_new("file:///test", t->dir, err, sizeof(err));
	if (t->sink == NULL)
		return -1;
	*state = t;
	return 0;
}

static int target_teardown(void **state)
{
	struct target *t = *state;
	sink_free(t->sink);
	unlink(t->partial);
	unlink(t->key_path);
	unlink(t->victim);
	rmdir(t->dir);
	free(t);
	return 0;
}

static void write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(file_write_all(fd, text, strlen(text)), 0);
	assert_int_equal(close(fd), 0);
}

static char *read_text(const char *path)
{
	char *text = NULL;
	size_t len = 0;
	char err[256];
	assert_int_equal(
	    file_read_text(path, path, 1 << 20, FILE_READ_TEXT, &text, &len, NULL, err, sizeof(err)),
	    0);
	return text;
}

static void test_stale_partial_is_replaced(void **state)
{
	struct target *t = *state;
	char err[256] = "";
	write_text(t->partial, "left by a killed run, much longer than the new object");
	assert_int_equal(sink_put(t->sink, "db.sql.gz", "new", 3, err, sizeof(err)), 0);
	char *text = read_text(t->key_path);
	assert_string_equal(text, "new");
	free(text);
	assert_int_not_equal(access(t->partial, F_OK), 0);
}

static void test_planted_symlink_is_not_followed(void **state)
{
	struct target *t = *state;
	char err[256] = "";
	write_text(t->victim, "someone else's file");
	assert_int_equal(symlink(t->victim, t->partial), 0);
	assert_int_equal(sink_put(t->sink, "db.sql.gz", "backup", 6, err, sizeof(err)), 0);

	char *victim = read_text(t->victim);
	assert_string_equal(victim, "someone else's file");
	free(victim);
	struct stat st;
	assert_int_equal(lstat(t->key_path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	char *text = read_text(t->key_path);
	assert_string_equal(text, "backup");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_stale_partial_is_replaced, target_setup,
	                                    target_teardown),
	    cmocka_unit_test_setup_teardown(test_planted_symlink_is_not_followed, target_setup,
	                                    target_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
