/* test_tree_write.c - writing below one directory and never outside it:
 * the path check, links on the way, publishing with and without
 * replacing, and nothing left behind by an abort. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "job/tree_write.h"

struct fixture {
	char root[64];
	char outside[128];
	int rootfd;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	snprintf(f->root, sizeof(f->root), "/tmp/test_tree_write.XXXXXX");
	assert_non_null(mkdtemp(f->root));
	snprintf(f->outside, sizeof(f->outside), "%s/outside", f->root);
	assert_int_equal(mkdir(f->outside, 0700), 0);
	char into[128];
	snprintf(into, sizeof(into), "%s/into", f->root);
	char err[256];
	f->rootfd = tree_open_root(into, true, err, sizeof(err));
	assert_true(f->rootfd >= 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	close(f->rootfd);
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->root);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static char *read_at(int dirfd, const char *path)
{
	static char buf[256];
	int fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW);
	if (fd < 0)
		return NULL;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

/* Writes text to path below the root; the result of the commit. */
static int put(struct fixture *f, const char *path, const char *text, bool overwrite, char *err,
               size_t errlen)
{
	const char *name = NULL;
	int dir = tree_open_parent(f->rootfd, path, true, &name, err, errlen);
	if (dir < 0)
		return -1;
	struct tree_file t;
	int rc = tree_file_begin(&t, dir, name, 0600, err, errlen);
	if (rc == 0) {
		assert_int_equal(write(t.fd, text, strlen(text)), (ssize_t)strlen(text));
		rc = tree_file_commit(&t, overwrite, err, errlen);
	}
	close(dir);
	return rc;
}

static void test_path_valid(void **state)
{
	(void)state;
	assert_true(tree_path_valid("a"));
	assert_true(tree_path_valid("a/b/c.txt"));
	assert_true(tree_path_valid("..a/b.."));
	assert_true(tree_path_valid("with space/naïve"));
	assert_false(tree_path_valid(""));
	assert_false(tree_path_valid(NULL));
	assert_false(tree_path_valid("/etc/passwd"));
	assert_false(tree_path_valid(".."));
	assert_false(tree_path_valid("../x"));
	assert_false(tree_path_valid("a/../../x"));
	assert_false(tree_path_valid("a/.."));
	assert_false(tree_path_valid("./a"));
	assert_false(tree_path_valid("a//b"));
	assert_false(tree_path_valid("a/"));
	char longer[5000];
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	assert_false(tree_path_valid(longer));
}

static void test_writes_creating_directories(void **state)
{
	struct fixture *f = *state;
	char err[256] = "";
	assert_int_equal(put(f, "a/b/c.txt", "hello", false, err, sizeof(err)), 0);
	assert_string_equal(read_at(f->rootfd, "a/b/c.txt"), "hello");
	struct stat st;
	assert_int_equal(fstatat(f->rootfd, "a/b/c.txt", &st, 0), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(fstatat(f->rootfd, "a/b", &st, 0), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
}

static void test_refuses_existing_unless_overwrite(void **state)
{
	struct fixture *f = *state;
	char err[256] = "";
	assert_int_equal(put(f, "x.txt", "one", false, err, sizeof(err)), 0);
	assert_int_equal(put(f, "x.txt", "two", false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "x.txt exists (--overwrite replaces it)"));
	assert_string_equal(read_at(f->rootfd, "x.txt"), "one");
	assert_int_equal(put(f, "x.txt", "three", true, err, sizeof(err)), 0);
	assert_string_equal(read_at(f->rootfd, "x.txt"), "three");
	enum tree_state s;
	assert_int_equal(tree_probe(f->rootfd, "x.txt", &s, err, sizeof(err)), 0);
	assert_int_equal(s, TREE_FILE);
	assert_int_equal(tree_probe(f->rootfd, "nothing", &s, err, sizeof(err)), 0);
	assert_int_equal(s, TREE_ABSENT);
}

static void test_link_on_the_way_refused(void **state)
{
	struct fixture *f = *state;
	char err[256] = "";
	assert_int_equal(symlinkat(f->outside, f->rootfd, "evil"), 0);
	assert_int_equal(put(f, "evil/x.txt", "no", false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "evil is a symbolic link, not followed"));
	const char *name;
	assert_int_equal(tree_open_parent(f->rootfd, "evil/y", false, &name, err, sizeof(err)), -1);
	char path[160];
	snprintf(path, sizeof(path), "%s/x.txt", f->outside);
	assert_int_equal(access(path, F_OK), -1);
}

static void test_link_at_the_name_not_replaced(void **state)
{
	struct fixture *f = *state;
	char err[256] = "", target[160];
	snprintf(target, sizeof(target), "%s/victim", f->outside);
	FILE *v = fopen(target, "w");
	assert_non_null(v);
	fputs("keep", v);
	fclose(v);
	assert_int_equal(symlinkat(target, f->rootfd, "link"), 0);
	assert_int_equal(put(f, "link", "no", true, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a regular file"));
	enum tree_state s;
	assert_int_equal(tree_probe(f->rootfd, "link", &s, err, sizeof(err)), 0);
	assert_int_equal(s, TREE_OTHER);
	v = fopen(target, "r");
	char buf[16] = "";
	assert_non_null(fgets(buf, sizeof(buf), v));
	fclose(v);
	assert_string_equal(buf, "keep");
}

static void test_missing_without_create(void **state)
{
	struct fixture *f = *state;
	char err[256] = "";
	const char *name = NULL;
	assert_int_equal(
	    tree_open_parent(f->rootfd, "no/such/file", false, &name, err, sizeof(err)),
	    TREE_MISSING);
	assert_int_equal(faccessat(f->rootfd, "no", F_OK, 0), -1);
	char missing[160];
	snprintf(missing, sizeof(missing), "%s/not-there", f->root);
	assert_int_equal(tree_open_root(missing, false, err, sizeof(err)), TREE_MISSING);
	assert_int_equal(access(missing, F_OK), -1);
}

static void test_abort_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	char err[256] = "";
	struct tree_file t;
	assert_int_equal(tree_file_begin(&t, f->rootfd, "gone.txt", 0600, err, sizeof(err)), 0);
	char tmp[sizeof(t.tmp)];
	memcpy(tmp, t.tmp, sizeof(tmp));
	assert_int_equal(tmp[0], '.');
	assert_int_equal(faccessat(f->rootfd, tmp, F_OK, 0), 0);
	tree_file_abort(&t);
	assert_int_equal(faccessat(f->rootfd, tmp, F_OK, 0), -1);
	assert_int_equal(faccessat(f->rootfd, "gone.txt", F_OK, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_path_valid),
	    cmocka_unit_test_setup_teardown(test_writes_creating_directories, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refuses_existing_unless_overwrite, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_link_on_the_way_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_link_at_the_name_not_replaced, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missing_without_create, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_abort_leaves_nothing, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
