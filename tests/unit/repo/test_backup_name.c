/* test_backup_name.c - how a new backup is named (backup_name_pick in
 * src/job/backup.c): the seed's name with the run id after the timestamp,
 * and another id whenever the target already holds something of that name,
 * on a real file:// target. */
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

#include "job/audit.h"
#include "job/backup.h"
#include "repo/sink.h"

#define TS "2026-11-27T10-25-02-123Z"

/* Audit ids in a known order: aaaaaaaa-..., bbbbbbbb-..., ... */
static int next_letter;

static void fixed_id(char *id)
{
	char c = (char)('a' + next_letter++ % 6);
	snprintf(id, AUDIT_ID_SIZE, "%c%c%c%c%c%c%c%c-0000-4000-8000-000000000000", c, c, c, c, c,
	         c, c, c);
}

struct target {
	char dir[64];
	struct sink *sink;
};

static int target_setup(void **state)
{
	struct target *t = calloc(1, sizeof(*t));
	char err[256];
	if (t == NULL)
		return -1;
	snprintf(t->dir, sizeof(t->dir), "/tmp/opsdeck-test-name-XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	t->sink = sink_file_new("file:///test", t->dir, err, sizeof(err));
	if (t->sink == NULL)
		return -1;
	next_letter = 0;
	*state = t;
	return 0;
}

static int target_teardown(void **state)
{
	struct target *t = *state;
	sink_free(t->sink);
	/* only what the tests made: a few files and one directory */
	int fd = open(t->dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		const char *names[] = {
		    "shop_" TS "_aaaaaaaa.sql.gz", "shop_" TS "_bbbbbbbb.sql.gz.partial",
		    "shop_" TS "_cccccccc.sql.gz.json", TS "_aaaaaaaa.files.json"};
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			unlinkat(fd, names[i], 0);
		unlinkat(fd, TS "_bbbbbbbb", AT_REMOVEDIR);
		close(fd);
	}
	rmdir(t->dir);
	free(t);
	return 0;
}

static void touch(const struct target *t, const char *name)
{
	char path[160];
	snprintf(path, sizeof(path), "%s/%s", t->dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(close(fd), 0);
}

static void test_first_id_when_free(void **state)
{
	struct target *t = *state;
	char id[AUDIT_ID_SIZE], name[256], err[256] = "";
	assert_int_equal(backup_name_pick(t->sink, "shop", TS, false, NULL, fixed_id, id, name,
	                                  sizeof(name), err, sizeof(err)),
	                 0);
	assert_string_equal(name, "shop_" TS "_aaaaaaaa.sql.gz");
	assert_string_equal(id, "aaaaaaaa-0000-4000-8000-000000000000");
	next_letter = 0;
	assert_int_equal(backup_name_pick(t->sink, "shop", TS, true, NULL, fixed_id, id, name,
	                                  sizeof(name), err, sizeof(err)),
	                 0);
	assert_string_equal(name, "shop_" TS "_aaaaaaaa.dump.gz");
	next_letter = 0;
	assert_int_equal(backup_name_pick(t->sink, "shop", TS, false, "zstd", fixed_id, id, name,
	                                  sizeof(name), err, sizeof(err)),
	                 0);
	assert_string_equal(name, "shop_" TS "_aaaaaaaa.sql.zst");
	next_letter = 0;
	assert_int_equal(backup_name_pick(t->sink, NULL, TS, false, NULL, fixed_id, id, name,
	                                  sizeof(name), err, sizeof(err)),
	                 0);
	assert_string_equal(name, TS "_aaaaaaaa");
}

/* An object, a .partial being written, a manifest left alone: each makes
 * the name taken, and the id that goes with the name is the one returned. */
static void test_taken_names_are_skipped(void **state)
{
	struct target *t = *state;
	char id[AUDIT_ID_SIZE], name[256], err[256] = "";
	touch(t, "shop_" TS "_aaaaaaaa.sql.gz");
	touch(t, "shop_" TS "_bbbbbbbb.sql.gz.partial");
	touch(t, "shop_" TS "_cccccccc.sql.gz.json");
	assert_int_equal(backup_name_pick(t->sink, "shop", TS, false, NULL, fixed_id, id, name,
	                                  sizeof(name), err, sizeof(err)),
	                 0);
	assert_string_equal(name, "shop_" TS "_dddddddd.sql.gz");
	assert_string_equal(id, "dddddddd-0000-4000-8000-000000000000");
}

static void test_files_directory_taken(void **state)
{
	struct target *t = *state;
	char id[AUDIT_ID_SIZE], name[256], err[256] = "", path[160];
	touch(t, TS "_aaaaaaaa.files.json");
	snprintf(path, sizeof(path), "%s/%s", t->dir, TS "_bbbbbbbb");
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(backup_name_pick(t->sink, NULL, TS, false, NULL, fixed_id, id, name,
	                                  sizeof(name), err, sizeof(err)),
	                 0);
	assert_string_equal(name, TS "_cccccccc");
}

static void same_id(char *id)
{
	snprintf(id, AUDIT_ID_SIZE, "aaaaaaaa-0000-4000-8000-000000000000");
}

/* An id source that keeps giving a taken name ends in an error, not in a
 * loop nor in the taken name. */
static void test_gives_up(void **state)
{
	struct target *t = *state;
	char id[AUDIT_ID_SIZE], name[256], err[256] = "";
	touch(t, "shop_" TS "_aaaaaaaa.sql.gz");
	assert_int_equal(backup_name_pick(t->sink, "shop", TS, false, NULL, same_id, id, name,
	                                  sizeof(name), err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "no free name"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_first_id_when_free, target_setup, target_teardown),
	    cmocka_unit_test_setup_teardown(test_taken_names_are_skipped, target_setup,
	                                    target_teardown),
	    cmocka_unit_test_setup_teardown(test_files_directory_taken, target_setup,
	                                    target_teardown),
	    cmocka_unit_test_setup_teardown(test_gives_up, target_setup, target_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
