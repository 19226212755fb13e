/* Unit tests for history/store on damaged files: a garbage tail of the
 * database, a file that is not a database, a torn or garbage WAL after a
 * writer that never closed. Opening is never fatal; what can be read
 * before the damage is kept, with one warning. */
#include <dirent.h>
#include <fcntl.h>
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

#include "store_fixture.h"
#include "util/xalloc.h"

/* Overwrites `len` bytes at `offset` from the end of the file with garbage
 * (offset 0: appends them). */
static void damage_tail(const char *path, off_t offset, size_t len)
{
	int fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	unsigned char *junk = xmalloc(len);
	for (size_t i = 0; i < len; i++)
		junk[i] = (unsigned char)(i * 131 + 17);
	assert_int_equal(pwrite(fd, junk, len, st.st_size - offset), (ssize_t)len);
	assert_int_equal(close(fd), 0);
	free(junk);
}

/* How many files in dir start with prefix. */
static int count_files(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

static void test_garbage_tail_of_the_database(void **state)
{
	(void)state;
	char *dir = store_fixture_dir();
	struct history_store *s = store_fixture_open(dir);
	store_fixture_append(s, 3000);
	history_store_close(s); /* checkpoints the WAL into the file */
	char *path = xasprintf("%s/history.db", dir);
	damage_tail(path, 8192, 8192);

	char warning[1024], err[1024];
	assert_int_equal(history_store_open(&s, dir, HISTORY_OPEN_WRITE, warning, sizeof(warning),
	                                    err, sizeof(err)),
	                 0);
	assert_non_null(strstr(warning, "was damaged"));
	assert_non_null(strstr(warning, "history.db.corrupt-"));
	assert_int_equal(count_files(dir, "history.db.corrupt-"), 1);
	struct history_span span;
	assert_int_equal(history_store_span(s, &span), 0);
	/* the records before the damaged pages are kept, from the first one */
	assert_true(span.count > 2000);
	assert_true(span.count < 3000);
	assert_int_equal(span.first_ms, 1000);
	struct history_record *r = xmalloc(sizeof(*r));
	assert_int_equal(history_store_state_at(s, 1000, r), 1);
	assert_int_equal(r->seq, 1);
	/* and writing goes on after the last record kept */
	store_fixture_record(r, 9999, 9999000);
	assert_int_equal(history_store_append(s, r, NULL, 0), 0);
	assert_true(r->seq > span.last_seq);
	history_store_close(s);

	/* opened again: nothing to recover any more */
	s = store_fixture_open(dir);
	history_store_close(s);
	free(r);
	free(path);
	store_fixture_remove(dir);
	free(dir);
}

static void test_not_a_database(void **state)
{
	(void)state;
	char *dir = store_fixture_dir();
	char *path = xasprintf("%s/history.db", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 0; i < 4096; i++)
		fputc(i * 7, f);
	assert_int_equal(fclose(f), 0);
	struct history_store *s = NULL;
	char warning[1024], err[1024];
	assert_int_equal(history_store_open(&s, dir, HISTORY_OPEN_WRITE, warning, sizeof(warning),
	                                    err, sizeof(err)),
	                 0);
	assert_non_null(strstr(warning, "was damaged"));
	store_fixture_append(s, 2);
	history_store_close(s);
	free(path);
	store_fixture_remove(dir);
	free(dir);
}

/* A writer that never closed (as after SIGKILL) leaves its records in the
 * WAL: a copy of the files then is what the next writer finds. */
static char *killed_writer(int records)
{
	char *dir = store_fixture_dir();
	struct history_store *s = store_fixture_open(dir);
	store_fixture_append(s, records);
	char *copy = store_fixture_dir();
	store_fixture_copy(dir, copy);
	history_store_close(s);
	store_fixture_remove(dir);
	free(dir);
	return copy;
}

static void test_wal_after_a_killed_writer(void **state)
{
	(void)state;
	const struct {
		off_t offset; /* from the end of the WAL */
		size_t len;
	} damage[] = {
	    {0, 0},      /* as it was left */
	    {0, 3000},   /* garbage appended */
	    {100, 100},  /* the last frame torn */
	    {3000, 3000} /* the last frames overwritten */
	};
	for (size_t i = 0; i < sizeof(damage) / sizeof(damage[0]); i++) {
		char *dir = killed_writer(50);
		char *wal = xasprintf("%s/history.db-wal", dir);
		struct stat st;
		assert_int_equal(stat(wal, &st), 0);
		assert_true(st.st_size > 4096);
		if (damage[i].len)
			damage_tail(wal, damage[i].offset, damage[i].len);
		struct history_store *s = store_fixture_open(dir);
		struct history_span span;
		assert_int_equal(history_store_span(s, &span), 0);
		/* intact: all 50; a damaged last frame loses only the newest
		 * transactions, never the ones before */
		if (damage[i].offset == 0)
			assert_int_equal(span.count, 50);
		else
			assert_true(span.count >= 40 && span.count < 50);
		assert_int_equal(span.first_ms, 1000);
		store_fixture_append(s, 1);
		history_store_close(s);
		free(wal);
		store_fixture_remove(dir);
		free(dir);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_garbage_tail_of_the_database),
	    cmocka_unit_test(test_not_a_database),
	    cmocka_unit_test(test_wal_after_a_killed_writer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
