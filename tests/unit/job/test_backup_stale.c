/* test_backup_stale.c - the rule "no successful backup in the last 24 h"
 * (diag/rules.c rule_backup_stale) on hand-built snapshots. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "diag/diagnose.h"

#define HOUR_MS (3600 * 1000LL)
#define NOW_MS  (1800000000000LL)

static struct config cfg;

static int setup(void **state)
{
	config_defaults(&cfg);
	return 0;
}

static int teardown(void **state)
{
	config_free(&cfg);
	return 0;
}

static const struct issue *find_stale(const struct diagnosis *d)
{
	for (int i = 0; i < d->count; i++)
		if (d->issues[i].type == ISSUE_BACKUP_STALE)
			return &d->issues[i];
	return NULL;
}

static void listed(struct snapshot *s, int64_t newest_ms)
{
	snapshot_init(s);
	s->taken_at_ms = NOW_MS;
	s->backup.listed = true;
	snprintf(s->backup.target, sizeof(s->backup.target), "s3://bucket/shop");
	s->backup.newest_ms = newest_ms;
	snprintf(s->backup.newest_key, sizeof(s->backup.newest_key), "shop_x.sql.gz");
}

static void test_not_listed_never_fires(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	snapshot_init(&s);
	s.taken_at_ms = NOW_MS;
	diagnose(&s, NULL, &cfg, &d);
	assert_null(find_stale(&d));
}

static void test_recent_backup_is_fine(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	listed(&s, NOW_MS - 23 * HOUR_MS);
	diagnose(&s, NULL, &cfg, &d);
	assert_null(find_stale(&d));
}

static void test_old_backup_fires(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	listed(&s, NOW_MS - 30 * HOUR_MS);
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = find_stale(&d);
	assert_non_null(i);
	assert_int_equal(i->severity, SEVERITY_MEDIUM);
	assert_string_equal(i->id, "backup_stale");
	assert_non_null(strstr(i->message, "last 24 h"));
	assert_non_null(strstr(i->message, "shop_x.sql.gz"));
	assert_non_null(strstr(i->recommendation, "opsdeck backup db"));
}

static void test_no_backup_at_all_fires(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	listed(&s, 0);
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = find_stale(&d);
	assert_non_null(i);
	assert_non_null(strstr(i->message, "No complete database backup at s3://bucket/shop"));
}

static void test_listing_error_fires(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	listed(&s, 0);
	snprintf(s.backup.error, sizeof(s.backup.error), "HTTP 403 AccessDenied");
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = find_stale(&d);
	assert_non_null(i);
	assert_non_null(strstr(i->message, "cannot be listed: HTTP 403 AccessDenied"));
}

static const struct issue *find_unfinished(const struct diagnosis *d)
{
	for (int i = 0; i < d->count; i++)
		if (d->issues[i].type == ISSUE_BACKUP_UNFINISHED)
			return &d->issues[i];
	return NULL;
}

/* Writes left unfinished (multipart uploads, .partial files) for over an
 * hour: a low issue with how to clean them up; none while younger. */
static void test_unfinished_uploads(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	listed(&s, NOW_MS - HOUR_MS);
	s.backup.unfinished = 2;
	s.backup.unfinished_oldest_ms = NOW_MS - 50 * 60 * 1000LL;
	snprintf(s.backup.unfinished_oldest_key, sizeof(s.backup.unfinished_oldest_key),
	         "shop_y.sql.gz");
	diagnose(&s, NULL, &cfg, &d);
	assert_null(find_unfinished(&d));

	s.backup.unfinished_oldest_ms = NOW_MS - 3 * HOUR_MS;
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = find_unfinished(&d);
	assert_non_null(i);
	assert_int_equal(i->severity, SEVERITY_LOW);
	assert_string_equal(i->id, "backup_unfinished");
	assert_non_null(strstr(i->message, "2 unfinished uploads at s3://bucket/shop"));
	assert_non_null(strstr(i->message, "shop_y.sql.gz"));
	assert_non_null(strstr(i->recommendation, "AbortIncompleteMultipartUpload"));
	assert_null(find_stale(&d)); /* the backups themselves are fine */

	snprintf(s.backup.target, sizeof(s.backup.target), "file:///var/backups/shop");
	s.backup.unfinished = 1;
	diagnose(&s, NULL, &cfg, &d);
	i = find_unfinished(&d);
	assert_non_null(i);
	assert_non_null(strstr(i->message, "1 unfinished partial file"));
	assert_non_null(strstr(i->recommendation, ".partial"));
}

/* An unfinished upload that a backup's outcome recorded as left behind
 * (its cleanup failed) is named at once: nothing will finish it. */
static void test_left_behind_fires_at_once(void **state)
{
	struct snapshot s;
	struct diagnosis d;
	listed(&s, NOW_MS - HOUR_MS);
	s.backup.unfinished = 1;
	s.backup.unfinished_oldest_ms = NOW_MS - 5000;
	snprintf(s.backup.unfinished_oldest_key, sizeof(s.backup.unfinished_oldest_key),
	         "shop_z.sql.gz");
	diagnose(&s, NULL, &cfg, &d);
	assert_null(find_unfinished(&d));

	s.backup.left_behind = 1;
	snprintf(s.backup.left_behind_key, sizeof(s.backup.left_behind_key), "shop_z.sql.gz");
	diagnose(&s, NULL, &cfg, &d);
	const struct issue *i = find_unfinished(&d);
	assert_non_null(i);
	assert_non_null(
	    strstr(i->message, "1 unfinished upload at s3://bucket/shop; shop_z.sql.gz"));
	assert_non_null(strstr(i->message, "left behind by a backup whose cleanup failed"));
	assert_non_null(strstr(i->recommendation, "abort-multipart-upload"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_not_listed_never_fires),
	    cmocka_unit_test(test_recent_backup_is_fine),
	    cmocka_unit_test(test_old_backup_fires),
	    cmocka_unit_test(test_no_backup_at_all_fires),
	    cmocka_unit_test(test_listing_error_fires),
	    cmocka_unit_test(test_unfinished_uploads),
	    cmocka_unit_test(test_left_behind_fires_at_once),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
