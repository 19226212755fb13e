/* test_sink_file.c - the file:// sink (src/repo/sink_file.c): it never
 * removes, follows or replaces what is at KEY.partial or KEY, tells which
 * names are taken, creates a missing target 0700, discards an unfinished
 * write and removes the directories a removal leaves empty. */
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

#include "repo/sink.h"
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
	assert_int_equal(file_read_text(path, path, 1 << 20, FILE_READ_TEXT, &text, &len, NULL, err,
	                                sizeof(err)),
	                 0);
	return text;
}

static void assert_text(const char *path, const char *want)
{
	char *text = read_text(path);
	assert_string_equal(text, want);
	free(text);
}

/* Another run's KEY.partial (or a killed run's) is neither removed nor
 * written: the new writer fails and the file stays as it was. */
static void test_existing_partial_is_left_alone(void **state)
{
	struct target *t = *state;
	char err[256] = "";
	write_text(t->partial, "another run is writing this");
	assert_int_equal(sink_put(t->sink, "db.sql.gz", "new", 3, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "another run is writing it"));
	assert_text(t->partial, "another run is writing this");
	assert_int_not_equal(access(t->key_path, F_OK), 0);
}

static void test_planted_symlink_is_not_followed(void **state)
{
	struct target *t = *state;
	char err[256] = "";
	write_text(t->victim, "someone else's file");
	assert_int_equal(symlink(t->victim, t->partial), 0);
	assert_int_equal(sink_put(t->sink, "db.sql.gz", "backup", 6, err, sizeof(err)), -1);

	assert_text(t->victim, "someone else's file");
	struct stat st;
	assert_int_equal(lstat(t->partial, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_not_equal(access(t->key_path, F_OK), 0);
}

static void test_existing_object_is_not_replaced(void **state)
{
	struct target *t = *state;
	char err[256] = "";
	write_text(t->key_path, "a complete backup");
	assert_int_equal(sink_put(t->sink, "db.sql.gz", "new", 3, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "exists already"));
	assert_text(t->key_path, "a complete backup");
	assert_int_not_equal(access(t->partial, F_OK), 0);
}

/* A key published by someone else while this writer wrote: finish fails,
 * the other object stays whole, this writer's .partial is gone. */
static void test_publish_never_replaces(void **state)
{
	struct target *t = *state;
	char err[256] = "";
	struct sink_writer *w = t->sink->ops->open(t->sink, "db.sql.gz", err, sizeof(err));
	assert_non_null(w);
	assert_int_equal(t->sink->ops->write(w, "mine", 4, err, sizeof(err)), 0);
	write_text(t->key_path, "published first");
	assert_int_equal(t->sink->ops->finish(w, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "another run wrote that key"));
	assert_text(t->key_path, "published first");
	assert_int_not_equal(access(t->partial, F_OK), 0);
}

/* discard removes the NAME.partial unfinished lists (gone already: fine);
 * remove takes the directories a files backup's key leaves empty, never
 * one that still holds something, nor the target itself. */
static void test_discard_and_remove(void **state)
{
	struct target *t = *state;
	char err[256] = "", path[160];
	write_text(t->partial, "left by a kill");
	struct sink_entry *u = NULL;
	size_t n = 0;
	assert_int_equal(t->sink->ops->unfinished(t->sink, &u, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_string_equal(u[0].key, "db.sql.gz");
	assert_int_equal(t->sink->ops->discard(t->sink, &u[0], err, sizeof(err)), 0);
	assert_int_not_equal(access(t->partial, F_OK), 0);
	assert_int_equal(t->sink->ops->discard(t->sink, &u[0], err, sizeof(err)), 0);
	sink_entries_free(u, n);

	assert_int_equal(sink_put(t->sink, "run/a/x.gz", "x", 1, err, sizeof(err)), 0);
	assert_int_equal(sink_put(t->sink, "run/b.gz", "b", 1, err, sizeof(err)), 0);
	assert_int_equal(t->sink->ops->remove(t->sink, "run/a/x.gz", err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/run/a", t->dir);
	assert_int_not_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/run", t->dir);
	assert_int_equal(access(path, F_OK), 0); /* b.gz is still in it */
	assert_int_equal(t->sink->ops->remove(t->sink, "run/b.gz", err, sizeof(err)), 0);
	assert_int_not_equal(access(path, F_OK), 0);
	assert_int_equal(access(t->dir, F_OK), 0);
}

static void test_taken(void **state)
{
	struct target *t = *state;
	char err[256] = "", path[160];
	bool taken = true;
	assert_int_equal(t->sink->ops->taken(t->sink, "db.sql.gz", &taken, err, sizeof(err)), 0);
	assert_false(taken);
	write_text(t->partial, "being written");
	assert_int_equal(t->sink->ops->taken(t->sink, "db.sql.gz", &taken, err, sizeof(err)), 0);
	assert_true(taken);
	/* a files backup's directory */
	snprintf(path, sizeof(path), "%s/run", t->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(t->sink->ops->taken(t->sink, "run", &taken, err, sizeof(err)), 0);
	assert_true(taken);
	assert_int_equal(t->sink->ops->taken(t->sink, "other", &taken, err, sizeof(err)), 0);
	assert_false(taken);
	/* under a directory that does not exist: free */
	assert_int_equal(t->sink->ops->taken(t->sink, "none/x", &taken, err, sizeof(err)), 0);
	assert_false(taken);
	assert_int_equal(rmdir(path), 0);
}

/* A missing target is no error until it is written: prepare creates it and
 * its parents 0700 and says so, once. */
static void test_prepare_creates_the_target(void **state)
{
	struct target *t = *state;
	char err[256] = "", note[256] = "", dir[96], deep[112];
	snprintf(dir, sizeof(dir), "%s/a", t->dir);
	snprintf(deep, sizeof(deep), "%s/a/b", t->dir);
	struct sink *s = sink_file_new("file:///test/a/b", deep, err, sizeof(err));
	assert_non_null(s);
	assert_int_equal(sink_prepare(s, note, sizeof(note), err, sizeof(err)), 0);
	assert_non_null(strstr(note, "created the target directory"));
	assert_non_null(strstr(note, deep));
	struct stat st;
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(deep, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(sink_prepare(s, note, sizeof(note), err, sizeof(err)), 0);
	assert_string_equal(note, "");
	sink_free(s);
	assert_int_equal(rmdir(deep), 0);
	assert_int_equal(rmdir(dir), 0);
}

static void test_not_a_directory(void **state)
{
	struct target *t = *state;
	char err[256] = "";
	write_text(t->victim, "a file");
	assert_null(sink_file_new("file:///test", t->victim, err, sizeof(err)));
	assert_non_null(strstr(err, "exists and is not a directory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_existing_partial_is_left_alone, target_setup,
	                                    target_teardown),
	    cmocka_unit_test_setup_teardown(test_planted_symlink_is_not_followed, target_setup,
	                                    target_teardown),
	    cmocka_unit_test_setup_teardown(test_existing_object_is_not_replaced, target_setup,
	                                    target_teardown),
	    cmocka_unit_test_setup_teardown(test_publish_never_replaces, target_setup,
	                                    target_teardown),
	    cmocka_unit_test_setup_teardown(test_discard_and_remove, target_setup, target_teardown),
	    cmocka_unit_test_setup_teardown(test_taken, target_setup, target_teardown),
	    cmocka_unit_test_setup_teardown(test_prepare_creates_the_target, target_setup,
	                                    target_teardown),
	    cmocka_unit_test_setup_teardown(test_not_a_directory, target_setup, target_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
