/* test_retention.c - the retention policy of `backup prune`
 * (src/repo/retention.c) with a fixed clock: the rules alone and together,
 * several backups a day, month ends, the leap day, ISO weeks across a year
 * boundary, incomplete backups, series; and the backup names' timestamps
 * (src/repo/backup_name.c) the policy reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "repo/backup_name.h"
#include "repo/retention.h"

/* "2026-12-01T10:00:00" UTC in ms. */
static int64_t at(const char *text)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	assert_int_equal(sscanf(text, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	                        &tm.tm_hour, &tm.tm_min, &tm.tm_sec),
	                 6);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm) * 1000;
}

#define MAX_ITEMS 16

struct fixture {
	struct retention_item items[MAX_ITEMS];
	size_t n;
};

static struct retention_item *add(struct fixture *f, const char *when, bool complete)
{
	assert_true(f->n < MAX_ITEMS);
	struct retention_item *it = &f->items[f->n++];
	memset(it, 0, sizeof(*it));
	it->key = when;
	it->series = "shop";
	it->created_ms = at(when);
	it->modified_ms = it->created_ms;
	it->complete = complete;
	return it;
}

static void decide(struct fixture *f, struct retention_policy p, const char *now)
{
	assert_int_equal(retention_decide(&p, at(now), f->items, f->n), 0);
}

static const struct retention_item *find(const struct fixture *f, const char *key)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->items[i].key, key) == 0)
			return &f->items[i];
	fail_msg("no item %s", key);
	return NULL;
}

static void assert_kept(const struct fixture *f, const char *key, const char *reason)
{
	const struct retention_item *it = find(f, key);
	if (!it->keep)
		fail_msg("%s deleted (%s), expected kept: %s", key, it->reason, reason);
	assert_string_equal(it->reason, reason);
}

static void assert_deleted(const struct fixture *f, const char *key, const char *reason)
{
	const struct retention_item *it = find(f, key);
	if (it->keep)
		fail_msg("%s kept (%s), expected deleted", key, it->reason);
	assert_string_equal(it->reason, reason);
}

static void test_keep_last(void **state)
{
	(void)state;
	struct fixture f = {0};
	/* given in no particular order */
	add(&f, "2026-12-01T10:00:00", true);
	add(&f, "2026-12-03T10:00:00", true);
	add(&f, "2026-12-02T10:00:00", true);
	add(&f, "2026-11-30T10:00:00", true);
	add(&f, "2026-12-04T10:00:00", true);
	decide(&f, (struct retention_policy){.keep_last = 3}, "2026-12-04T12:00:00");
	assert_kept(&f, "2026-12-04T10:00:00", "last 3");
	assert_kept(&f, "2026-12-03T10:00:00", "last 3");
	assert_kept(&f, "2026-12-02T10:00:00", "last 3");
	assert_deleted(&f, "2026-12-01T10:00:00", "not kept by the policy");
	assert_deleted(&f, "2026-11-30T10:00:00", "not kept by the policy");
}

/* The newest of each day, for the last N days that have backups: a day
 * without one does not use up the count. */
static void test_daily_several_a_day(void **state)
{
	(void)state;
	struct fixture f = {0};
	add(&f, "2026-12-04T20:00:00", true);
	add(&f, "2026-12-04T08:00:00", true);
	add(&f, "2026-12-04T00:00:00", true);
	add(&f, "2026-12-01T23:59:59", true); /* Dec 2 and 3 have none */
	add(&f, "2026-12-01T00:00:01", true);
	add(&f, "2026-11-30T12:00:00", true);
	add(&f, "2026-11-29T12:00:00", true);
	decide(&f, (struct retention_policy){.keep_daily = 3}, "2026-12-04T21:00:00");
	assert_kept(&f, "2026-12-04T20:00:00", "daily 2026-12-04");
	assert_deleted(&f, "2026-12-04T08:00:00", "not kept by the policy");
	assert_deleted(&f, "2026-12-04T00:00:00", "not kept by the policy");
	assert_kept(&f, "2026-12-01T23:59:59", "daily 2026-12-01");
	assert_deleted(&f, "2026-12-01T00:00:01", "not kept by the policy");
	assert_kept(&f, "2026-11-30T12:00:00", "daily 2026-11-30");
	assert_deleted(&f, "2026-11-29T12:00:00", "not kept by the policy");
}

/* The last second of a month and the first of the next are two months. */
static void test_monthly_month_ends(void **state)
{
	(void)state;
	struct fixture f = {0};
	add(&f, "2027-03-01T00:00:00", true);
	add(&f, "2027-02-28T23:59:59", true);
	add(&f, "2027-02-01T00:00:00", true);
	add(&f, "2027-01-31T23:59:59", true);
	add(&f, "2026-12-31T23:59:59", true);
	add(&f, "2026-11-30T10:00:00", true);
	decide(&f, (struct retention_policy){.keep_monthly = 4}, "2027-03-01T01:00:00");
	assert_kept(&f, "2027-03-01T00:00:00", "monthly 2027-03");
	assert_kept(&f, "2027-02-28T23:59:59", "monthly 2027-02");
	assert_deleted(&f, "2027-02-01T00:00:00", "not kept by the policy");
	assert_kept(&f, "2027-01-31T23:59:59", "monthly 2027-01");
	assert_kept(&f, "2026-12-31T23:59:59", "monthly 2026-12");
	assert_deleted(&f, "2026-11-30T10:00:00", "not kept by the policy");
}

static void test_leap_day(void **state)
{
	(void)state;
	struct fixture f = {0};
	add(&f, "2028-03-01T00:00:00", true);
	add(&f, "2028-02-29T23:00:00", true);
	add(&f, "2028-02-29T01:00:00", true);
	add(&f, "2028-02-28T23:59:59", true);
	decide(&f, (struct retention_policy){.keep_daily = 3, .keep_monthly = 2},
	       "2028-03-01T06:00:00");
	assert_kept(&f, "2028-03-01T00:00:00", "daily 2028-03-01, monthly 2028-03");
	assert_kept(&f, "2028-02-29T23:00:00", "daily 2028-02-29, monthly 2028-02");
	assert_deleted(&f, "2028-02-29T01:00:00", "not kept by the policy");
	assert_kept(&f, "2028-02-28T23:59:59", "daily 2028-02-28");
}

/* ISO weeks: 2026 has 53 of them; 2027-01-03 (a Sunday) is still in
 * 2026-W53, 2027-01-04 starts 2027-W01; 2024-12-30 is in 2025-W01. */
static void test_weekly_year_boundary(void **state)
{
	(void)state;
	struct fixture f = {0};
	add(&f, "2027-01-04T09:00:00", true);
	add(&f, "2027-01-03T09:00:00", true);
	add(&f, "2026-12-31T09:00:00", true);
	add(&f, "2026-12-28T09:00:00", true);
	add(&f, "2026-12-27T09:00:00", true);
	add(&f, "2024-12-30T09:00:00", true);
	decide(&f, (struct retention_policy){.keep_weekly = 4}, "2027-01-04T10:00:00");
	assert_kept(&f, "2027-01-04T09:00:00", "weekly 2027-W01");
	assert_kept(&f, "2027-01-03T09:00:00", "weekly 2026-W53");
	assert_deleted(&f, "2026-12-31T09:00:00", "not kept by the policy");
	assert_deleted(&f, "2026-12-28T09:00:00", "not kept by the policy");
	assert_kept(&f, "2026-12-27T09:00:00", "weekly 2026-W52");
	assert_kept(&f, "2024-12-30T09:00:00", "weekly 2025-W01");
}

/* Union: kept by any rule, with every reason. */
static void test_union(void **state)
{
	(void)state;
	struct fixture f = {0};
	add(&f, "2026-12-04T20:00:00", true);
	add(&f, "2026-12-04T10:00:00", true);
	add(&f, "2026-12-03T10:00:00", true);
	add(&f, "2026-11-15T10:00:00", true);
	add(&f, "2026-10-15T10:00:00", true);
	decide(&f,
	       (struct retention_policy){
	           .keep_last = 2, .keep_daily = 2, .keep_weekly = 1, .keep_monthly = 2},
	       "2026-12-04T21:00:00");
	assert_kept(&f, "2026-12-04T20:00:00",
	            "last 2, daily 2026-12-04, weekly 2026-W49, monthly 2026-12");
	assert_kept(&f, "2026-12-04T10:00:00", "last 2");
	assert_kept(&f, "2026-12-03T10:00:00", "daily 2026-12-03");
	assert_kept(&f, "2026-11-15T10:00:00", "monthly 2026-11");
	assert_deleted(&f, "2026-10-15T10:00:00", "not kept by the policy");
}

/* Incomplete backups count for no rule; one that changed within the hour
 * stays (it may still be uploading), an older one goes, and the newest
 * complete backup stays though an incomplete one is newer. */
static void test_incomplete(void **state)
{
	(void)state;
	struct fixture f = {0};
	add(&f, "2026-12-04T11:30:00", false);
	struct retention_item *slow = add(&f, "2026-12-04T09:00:00", false);
	slow->modified_ms = at("2026-12-04T11:10:00"); /* still being written */
	add(&f, "2026-12-04T10:30:00", false);
	add(&f, "2026-12-04T10:00:00", true);
	add(&f, "2026-12-03T10:00:00", true);
	add(&f, "2026-11-01T10:00:00", false);
	decide(&f, (struct retention_policy){.keep_last = 1}, "2026-12-04T12:00:00");
	assert_kept(&f, "2026-12-04T11:30:00", "incomplete, changed within the last hour");
	assert_kept(&f, "2026-12-04T09:00:00", "incomplete, changed within the last hour");
	assert_deleted(&f, "2026-12-04T10:30:00", "incomplete");
	assert_kept(&f, "2026-12-04T10:00:00", "last 1");
	assert_deleted(&f, "2026-12-03T10:00:00", "not kept by the policy");
	assert_deleted(&f, "2026-11-01T10:00:00", "incomplete");
}

/* An empty policy is refused by prune; were it used, the newest complete
 * backup would still stay. */
static void test_empty_policy_keeps_newest(void **state)
{
	(void)state;
	struct retention_policy p = {0};
	assert_true(retention_policy_empty(&p));
	p.keep_monthly = 1;
	assert_false(retention_policy_empty(&p));
	struct fixture f = {0};
	add(&f, "2026-12-04T10:00:00", false);
	add(&f, "2026-12-03T10:00:00", true);
	add(&f, "2026-12-02T10:00:00", true);
	decide(&f, (struct retention_policy){0}, "2026-12-04T12:00:00");
	assert_deleted(&f, "2026-12-04T10:00:00", "incomplete");
	assert_kept(&f, "2026-12-03T10:00:00", "newest complete");
	assert_deleted(&f, "2026-12-02T10:00:00", "not kept by the policy");
}

/* Each series (a database's dumps, the files backups) on its own. */
static void test_series(void **state)
{
	(void)state;
	struct fixture f = {0};
	add(&f, "2026-12-04T10:00:00", true)->series = "shop_.sql.gz";
	add(&f, "2026-12-03T10:00:00", true)->series = "shop_.sql.gz";
	add(&f, "2026-12-02T10:00:00", true)->series = "";
	add(&f, "2026-12-01T10:00:00", true)->series = "";
	decide(&f, (struct retention_policy){.keep_last = 1}, "2026-12-04T12:00:00");
	assert_kept(&f, "2026-12-04T10:00:00", "last 1");
	assert_deleted(&f, "2026-12-03T10:00:00", "not kept by the policy");
	assert_kept(&f, "2026-12-02T10:00:00", "last 1");
	assert_deleted(&f, "2026-12-01T10:00:00", "not kept by the policy");
}

static void test_none(void **state)
{
	(void)state;
	struct retention_policy p = {.keep_last = 1};
	assert_int_equal(retention_decide(&p, 0, NULL, 0), 0);
}

/* The time and the series in a backup's name. */
static void test_name_time_and_series(void **state)
{
	(void)state;
	int64_t ms = 0;
	assert_true(backup_name_time("shop_2028-02-29T23-59-58-123Z_1a2b3c4d.sql.gz", &ms));
	assert_int_equal(ms, at("2028-02-29T23:59:58") + 123);
	assert_true(backup_name_time("2026-12-01T00-00-00-000Z_deadbeef", &ms));
	assert_int_equal(ms, at("2026-12-01T00:00:00"));
	/* a database whose name looks like a date in part */
	assert_true(backup_name_time("db2026-1_2026-12-01T00-00-00-000Z.sql.gz", &ms));
	assert_int_equal(ms, at("2026-12-01T00:00:00"));
	assert_false(backup_name_time("shop.sql.gz", &ms));
	assert_false(backup_name_time("shop_2026-13-01T00-00-00-000Z.sql.gz", &ms));
	assert_false(backup_name_time("shop_2026-12-01T00-00-00-000.sql.gz", &ms));

	char series[128];
	backup_name_series("shop_2026-12-01T00-00-00-000Z_1a2b3c4d.sql.gz", series, sizeof(series));
	assert_string_equal(series, "shop_.sql.gz");
	backup_name_series("shop_2026-12-01T00-00-00-000Z_1a2b3c4d.dump.gz", series,
	                   sizeof(series));
	assert_string_equal(series, "shop_.dump.gz");
	backup_name_series("shop_2026-12-01T00-00-00-000Z.sql.gz", series, sizeof(series));
	assert_string_equal(series, "shop_.sql.gz");
	backup_name_series("2026-12-01T00-00-00-000Z_1a2b3c4d", series, sizeof(series));
	assert_string_equal(series, "");
	backup_name_series("odd.sql.gz", series, sizeof(series));
	assert_string_equal(series, "odd.sql.gz");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keep_last),
	    cmocka_unit_test(test_daily_several_a_day),
	    cmocka_unit_test(test_monthly_month_ends),
	    cmocka_unit_test(test_leap_day),
	    cmocka_unit_test(test_weekly_year_boundary),
	    cmocka_unit_test(test_union),
	    cmocka_unit_test(test_incomplete),
	    cmocka_unit_test(test_empty_policy_keeps_newest),
	    cmocka_unit_test(test_series),
	    cmocka_unit_test(test_none),
	    cmocka_unit_test(test_name_time_and_series),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
