/* test_backup_list.c - what `backup list` and the freshness probe make of a
 * target (backup_list, backup_list_unfinished, backup_probe in
 * src/job/backup.c) on a real file:// target: a backup whose stored size is
 * not the manifest's is not complete, and writes left unfinished are found. */
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "job/backup.h"
#include "repo/manifest.h"
#include "repo/sink.h"
#include "model/snapshot.h"

#define OLD_DB  "shop_2026-01-01T00-00-00-000Z_aaaaaaaa.sql.gz"
#define NEW_DB  "shop_2026-01-02T00-00-00-000Z_bbbbbbbb.sql.gz"
#define FILES   "2026-01-02T00-00-00-000Z_cccccccc"
#define HOUR_MS (3600 * 1000LL)

struct target {
	char dir[64];
	struct config cfg;
};

static void write_file(const char *dir, const char *name, const void *data, size_t len,
                       int64_t mtime_ms)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(path, 0700);
		*p = '/';
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	struct timespec times[2] = {{mtime_ms / 1000, 0}, {mtime_ms / 1000, 0}};
	assert_int_equal(futimens(fd, times), 0);
	close(fd);
}

/* An object of `stored` bytes and a manifest that says `recorded`. */
static void db_backup(const char *dir, const char *key, size_t stored, uint64_t recorded,
                      int64_t mtime_ms)
{
	char *data = calloc(1, stored ? stored : 1);
	write_file(dir, key, data, stored, mtime_ms);
	free(data);
	struct manifest m;
	memset(&m, 0, sizeof(m));
	snprintf(m.kind, sizeof(m.kind), "db");
	snprintf(m.key, sizeof(m.key), "%s", key);
	snprintf(m.format, sizeof(m.format), "plain");
	m.bytes_in = recorded * 3;
	m.bytes_out = recorded;
	memset(m.sha256, 'a', 64);
	char *text = manifest_to_json(&m);
	char mkey[600];
	snprintf(mkey, sizeof(mkey), "%s.json", key);
	write_file(dir, mkey, text, strlen(text), mtime_ms);
	free(text);
}

static int target_setup(void **state)
{
	struct target *t = calloc(1, sizeof(*t));
	if (t == NULL)
		return -1;
	snprintf(t->dir, sizeof(t->dir), "/tmp/opsdeck-test-list-XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	config_defaults(&t->cfg);
	free(t->cfg.backup.target);
	if (asprintf(&t->cfg.backup.target, "file://%s", t->dir) < 0)
		return -1;
	*state = t;
	return 0;
}

static int target_teardown(void **state)
{
	struct target *t = *state;
	char *argv[] = {"rm", "-rf", t->dir, NULL};
	pid_t pid = fork();
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	config_free(&t->cfg);
	free(t);
	return 0;
}

static const struct backup_entry *find(const struct backup_entry *e, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(e[i].key, key) == 0)
			return &e[i];
	return NULL;
}

static void test_truncated_object_is_not_complete(void **state)
{
	struct target *t = *state;
	int64_t now = (int64_t)time(NULL) * 1000;
	db_backup(t->dir, OLD_DB, 300, 300, now - 2 * HOUR_MS);
	db_backup(t->dir, NEW_DB, 100, 303, now - HOUR_MS); /* cut short */
	struct backup_entry *e = NULL;
	size_t n = 0;
	char err[256];
	assert_int_equal(backup_list(&t->cfg, NULL, &e, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	const struct backup_entry *bad = find(e, n, NEW_DB), *good = find(e, n, OLD_DB);
	assert_non_null(bad);
	assert_non_null(good);
	assert_false(bad->complete);
	assert_string_equal(bad->problem, "100 bytes stored, the manifest says 303");
	assert_true(good->complete);
	assert_string_equal(good->problem, "");
	backup_entries_free(e, n);

	/* the freshness probe takes the older, whole one */
	struct backup_status status;
	backup_probe(&t->cfg, NULL, NULL, 0, &status);
	assert_string_equal(status.error, "");
	assert_string_equal(status.newest_key, OLD_DB);
	assert_int_equal(status.newest_ms, now - 2 * HOUR_MS);
}

static void test_files_backup_checked_file_by_file(void **state)
{
	struct target *t = *state;
	int64_t now = (int64_t)time(NULL) * 1000;
	write_file(t->dir, FILES "/a.txt.gz", "aaaa", 4, now);
	write_file(t->dir, FILES "/b.txt.gz", "bb", 2, now); /* the manifest says 5 */
	struct manifest_file files[3] = {
	    {.path = "a.txt", .key = FILES "/a.txt.gz", .size = 9, .stored = 4},
	    {.path = "b.txt", .key = FILES "/b.txt.gz", .size = 9, .stored = 5},
	    {.path = "c.txt", .key = FILES "/c.txt.gz", .size = 9, .stored = 1},
	};
	struct manifest m;
	memset(&m, 0, sizeof(m));
	snprintf(m.kind, sizeof(m.kind), "files");
	snprintf(m.key, sizeof(m.key), "%s", FILES);
	snprintf(m.format, sizeof(m.format), "gzip-each");
	m.files = files;
	m.file_count = 3;
	m.bytes_in = 27;
	m.bytes_out = 10;
	char *text = manifest_to_json(&m);
	write_file(t->dir, FILES ".files.json", text, strlen(text), now);
	free(text);

	struct backup_entry *e = NULL;
	size_t n = 0;
	char err[256];
	assert_int_equal(backup_list(&t->cfg, NULL, &e, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_false(e[0].complete);
	assert_non_null(strstr(e[0].problem, "2 of 3 files missing or cut short"));
	assert_non_null(
	    strstr(e[0].problem, FILES "/b.txt.gz: 2 bytes stored, the manifest says 5"));
	backup_entries_free(e, n);
}

static void test_partial_files_are_unfinished(void **state)
{
	struct target *t = *state;
	int64_t now = (int64_t)time(NULL) * 1000;
	db_backup(t->dir, OLD_DB, 10, 10, now - 3 * HOUR_MS);
	write_file(t->dir, NEW_DB ".partial", "x", 1, now - 2 * HOUR_MS);
	write_file(t->dir, FILES "/up/\x1b[2J.png.gz.partial", "y", 1, now);

	struct backup_entry *e = NULL;
	size_t n = 0;
	char err[256];
	assert_int_equal(backup_list(&t->cfg, NULL, &e, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1); /* the .partial files are no backups */
	backup_entries_free(e, n);

	struct sink_entry *u = NULL;
	size_t un = 0;
	assert_int_equal(backup_list_unfinished(&t->cfg, NULL, &u, &un, err, sizeof(err)), 0);
	assert_int_equal(un, 2);
	assert_string_equal(u[0].key, NEW_DB); /* oldest first */
	assert_int_equal(u[0].modified_ms, now - 2 * HOUR_MS);
	assert_null(u[0].upload_id);
	assert_string_equal(u[1].key, FILES "/up/\x1b[2J.png.gz");
	sink_entries_free(u, un);

	struct backup_status status;
	backup_probe(&t->cfg, NULL, NULL, 0, &status);
	assert_int_equal(status.unfinished, 2);
	assert_int_equal(status.unfinished_oldest_ms, now - 2 * HOUR_MS);
	assert_string_equal(status.unfinished_oldest_key, NEW_DB);
	assert_string_equal(status.newest_key, OLD_DB);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_truncated_object_is_not_complete, target_setup,
	                                    target_teardown),
	    cmocka_unit_test_setup_teardown(test_files_backup_checked_file_by_file, target_setup,
	                                    target_teardown),
	    cmocka_unit_test_setup_teardown(test_partial_files_are_unfinished, target_setup,
	                                    target_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
