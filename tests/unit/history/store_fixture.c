/* store_fixture.c - helpers of the history store's unit tests
 * (store_fixture.h). */
#include "store_fixture.h"

#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "util/text.h"
#include "util/xalloc.h"

char *store_fixture_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/opsdeck-history-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	return dir;
}

void store_fixture_remove(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *path = xasprintf("%s/%s", dir, e->d_name);
		unlink(path);
		free(path);
	}
	closedir(d);
	rmdir(dir);
}

void store_fixture_record(struct history_record *r, int64_t n, int64_t at_ms)
{
	history_record_init(r);
	r->at_ms = at_ms;
	r->monotonic_ms = 1000000 + n * 2000;
	r->duration_ms = 40;
	text_copy(r->version, "2.4.1", sizeof(r->version));
	text_copy(r->commit, "abc123", sizeof(r->commit));
	history_record_add_figure(r, "requests.p95_ms", (double)n * 10);
	history_record_add_figure(r, "database.connections_total", (double)n);
	history_record_add_figure(r, "requests.error_rate", (double)n / 1000.0);
	history_record_add_check(r, "database", CHECK_OK);
	history_record_add_check(r, "redis", n % 2 ? CHECK_UNHEALTHY : CHECK_OK);
	if (n % 4 == 0) {
		struct history_issue *i = &r->issues[r->issue_count++];
		text_copy(i->id, "error_rate", sizeof(i->id));
		text_copy(i->type, "error_rate", sizeof(i->type));
		i->severity = SEVERITY_MEDIUM;
		text_printf(i->message, sizeof(i->message), "errors %lld", (long long)n);
	}
}

void store_fixture_append(struct history_store *s, int n)
{
	struct history_record *r = xmalloc(sizeof(*r));
	for (int i = 1; i <= n; i++) {
		store_fixture_record(r, i, (int64_t)i * 1000);
		if (history_store_append(s, r, NULL, 0) < 0)
			fail_msg("append: %s", history_store_error(s));
	}
	free(r);
}

struct history_store *store_fixture_open(const char *dir)
{
	struct history_store *s = NULL;
	char warning[1024], err[1024];
	if (history_store_open(&s, dir, HISTORY_OPEN_WRITE, warning, sizeof(warning), err,
	                       sizeof(err)) < 0)
		fail_msg("open: %s", err);
	assert_string_equal(warning, "");
	return s;
}

void store_fixture_sql(const char *dir, const char *sql)
{
	char *path = xasprintf("%s/history.db", dir);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	sqlite3_close(db);
	free(path);
}

int64_t store_fixture_int(const char *dir, const char *sql)
{
	char *path = xasprintf("%s/history.db", dir);
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(path);
	return v;
}

static void copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY);
	if (in < 0)
		return;
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(out >= 0);
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		assert_int_equal(write(out, buf, (size_t)n), n);
	close(in);
	assert_int_equal(close(out), 0);
}

void store_fixture_copy(const char *dir, const char *to)
{
	const char *names[] = {"history.db", "history.db-wal"};
	for (size_t i = 0; i < 2; i++) {
		char *from = xasprintf("%s/%s", dir, names[i]);
		char *dst = xasprintf("%s/%s", to, names[i]);
		copy_file(from, dst);
		free(from);
		free(dst);
	}
}
