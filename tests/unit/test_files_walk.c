/* test_files_walk.c - the file backup's walk (symlinks never followed,
 * patterns, sorted output), and the pure naming helpers of backups: object
 * keys, timestamps, key validation. */
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
#include "job/sink.h"

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
	assert_int_equal(list.total_bytes, 9);
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

static void test_naming(void **state)
{
	char ts[64], name[256];
	backup_timestamp(ts, sizeof(ts), 1795775102123LL); /* 2026-11-27T10:25:02.123Z */
	assert_string_equal(ts, "2026-11-27T10-25-02-123Z");
	backup_db_name(name, sizeof(name), "shop", ts, false);
	assert_string_equal(name, "shop_2026-11-27T10-25-02-123Z.sql.gz");
	backup_db_name(name, sizeof(name), "shop", ts, true);
	assert_string_equal(name, "shop_2026-11-27T10-25-02-123Z.dump.gz");
	/* a database name cannot make a path or inject anything */
	backup_db_name(name, sizeof(name), "../x y;rm", ts, false);
	assert_string_equal(name, ".._x_y_rm_2026-11-27T10-25-02-123Z.sql.gz");
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
	    cmocka_unit_test(test_walk_skips_symlinks), cmocka_unit_test(test_walk_patterns),
	    cmocka_unit_test(test_walk_missing_source), cmocka_unit_test(test_naming),
	    cmocka_unit_test(test_key_valid),
	};
	return cmocka_run_group_tests(tests, make_tree, remove_tree);
}
