/* Unit tests for history/store: create, append, read ranges, series, the
 * state at a moment, order across a clock step, prune by age (fixed clock)
 * and by size, the names only deleted records used, the schema version,
 * damaged rows skipped and counted. */
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

#include "history/store_impl.h"
#include "store_fixture.h"
#include "util/xalloc.h"

struct collected {
	int count;
	int64_t seq[64];
	int64_t at_ms[64];
	double p95[64];
	char message[64][64];
	int redis_state[64];
};

static int collect(const struct history_record *r, void *ctx)
{
	struct collected *c = ctx;
	if (c->count >= 64)
		return 1;
	c->seq[c->count] = r->seq;
	c->at_ms[c->count] = r->at_ms;
	double v = -1;
	history_record_figure(r, "requests.p95_ms", &v);
	c->p95[c->count] = v;
	c->message[c->count][0] = '\0';
	for (int i = 0; i < r->issue_count; i++)
		snprintf(c->message[c->count], sizeof(c->message[0]), "%s", r->issues[i].message);
	for (int i = 0; i < r->check_count; i++)
		if (strcmp(r->checks[i].key, "redis") == 0)
			c->redis_state[c->count] = r->checks[i].state;
	c->count++;
	return 0;
}

static void test_create_modes_and_schema(void **state)
{
	(void)state;
	char *base = store_fixture_dir();
	char *dir = xasprintf("%s/a/history", base);
	struct history_store *s = store_fixture_open(dir);
	struct stat st;
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(history_store_path(s), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	struct history_span span;
	assert_int_equal(history_store_span(s, &span), 0);
	assert_int_equal(span.count, 0);
	history_store_close(s);

	/* a reader of a missing database fails, naming it */
	char err[1024], warning[256];
	char *missing = xasprintf("%s/none", base);
	assert_int_equal(history_store_open(&s, missing, HISTORY_OPEN_READ, warning,
	                                    sizeof(warning), err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "none/history.db"));

	/* a newer schema is refused */
	store_fixture_sql(dir, "PRAGMA user_version = 2");
	assert_int_equal(history_store_open(&s, dir, HISTORY_OPEN_WRITE, warning, sizeof(warning),
	                                    err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "schema version 2"));
	store_fixture_remove(dir);
	char *parent = xasprintf("%s/a", base);
	rmdir(parent);
	rmdir(base);
	free(parent);
	free(missing);
	free(dir);
	free(base);
}

static void test_append_and_read_a_range(void **state)
{
	(void)state;
	char *dir = store_fixture_dir();
	struct history_store *s = store_fixture_open(dir);
	store_fixture_append(s, 10);
	history_store_close(s);

	/* a reader sees what the writer wrote */
	char warning[256], err[1024];
	assert_int_equal(history_store_open(&s, dir, HISTORY_OPEN_READ, warning, sizeof(warning),
	                                    err, sizeof(err)),
	                 0);
	struct collected c = {0};
	assert_int_equal(history_store_records(s, 3000, 6000, collect, &c), 4);
	assert_int_equal(c.count, 4);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(c.seq[i], i + 3);
		assert_int_equal(c.at_ms[i], (i + 3) * 1000);
		assert_true(c.p95[i] == (i + 3) * 10);
		assert_int_equal(c.redis_state[i], (i + 3) % 2 ? CHECK_UNHEALTHY : CHECK_OK);
	}
	/* record 4 has the issue, with its own message */
	assert_string_equal(c.message[1], "errors 4");
	assert_string_equal(c.message[0], "");

	struct history_point *points = NULL;
	assert_int_equal(history_store_series(s, "requests.error_rate", 0, 100000, &points), 10);
	assert_true(points[9].value == 0.01);
	assert_int_equal(points[9].at_ms, 10000);
	free(points);
	assert_int_equal(history_store_series(s, "no.such", 0, 100000, &points), 0);
	assert_null(points);

	struct history_record *r = xmalloc(sizeof(*r));
	assert_int_equal(history_store_state_at(s, 8500, r), 1);
	assert_int_equal(r->seq, 8);
	assert_string_equal(r->version, "2.4.1");
	assert_string_equal(r->commit, "abc123");
	assert_int_equal(r->issue_count, 1);
	assert_string_equal(r->issues[0].message, "errors 8");
	assert_int_equal(r->issues[0].severity, SEVERITY_MEDIUM);
	assert_int_equal(history_store_state_at(s, 500, r), 0);

	struct history_span span;
	assert_int_equal(history_store_span(s, &span), 0);
	assert_int_equal(span.count, 10);
	assert_int_equal(span.first_ms, 1000);
	assert_int_equal(span.last_ms, 10000);
	assert_int_equal(history_store_skipped(s), 0);
	free(r);
	history_store_close(s);
	store_fixture_remove(dir);
	free(dir);
}

static void test_order_survives_a_clock_step(void **state)
{
	(void)state;
	char *dir = store_fixture_dir();
	struct history_store *s = store_fixture_open(dir);
	struct history_record *r = xmalloc(sizeof(*r));
	/* the wall clock steps back 3 s between the second and third record */
	const int64_t at[] = {10000, 12000, 9000, 11000};
	for (int i = 0; i < 4; i++) {
		store_fixture_record(r, i + 1, at[i]);
		assert_int_equal(history_store_append(s, r, NULL, 0), 0);
	}
	struct collected c = {0};
	assert_int_equal(history_store_records(s, 0, 20000, collect, &c), 4);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(c.seq[i], i + 1);
		assert_int_equal(c.at_ms[i], at[i]);
	}
	free(r);
	history_store_close(s);
	store_fixture_remove(dir);
	free(dir);
}

/* The replay's steps: by seq, whatever the wall clock did. */
static void test_step_by_seq(void **state)
{
	(void)state;
	char *dir = store_fixture_dir();
	struct history_store *s = store_fixture_open(dir);
	struct history_record *r = xmalloc(sizeof(*r));
	const int64_t at[] = {10000, 12000, 9000, 11000};
	for (int i = 0; i < 4; i++) {
		store_fixture_record(r, i + 1, at[i]);
		assert_int_equal(history_store_append(s, r, NULL, 0), 0);
	}
	assert_int_equal(history_store_step(s, 3, -1, r), 1);
	assert_int_equal(r->seq, 2);
	assert_int_equal(r->at_ms, 12000);
	assert_int_equal(history_store_step(s, 2, +1, r), 1);
	assert_int_equal(r->seq, 3);
	assert_int_equal(r->at_ms, 9000);
	assert_int_equal(history_store_step(s, 1, -1, r), 0);
	assert_int_equal(history_store_step(s, 4, +1, r), 0);
	free(r);
	history_store_close(s);
	store_fixture_remove(dir);
	free(dir);
}

static void test_prune_by_age(void **state)
{
	(void)state;
	char *dir = store_fixture_dir();
	struct history_store *s = store_fixture_open(dir);
	store_fixture_append(s, 10);
	struct history_prune_result pruned;
	/* now 10 s, retention 4.5 s: records before 5.5 s go */
	assert_int_equal(history_store_prune(s, 10000, 4500, 0, &pruned), 0);
	assert_int_equal(pruned.deleted, 5);
	struct history_span span;
	assert_int_equal(history_store_span(s, &span), 0);
	assert_int_equal(span.count, 5);
	assert_int_equal(span.first_ms, 6000);
	/* the message of an issue open before the cut is still there */
	struct history_record *r = xmalloc(sizeof(*r));
	assert_int_equal(history_store_state_at(s, 8000, r), 1);
	assert_string_equal(r->issues[0].message, "errors 8");
	/* nothing more to delete */
	assert_int_equal(history_store_prune(s, 10000, 4500, 0, &pruned), 0);
	assert_int_equal(pruned.deleted, 0);
	/* seq goes on rising after a prune */
	store_fixture_record(r, 11, 11000);
	assert_int_equal(history_store_append(s, r, NULL, 0), 0);
	assert_int_equal(r->seq, 11);
	free(r);
	history_store_close(s);
	store_fixture_remove(dir);
	free(dir);
}

/* Records whose subjects come and go (a path, a deployed version) leave
 * their names behind; once the table has grown past the threshold, a
 * prune deletes the names only deleted records used, keeps those the
 * remaining records and messages use, and never hands an id out again. */
static void test_prune_deletes_names_no_record_uses(void **state)
{
	(void)state;
	char *dir = store_fixture_dir();
	struct history_store *s = store_fixture_open(dir);
	struct history_record *r = xmalloc(sizeof(*r));
	int n = STORE_LABELS_PRUNE_MIN + 200;
	for (int i = 1; i <= n; i++) {
		store_fixture_record(r, i, i * 1000LL);
		char name[64];
		snprintf(name, sizeof(name), "storage.used_percent:/mnt/%d", i);
		history_record_add_figure(r, name, i);
		assert_int_equal(history_store_append(s, r, NULL, 0), 0);
	}
	struct history_prune_result pruned;
	/* the last 100 records stay */
	assert_int_equal(history_store_prune(s, n * 1000LL, 99500, 0, &pruned), 0);
	assert_int_equal(pruned.deleted, n - 100);
	assert_int_equal(pruned.labels_deleted, n - 100);
	/* the records left read back whole */
	assert_int_equal(history_store_state_at(s, n * 1000LL, r), 1);
	double v = 0;
	char name[64];
	snprintf(name, sizeof(name), "storage.used_percent:/mnt/%d", n);
	assert_int_equal(history_record_figure(r, name, &v), 0);
	assert_true(v == n);
	assert_int_equal(history_record_figure(r, "requests.p95_ms", &v), 0);
	/* a new name gets an id no deleted name had */
	store_fixture_record(r, n + 1, (n + 1) * 1000LL);
	history_record_add_figure(r, "storage.used_percent:/new", 1);
	assert_int_equal(history_store_append(s, r, NULL, 0), 0);
	history_store_close(s);
	assert_true(store_fixture_int(dir, "SELECT id FROM label WHERE text = "
	                                   "'storage.used_percent:/new'") > n);
	/* not due again until the table doubles */
	s = store_fixture_open(dir);
	assert_int_equal(history_store_prune(s, (n + 1) * 1000LL, 50500, 0, &pruned), 0);
	assert_int_equal(pruned.deleted, 50);
	assert_int_equal(pruned.labels_deleted, 0);
	history_store_close(s);
	free(r);
	store_fixture_remove(dir);
	free(dir);
}

static void test_prune_by_size_shrinks_the_file(void **state)
{
	(void)state;
	char *dir = store_fixture_dir();
	struct history_store *s = store_fixture_open(dir);
	struct history_record *r = xmalloc(sizeof(*r));
	for (int i = 1; i <= 6000; i++) {
		store_fixture_record(r, i, (int64_t)i * 1000);
		for (int f = 0; f < 20; f++) {
			char name[32];
			snprintf(name, sizeof(name), "synthetic.%d", f);
			history_record_add_figure(r, name, i * 0.37 + f);
		}
		assert_int_equal(history_store_append(s, r, NULL, 0), 0);
	}
	struct history_prune_result pruned;
	assert_int_equal(history_store_prune(s, 0, 0, 0, &pruned), 0);
	int64_t full = pruned.size_after;
	assert_true(full > 512 * 1024);
	assert_int_equal(history_store_prune(s, 0, 0, 256 * 1024, &pruned), 0);
	assert_true(pruned.deleted > 0);
	assert_true(pruned.size_after <= 256 * 1024 + 64 * 1024);
	assert_true(pruned.size_after < full / 2);
	/* the newest records are kept */
	struct history_span span;
	assert_int_equal(history_store_span(s, &span), 0);
	assert_int_equal(span.last_seq, 6000);
	assert_int_equal(span.count, 6000 - pruned.deleted);
	free(r);
	history_store_close(s);
	store_fixture_remove(dir);
	free(dir);
}

static void test_damaged_rows_are_skipped_and_counted(void **state)
{
	(void)state;
	char *dir = store_fixture_dir();
	struct history_store *s = store_fixture_open(dir);
	store_fixture_append(s, 6);
	/* a figures column cut inside a double, an unknown label */
	store_fixture_sql(dir, "UPDATE poll SET figures = x'0b' WHERE seq = 2;"
	                       "UPDATE poll SET checks = x'7f00' WHERE seq = 5");
	struct collected c = {0};
	assert_int_equal(history_store_records(s, 0, 100000, collect, &c), 4);
	assert_int_equal(c.seq[0], 1);
	assert_int_equal(c.seq[1], 3);
	assert_int_equal(history_store_skipped(s), 2);
	history_store_close(s);
	store_fixture_remove(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_create_modes_and_schema),
	    cmocka_unit_test(test_append_and_read_a_range),
	    cmocka_unit_test(test_order_survives_a_clock_step),
	    cmocka_unit_test(test_step_by_seq),
	    cmocka_unit_test(test_prune_by_age),
	    cmocka_unit_test(test_prune_by_size_shrinks_the_file),
	    cmocka_unit_test(test_prune_deletes_names_no_record_uses),
	    cmocka_unit_test(test_damaged_rows_are_skipped_and_counted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
