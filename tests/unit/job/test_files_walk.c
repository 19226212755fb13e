/* test_files_walk.c - the file backup's walk (symlinks never followed,
 * patterns, sorted output), opening what it listed when the tree changed in
 * between, and the pure naming helpers of backups: object keys, timestamps,
 * key validation. */
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "job/backup.h"
#include "job/files_walk.h"
#include "repo/sink.h"

static char root[256];

static void put(const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int make_tree(void **state)
{
	snprintf(root, sizeof(root), "/tmp/opsdeck-test-walk.XXXXXX");
	assert_non_null(mkdtemp(root));
	char path[512];
	const char *dirs[] = {"src", "src/a", "src/a/b", "src/sp ace", "outside"};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		assert_int_equal(mkdir(path, 0700), 0);
	}
	put("src/top.txt", "top");
	put("src/a/b/deep.png", "png");
	put("src/sp ace/ü +%.txt", "odd");
	put("outside/secret", "secret");
	char target[512];
	snprintf(path, sizeof(path), "%s/src/escape", root);
	snprintf(target, sizeof(target), "%s/outside/secret", root);
	assert_int_equal(symlink(target, path), 0);
	snprintf(path, sizeof(path), "%s/src/a/escape-dir", root);
	snprintf(target, sizeof(target), "%s/outside", root);
	assert_int_equal(symlink(target, path), 0);
	snprintf(path, sizeof(path), "%s/src/a/inside", root);
	assert_int_equal(symlink("../top.txt", path), 0);
	return 0;
}

static int remove_tree(void **state)
{
	/* small and known: removed by hand, no rm -rf */
	const char *files[] = {"src/top.txt",    "src/a/b/deep.png", "src/sp ace/ü +%.txt",
	                       "outside/secret", "src/escape",       "src/a/escape-dir",
	                       "src/a/inside"};
	const char *dirs[] = {"src/a/b", "src/a", "src/sp ace", "src", "outside", ""};
	char path[512];
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, files[i]);
		unlink(path);
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		rmdir(path);
	}
	return 0;
}

static void test_walk_skips_symlinks(void **state)
{
	char src[512], err[256];
	snprintf(src, sizeof(src), "%s/src", root);
	struct files_list list;
	assert_int_equal(files_walk(src, NULL, 0, &list, err, sizeof(err)), 0);
	assert_int_equal(list.count, 3);
	/* sorted by path */
	assert_string_equal(list.entries[0].path, "a/b/deep.png");
	assert_string_equal(list.entries[1].path, "sp ace/ü +%.txt");
	assert_string_equal(list.entries[2].path, "top.txt");
	assert_int_equal(list.skipped_links, 3);
	assert_int_equal(list.skipped_other, 0);
	assert_int_equal(list.total_bytes, 9);
	/* each one named, sorted */
	assert_int_equal(list.skipped_named, 3);
	assert_string_equal(list.skipped[0].path, "a/escape-dir");
	assert_string_equal(list.skipped[1].path, "a/inside");
	assert_string_equal(list.skipped[2].path, "escape");
	assert_true(list.skipped[0].link);
	files_list_free(&list);
}

static void test_walk_patterns(void **state)
{
	char src[512], err[256];
	snprintf(src, sizeof(src), "%s/src", root);
	char *patterns[] = {"**/*.png", "*.txt"};
	struct files_list list;
	assert_int_equal(files_walk(src, patterns, 2, &list, err, sizeof(err)), 0);
	assert_int_equal(list.count, 2);
	assert_string_equal(list.entries[0].path, "a/b/deep.png");
	assert_string_equal(list.entries[1].path, "top.txt");
	files_list_free(&list);
}

static void test_walk_missing_source(void **state)
{
	char err[256] = "";
	struct files_list list;
	assert_int_equal(files_walk("/nonexistent/opsdeck", NULL, 0, &list, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/opsdeck"));
}

/* ------------------------------------------ the tree changes after the walk */

static char swap_root[256];

static void swap_path(char *dst, size_t size, const char *rel)
{
	snprintf(dst, size, "%s/%s", swap_root, rel);
}

static void swap_put(const char *rel, const char *text)
{
	char path[512];
	swap_path(path, sizeof(path), rel);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void swap_mkdir(const char *rel)
{
	char path[512];
	swap_path(path, sizeof(path), rel);
	assert_int_equal(mkdir(path, 0700), 0);
}

/* Replaces rel by a symbolic link to target (both under swap_root); what
 * was there is moved aside to rel.old. */
static void swap_for_link(const char *rel, const char *target)
{
	char path[512], old[520], to[512];
	swap_path(path, sizeof(path), rel);
	snprintf(old, sizeof(old), "%s.old", path);
	swap_path(to, sizeof(to), target);
	assert_int_equal(rename(path, old), 0);
	assert_int_equal(symlink(to, path), 0);
}

static size_t find(const struct files_list *list, const char *path)
{
	for (size_t i = 0; i < list->count; i++)
		if (strcmp(list->entries[i].path, path) == 0)
			return i;
	fail_msg("%s not listed", path);
	return 0;
}

/* What files_open gives for path: its content, or "" when refused. */
static void open_read(const struct files_list *list, const char *path, char *text, size_t size,
                      char *err, size_t errlen)
{
	err[0] = text[0] = '\0';
	int fd = files_open(list, find(list, path), err, errlen);
	if (fd < 0)
		return;
	ssize_t n = read(fd, text, size - 1);
	assert_true(n >= 0);
	text[n] = '\0';
	close(fd);
}

/* files_open refuses path, giving a reason that holds why. */
static void assert_refused(const struct files_list *list, const char *path, const char *why)
{
	char text[64], err[256];
	open_read(list, path, text, sizeof(text), err, sizeof(err));
	assert_string_equal(text, "");
	assert_non_null(strstr(err, why));
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int make_swap_tree(void **state)
{
	snprintf(swap_root, sizeof(swap_root), "/tmp/opsdeck-test-swap.XXXXXX");
	assert_non_null(mkdtemp(swap_root));
	const char *dirs[] = {"src", "src/z", "src/keep", "outside", "outside/keep"};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		swap_mkdir(dirs[i]);
	swap_put("src/z/shadow", "mine");
	swap_put("src/keep/file", "kept");
	swap_put("src/top", "top");
	swap_put("src/fifo-later", "plain");
	swap_put("outside/shadow", "SECRET");
	swap_put("outside/keep/file", "SECRET");
	return 0;
}

static int remove_swap_tree(void **state)
{
	/* depth first, links removed and never followed */
	return nftw(swap_root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A directory, a file and the source itself replaced by symbolic links (to a
 * directory outside the source holding a secret) between the walk and the
 * opening: nothing of outside is read, and the operator is told why. */
static void test_open_after_swap(void **state)
{
	char src[512], err[256], text[64];
	swap_path(src, sizeof(src), "src");
	struct files_list list;
	assert_int_equal(files_walk(src, NULL, 0, &list, err, sizeof(err)), 0);
	assert_int_equal(list.count, 4);

	/* untouched: read as listed */
	open_read(&list, "z/shadow", text, sizeof(text), err, sizeof(err));
	assert_string_equal(text, "mine");

	swap_for_link("src/z", "outside");
	assert_refused(&list, "z/shadow", "symbolic link");
	swap_for_link("src/top", "outside/shadow");
	assert_refused(&list, "top", "symbolic link");

	/* a FIFO in a file's place is refused at once, not waited on */
	char path[512];
	swap_path(path, sizeof(path), "src/fifo-later");
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_refused(&list, "fifo-later", "regular file");

	/* the source was opened once: moving it and putting a link in its
	 * place changes nothing */
	swap_for_link("src", "outside");
	open_read(&list, "keep/file", text, sizeof(text), err, sizeof(err));
	assert_string_equal(text, "kept");
	files_list_free(&list);
}

static void test_naming(void **state)
{
	char ts[64], name[256];
	backup_timestamp(ts, sizeof(ts), 1795775102123LL); /* 2026-11-27T10:25:02.123Z */
	assert_string_equal(ts, "2026-11-27T10-25-02-123Z");
	backup_db_name(name, sizeof(name), "shop", ts, false, NULL);
	assert_string_equal(name, "shop_2026-11-27T10-25-02-123Z.sql.gz");
	backup_db_name(name, sizeof(name), "shop", ts, true, NULL);
	assert_string_equal(name, "shop_2026-11-27T10-25-02-123Z.dump.gz");
	/* a database name cannot make a path or inject anything */
	backup_db_name(name, sizeof(name), "../x y;rm", ts, false, NULL);
	assert_string_equal(name, ".._x_y_rm_2026-11-27T10-25-02-123Z.sql.gz");
	backup_db_name(name, sizeof(name), "shop", ts, false, "zstd");
	assert_string_equal(name, "shop_2026-11-27T10-25-02-123Z.sql.zst");
	backup_db_name(name, sizeof(name), "shop", ts, true, "zstd");
	assert_string_equal(name, "shop_2026-11-27T10-25-02-123Z.dump.zst");
	backup_db_name(name, sizeof(name), "shop", ts, true, "gzip");
	assert_string_equal(name, "shop_2026-11-27T10-25-02-123Z.dump.gz");
	assert_true(backup_db_key("shop_x.sql.zst"));
	assert_true(backup_db_key("shop_x.dump.gz"));
	assert_false(backup_db_key("shop_x.sql.zst.json"));
	assert_false(backup_db_key("2026/a.png.gz"));
}

static void test_key_valid(void **state)
{
	assert_true(sink_key_valid("a.sql.gz"));
	assert_true(sink_key_valid("2026/a b/ü.gz"));
	assert_false(sink_key_valid(""));
	assert_false(sink_key_valid("/abs"));
	assert_false(sink_key_valid("a/../b"));
	assert_false(sink_key_valid(".."));
	assert_false(sink_key_valid("a//b"));
	assert_false(sink_key_valid("a/./b"));
	assert_false(sink_key_valid("a/"));
	assert_false(sink_key_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_walk_skips_symlinks),
	    cmocka_unit_test(test_walk_patterns),
	    cmocka_unit_test(test_walk_missing_source),
	    cmocka_unit_test_setup_teardown(test_open_after_swap, make_swap_tree, remove_swap_tree),
	    cmocka_unit_test(test_naming),
	    cmocka_unit_test(test_key_valid),
	};
	return cmocka_run_group_tests(tests, make_tree, remove_tree);
}
