/* Unit tests for notify/tracker: the events a poll's issues give against
 * what was last notified (opened, cleared, escalated; a fall is not told),
 * the minimum severity, flap damping with the held changes told when the
 * window ends, the saved state across a restart, and the bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "notify/tracker.h"
#include "util/strbuf.h"
#include "util/text.h"

#define SEC    1000
#define MIN    (60 * SEC)
#define FLAP   (10 * MIN)
#define T0     ((int64_t)1796432548323) /* a wall clock time, as the notifier passes */
#define EV_MAX 16

static struct issue make_issue(enum issue_type type, const char *id, enum issue_severity severity,
                               const char *message)
{
	struct issue i;
	memset(&i, 0, sizeof(i));
	i.type = type;
	text_copy(i.id, id, sizeof(i.id));
	i.severity = severity;
	text_copy(i.message, message, sizeof(i.message));
	return i;
}

static struct issue redis_down(enum issue_severity severity)
{
	return make_issue(ISSUE_REDIS_DOWN, "redis_down", severity, "Redis is not answering");
}

/* One poll with room for EV_MAX events; out is filled with a pattern
 * first, so that a slot the tracker did not write is seen. */
static int update_at(struct notify_tracker *t, const struct issue *issues, int count,
                     enum issue_severity min, int64_t flap, int64_t now, struct notify_event *out)
{
	memset(out, 0x5a, sizeof(*out) * EV_MAX);
	int n = notify_tracker_update(t, issues, count, min, flap, now, out, EV_MAX);
	assert_in_range(n, 0, EV_MAX);
	return n;
}

/* The event of out[0..n) about issue id, or NULL. */
static const struct notify_event *find(const struct notify_event *out, int n, const char *id)
{
	for (int k = 0; k < n; k++)
		if (strcmp(out[k].issue_id, id) == 0)
			return &out[k];
	return NULL;
}

static void test_first_poll_opens(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	assert_non_null(t);
	struct notify_event ev[EV_MAX];
	struct issue high = redis_down(SEVERITY_HIGH);
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_OPENED);
	assert_string_equal(ev[0].issue_id, "redis_down");
	assert_string_equal(ev[0].issue_type, "redis_down");
	assert_int_equal(ev[0].severity, SEVERITY_HIGH);
	assert_string_equal(ev[0].message, "Redis is not answering");
	assert_int_equal(ev[0].at_ms, T0);
	assert_int_equal(ev[0].held_changes, 0);
	/* the same issues again: nothing to tell, however often */
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0 + MIN, ev), 0);
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0 + 2 * MIN, ev), 0);
	/* a new message text alone is no change */
	struct issue reworded = high;
	text_copy(reworded.message, "Redis refused the connection", sizeof(reworded.message));
	assert_int_equal(update_at(t, &reworded, 1, SEVERITY_MEDIUM, FLAP, T0 + 3 * MIN, ev), 0);
	notify_tracker_free(t);
}

static void test_nothing_wrong_tells_nothing(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	struct notify_event ev[EV_MAX];
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_LOW, FLAP, T0, ev), 0);
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_LOW, FLAP, T0 + MIN, ev), 0);
	notify_tracker_free(t);
}

static void test_at_min_severity_opens(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	struct notify_event ev[EV_MAX];
	struct issue issues[2] = {
	    make_issue(ISSUE_ERROR_RATE, "error_rate", SEVERITY_MEDIUM, "errors 6%"),
	    make_issue(ISSUE_STORAGE_FULL, "storage_full:/srv", SEVERITY_HIGH, "95% used"),
	};
	assert_int_equal(update_at(t, issues, 2, SEVERITY_MEDIUM, FLAP, T0, ev), 2);
	const struct notify_event *rate = find(ev, 2, "error_rate");
	const struct notify_event *disk = find(ev, 2, "storage_full:/srv");
	assert_non_null(rate);
	assert_non_null(disk);
	assert_int_equal(rate->kind, NOTIFY_ISSUE_OPENED);
	assert_int_equal(rate->severity, SEVERITY_MEDIUM);
	assert_int_equal(disk->kind, NOTIFY_ISSUE_OPENED);
	assert_string_equal(disk->issue_type, "storage_full");
	assert_string_equal(disk->message, "95% used");
	notify_tracker_free(t);
}

static void test_gone_is_cleared(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	struct notify_event ev[EV_MAX];
	struct issue high = redis_down(SEVERITY_HIGH);
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0, ev), 1);
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0 + 2 * MIN, ev), 0);
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_MEDIUM, FLAP, T0 + 5 * MIN, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_CLEARED);
	assert_string_equal(ev[0].issue_id, "redis_down");
	assert_string_equal(ev[0].issue_type, "redis_down");
	assert_int_equal(ev[0].severity, SEVERITY_HIGH);
	assert_int_equal(ev[0].open_ms, 5 * MIN);
	assert_int_equal(ev[0].at_ms, T0 + 5 * MIN);
	assert_int_equal(ev[0].held_changes, 0);
	/* told once */
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_MEDIUM, FLAP, T0 + 6 * MIN, ev), 0);
	/* back much later: opened again */
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0 + 60 * MIN, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_OPENED);
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_MEDIUM, FLAP, T0 + 61 * MIN, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_CLEARED);
	assert_int_equal(ev[0].open_ms, MIN);
	notify_tracker_free(t);
}

static void test_others_stay_open(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	struct notify_event ev[EV_MAX];
	struct issue issues[3] = {
	    redis_down(SEVERITY_HIGH),
	    make_issue(ISSUE_APP_DOWN, "app_down", SEVERITY_HIGH, "health answered 503"),
	    make_issue(ISSUE_STORAGE_FULL, "storage_full:/srv", SEVERITY_MEDIUM, "91% used"),
	};
	assert_int_equal(update_at(t, issues, 3, SEVERITY_MEDIUM, FLAP, T0, ev), 3);
	/* the middle one goes: only it is cleared */
	struct issue left[2] = {issues[0], issues[2]};
	assert_int_equal(update_at(t, left, 2, SEVERITY_MEDIUM, FLAP, T0 + MIN, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_CLEARED);
	assert_string_equal(ev[0].issue_id, "app_down");
	/* the order of a poll's issues does not matter */
	struct issue swapped[2] = {issues[2], issues[0]};
	assert_int_equal(update_at(t, swapped, 2, SEVERITY_MEDIUM, FLAP, T0 + 2 * MIN, ev), 0);
	notify_tracker_free(t);
}

static void test_below_min_never_told(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	struct notify_event ev[EV_MAX];
	struct issue low = make_issue(ISSUE_CACHE_HIT, "cache_hit", SEVERITY_LOW, "hit ratio 80%");
	struct issue medium = make_issue(ISSUE_DEAD_TUPLES, "dead_tuples", SEVERITY_MEDIUM, "30%");
	struct issue both[2] = {low, medium};
	assert_int_equal(update_at(t, &low, 1, SEVERITY_MEDIUM, FLAP, T0, ev), 0);
	assert_int_equal(update_at(t, &low, 1, SEVERITY_MEDIUM, FLAP, T0 + MIN, ev), 0);
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_MEDIUM, FLAP, T0 + 2 * MIN, ev), 0);
	assert_int_equal(update_at(t, &low, 1, SEVERITY_MEDIUM, FLAP, T0 + 3 * MIN, ev), 0);
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_MEDIUM, FLAP, T0 + 4 * MIN, ev), 0);
	/* with min high, a medium one is below too */
	assert_int_equal(update_at(t, both, 2, SEVERITY_HIGH, FLAP, T0 + 5 * MIN, ev), 0);
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_HIGH, FLAP, T0 + 6 * MIN, ev), 0);
	notify_tracker_free(t);
}

static void test_falling_below_min_clears(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	struct notify_event ev[EV_MAX];
	struct issue high = redis_down(SEVERITY_HIGH);
	struct issue low = redis_down(SEVERITY_LOW);
	struct issue medium = redis_down(SEVERITY_MEDIUM);
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0, ev), 1);
	assert_int_equal(update_at(t, &low, 1, SEVERITY_MEDIUM, FLAP, T0 + 2 * MIN, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_CLEARED);
	assert_string_equal(ev[0].issue_id, "redis_down");
	assert_int_equal(ev[0].open_ms, 2 * MIN);
	/* still there, still below: nothing; gone: nothing more */
	assert_int_equal(update_at(t, &low, 1, SEVERITY_MEDIUM, FLAP, T0 + 3 * MIN, ev), 0);
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_MEDIUM, FLAP, T0 + 4 * MIN, ev), 0);
	/* rising to the minimum later opens it */
	assert_int_equal(update_at(t, &medium, 1, SEVERITY_MEDIUM, FLAP, T0 + 60 * MIN, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_OPENED);
	assert_int_equal(ev[0].severity, SEVERITY_MEDIUM);
	notify_tracker_free(t);
}

static void test_rise_escalates(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	struct notify_event ev[EV_MAX];
	struct issue low = redis_down(SEVERITY_LOW);
	struct issue medium = redis_down(SEVERITY_MEDIUM);
	struct issue high = redis_down(SEVERITY_HIGH);
	assert_int_equal(update_at(t, &medium, 1, SEVERITY_MEDIUM, FLAP, T0, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_OPENED);
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0 + 15 * MIN, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_ESCALATED);
	assert_string_equal(ev[0].issue_id, "redis_down");
	assert_string_equal(ev[0].issue_type, "redis_down");
	assert_int_equal(ev[0].severity, SEVERITY_HIGH);
	assert_int_equal(ev[0].old_severity, SEVERITY_MEDIUM);
	assert_int_equal(ev[0].at_ms, T0 + 15 * MIN);
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0 + 16 * MIN, ev), 0);
	notify_tracker_free(t);

	/* with min low: low, then medium, then high, each rise told */
	t = notify_tracker_new();
	assert_int_equal(update_at(t, &low, 1, SEVERITY_LOW, FLAP, T0, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_OPENED);
	assert_int_equal(ev[0].severity, SEVERITY_LOW);
	assert_int_equal(update_at(t, &medium, 1, SEVERITY_LOW, FLAP, T0 + 20 * MIN, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_ESCALATED);
	assert_int_equal(ev[0].old_severity, SEVERITY_LOW);
	assert_int_equal(ev[0].severity, SEVERITY_MEDIUM);
	assert_int_equal(update_at(t, &high, 1, SEVERITY_LOW, FLAP, T0 + 40 * MIN, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_ESCALATED);
	assert_int_equal(ev[0].old_severity, SEVERITY_MEDIUM);
	assert_int_equal(ev[0].severity, SEVERITY_HIGH);
	notify_tracker_free(t);
}

static void test_fall_not_told(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	struct notify_event ev[EV_MAX];
	struct issue high = redis_down(SEVERITY_HIGH);
	struct issue medium = redis_down(SEVERITY_MEDIUM);
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0, ev), 1);
	assert_int_equal(update_at(t, &medium, 1, SEVERITY_MEDIUM, FLAP, T0 + 20 * MIN, ev), 0);
	assert_int_equal(update_at(t, &medium, 1, SEVERITY_MEDIUM, FLAP, T0 + 21 * MIN, ev), 0);
	/* it is still open: its going is told */
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_MEDIUM, FLAP, T0 + 40 * MIN, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_CLEARED);
	assert_int_equal(ev[0].open_ms, 40 * MIN);
	notify_tracker_free(t);
}

/* open, clear, then three changes within the window: the first two go, the
 * rest are held until the window ends, then one message says where the
 * issue settled (open) and how many changes were held. */
static void test_flap_settles_open(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	struct notify_event ev[EV_MAX];
	struct issue high = redis_down(SEVERITY_HIGH);
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_OPENED);
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_MEDIUM, FLAP, T0 + 1 * SEC, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_CLEARED);
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0 + 2 * SEC, ev), 0);
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_MEDIUM, FLAP, T0 + 3 * SEC, ev), 0);
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0 + 4 * SEC, ev), 0);
	/* within the window, it stays quiet */
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0 + 5 * MIN, ev), 0);
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0 + FLAP + 1 * SEC, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_OPENED);
	assert_string_equal(ev[0].issue_id, "redis_down");
	assert_int_equal(ev[0].severity, SEVERITY_HIGH);
	assert_int_equal(ev[0].at_ms, T0 + FLAP + 1 * SEC);
	/* held: reopened at 2 s, cleared at 3 s, reopened at 4 s */
	assert_int_equal(ev[0].held_changes, 3);
	/* told once */
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0 + FLAP + 2 * SEC, ev), 0);
	notify_tracker_free(t);
}

static void test_flap_settles_where_it_was(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	struct notify_event ev[EV_MAX];
	struct issue high = redis_down(SEVERITY_HIGH);
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0, ev), 1);
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_MEDIUM, FLAP, T0 + 1 * SEC, ev), 1);
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0 + 2 * SEC, ev), 0);
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_MEDIUM, FLAP, T0 + 3 * SEC, ev), 0);
	/* it is gone at the window's end, as last told: nothing to say */
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_MEDIUM, FLAP, T0 + FLAP + 1 * SEC, ev), 0);
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_MEDIUM, FLAP, T0 + FLAP + 2 * SEC, ev), 0);
	/* long after, it is an ordinary issue again */
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0 + 60 * MIN, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_OPENED);
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_MEDIUM, FLAP, T0 + 80 * MIN, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_CLEARED);
	notify_tracker_free(t);
}

static void test_flap_held_escalation(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	struct notify_event ev[EV_MAX];
	struct issue medium = redis_down(SEVERITY_MEDIUM);
	struct issue high = redis_down(SEVERITY_HIGH);
	/* two messages within the window both go */
	assert_int_equal(update_at(t, &medium, 1, SEVERITY_MEDIUM, FLAP, T0, ev), 1);
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_MEDIUM, FLAP, T0 + 1 * SEC, ev), 1);
	/* the third is held */
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0 + 2 * SEC, ev), 0);
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0 + FLAP + 1 * SEC, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_OPENED);
	assert_int_equal(ev[0].severity, SEVERITY_HIGH);
	assert_int_equal(ev[0].held_changes, 1);
	notify_tracker_free(t);
}

static void test_flap_is_per_issue(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	struct notify_event ev[EV_MAX];
	struct issue flapping = redis_down(SEVERITY_HIGH);
	struct issue steady =
	    make_issue(ISSUE_APP_DOWN, "app_down", SEVERITY_HIGH, "health answered 503");
	struct issue both[2] = {flapping, steady};
	assert_int_equal(update_at(t, &flapping, 1, SEVERITY_MEDIUM, FLAP, T0, ev), 1);
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_MEDIUM, FLAP, T0 + 1 * SEC, ev), 1);
	/* redis_down is damped now; app_down is not */
	assert_int_equal(update_at(t, both, 2, SEVERITY_MEDIUM, FLAP, T0 + 2 * SEC, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_OPENED);
	assert_string_equal(ev[0].issue_id, "app_down");
	assert_int_equal(ev[0].held_changes, 0);
	assert_int_equal(update_at(t, &flapping, 1, SEVERITY_MEDIUM, FLAP, T0 + 3 * SEC, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_CLEARED);
	assert_string_equal(ev[0].issue_id, "app_down");
	notify_tracker_free(t);
}

/* Two messages just before a window's end and two just after it would be
 * four within seconds: the two messages that count are the last two,
 * whenever they went. */
static void test_flap_counts_the_last_window(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	struct notify_event ev[EV_MAX];
	struct issue high = redis_down(SEVERITY_HIGH);
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_OPENED);
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_MEDIUM, FLAP, T0 + FLAP - SEC, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_CLEARED);
	/* the opening is more than a window old: one message may go */
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0 + FLAP + SEC, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_OPENED);
	/* two went within the last two seconds: this one is held */
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_MEDIUM, FLAP, T0 + FLAP + 2 * SEC, ev), 0);
	/* and told where it settled once the window is over */
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_MEDIUM, FLAP, T0 + 2 * FLAP + 2 * SEC, ev),
	                 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_CLEARED);
	assert_int_equal(ev[0].held_changes, 1);
	notify_tracker_free(t);
}

/* A message that does not fit in out goes at the next update, and still
 * says how many changes were held. */
static void test_held_changes_survive_a_full_out(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	struct notify_event ev[EV_MAX];
	struct issue steady =
	    make_issue(ISSUE_APP_DOWN, "app_down", SEVERITY_HIGH, "health answered 503");
	struct issue both[2] = {steady, redis_down(SEVERITY_HIGH)};
	assert_int_equal(update_at(t, &steady, 1, SEVERITY_MEDIUM, FLAP, T0, ev), 1);
	/* redis_down flaps: two messages, then three changes held */
	assert_int_equal(update_at(t, both, 2, SEVERITY_MEDIUM, FLAP, T0 + 1 * SEC, ev), 1);
	assert_int_equal(update_at(t, &steady, 1, SEVERITY_MEDIUM, FLAP, T0 + 2 * SEC, ev), 1);
	assert_int_equal(update_at(t, both, 2, SEVERITY_MEDIUM, FLAP, T0 + 3 * SEC, ev), 0);
	assert_int_equal(update_at(t, &steady, 1, SEVERITY_MEDIUM, FLAP, T0 + 4 * SEC, ev), 0);
	assert_int_equal(update_at(t, both, 2, SEVERITY_MEDIUM, FLAP, T0 + 5 * SEC, ev), 0);
	/* after the window app_down goes and redis_down is open: two messages,
	 * room for one at a time */
	struct issue left = both[1];
	struct notify_event got[2];
	memset(got, 0, sizeof(got));
	assert_int_equal(notify_tracker_update(t, &left, 1, SEVERITY_MEDIUM, FLAP,
	                                       T0 + FLAP + 2 * SEC, &got[0], 1),
	                 1);
	assert_int_equal(notify_tracker_update(t, &left, 1, SEVERITY_MEDIUM, FLAP,
	                                       T0 + FLAP + 3 * SEC, &got[1], 1),
	                 1);
	const struct notify_event *cleared = find(got, 2, "app_down");
	const struct notify_event *settled = find(got, 2, "redis_down");
	assert_non_null(cleared);
	assert_non_null(settled);
	assert_int_equal(cleared->kind, NOTIFY_ISSUE_CLEARED);
	assert_int_equal(settled->kind, NOTIFY_ISSUE_OPENED);
	assert_int_equal(settled->held_changes, 3);
	assert_int_equal(update_at(t, &left, 1, SEVERITY_MEDIUM, FLAP, T0 + FLAP + 4 * SEC, ev), 0);
	notify_tracker_free(t);
}

static void test_no_flap_window_sends_every_change(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	struct notify_event ev[EV_MAX];
	struct issue medium = redis_down(SEVERITY_MEDIUM);
	struct issue high = redis_down(SEVERITY_HIGH);
	for (int k = 0; k < 6; k++) {
		int64_t at = T0 + 2 * k * SEC;
		assert_int_equal(update_at(t, &medium, 1, SEVERITY_MEDIUM, 0, at, ev), 1);
		assert_int_equal(ev[0].kind, NOTIFY_ISSUE_OPENED);
		assert_int_equal(ev[0].held_changes, 0);
		assert_int_equal(update_at(t, NULL, 0, SEVERITY_MEDIUM, 0, at + SEC, ev), 1);
		assert_int_equal(ev[0].kind, NOTIFY_ISSUE_CLEARED);
		assert_int_equal(ev[0].held_changes, 0);
		assert_int_equal(ev[0].open_ms, SEC);
	}
	assert_int_equal(update_at(t, &medium, 1, SEVERITY_MEDIUM, 0, T0 + MIN, ev), 1);
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, 0, T0 + MIN + 1, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_ESCALATED);
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_MEDIUM, 0, T0 + MIN + 2, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_CLEARED);
	notify_tracker_free(t);
}

static void test_save_load_round_trip(void **state)
{
	(void)state;
	struct notify_tracker *a = notify_tracker_new();
	struct notify_event ev[EV_MAX];
	struct issue issues[3] = {
	    make_issue(ISSUE_APP_DOWN, "app_down", SEVERITY_HIGH, "health answered 503"),
	    make_issue(ISSUE_STORAGE_FULL, "storage_full:/srv", SEVERITY_MEDIUM,
	               "91% used, \"quoted\" \\ and more"),
	    make_issue(ISSUE_CACHE_HIT, "cache_hit", SEVERITY_LOW, "hit ratio 80%"),
	};
	assert_int_equal(update_at(a, issues, 3, SEVERITY_MEDIUM, FLAP, T0, ev), 2);
	struct strbuf saved;
	strbuf_init(&saved, 0);
	notify_tracker_save(a, &saved);
	assert_false(notify_tracker_dirty(a));
	/* a JSON array */
	json_object *arr = json_tokener_parse(strbuf_str(&saved));
	assert_non_null(arr);
	assert_true(json_object_is_type(arr, json_type_array));
	json_object_put(arr);
	notify_tracker_free(a);

	/* a succeeding sender repeats nothing */
	char err[256] = "";
	struct notify_tracker *b = notify_tracker_new();
	assert_int_equal(notify_tracker_load(b, strbuf_str(&saved), err, sizeof(err)), 0);
	assert_false(notify_tracker_dirty(b));
	assert_int_equal(update_at(b, issues, 3, SEVERITY_MEDIUM, FLAP, T0 + MIN, ev), 0);
	/* and tells what changed since: storage_full:/srv went */
	struct issue left[2] = {issues[0], issues[2]};
	assert_int_equal(update_at(b, left, 2, SEVERITY_MEDIUM, FLAP, T0 + 2 * MIN, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_CLEARED);
	assert_string_equal(ev[0].issue_id, "storage_full:/srv");
	assert_string_equal(ev[0].issue_type, "storage_full");
	assert_int_equal(ev[0].severity, SEVERITY_MEDIUM);
	assert_true(ev[0].open_ms == -1 || ev[0].open_ms == 2 * MIN);
	notify_tracker_free(b);

	/* the saved severity is kept: a rise is an escalation from it */
	struct notify_tracker *c = notify_tracker_new();
	assert_int_equal(notify_tracker_load(c, strbuf_str(&saved), err, sizeof(err)), 0);
	struct issue risen[2] = {issues[0], issues[1]};
	risen[1].severity = SEVERITY_HIGH;
	assert_int_equal(update_at(c, risen, 2, SEVERITY_MEDIUM, FLAP, T0 + 3 * MIN, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_ESCALATED);
	assert_string_equal(ev[0].issue_id, "storage_full:/srv");
	assert_int_equal(ev[0].old_severity, SEVERITY_MEDIUM);
	assert_int_equal(ev[0].severity, SEVERITY_HIGH);
	/* the issue below the minimum was not notified, so not saved as told */
	assert_int_equal(update_at(c, NULL, 0, SEVERITY_MEDIUM, FLAP, T0 + 30 * MIN, ev), 2);
	assert_non_null(find(ev, 2, "app_down"));
	assert_non_null(find(ev, 2, "storage_full:/srv"));
	assert_null(find(ev, 2, "cache_hit"));
	notify_tracker_free(c);
	strbuf_free(&saved);
}

static void test_save_load_empty(void **state)
{
	(void)state;
	struct notify_tracker *a = notify_tracker_new();
	struct strbuf saved;
	strbuf_init(&saved, 0);
	notify_tracker_save(a, &saved);
	json_object *arr = json_tokener_parse(strbuf_str(&saved));
	assert_non_null(arr);
	assert_true(json_object_is_type(arr, json_type_array));
	assert_int_equal(json_object_array_length(arr), 0);
	json_object_put(arr);
	char err[256] = "";
	struct notify_tracker *b = notify_tracker_new();
	assert_int_equal(notify_tracker_load(b, strbuf_str(&saved), err, sizeof(err)), 0);
	assert_int_equal(notify_tracker_load(b, "[]", err, sizeof(err)), 0);
	struct notify_event ev[EV_MAX];
	struct issue high = redis_down(SEVERITY_HIGH);
	assert_int_equal(update_at(b, &high, 1, SEVERITY_MEDIUM, FLAP, T0, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_OPENED);
	notify_tracker_free(a);
	notify_tracker_free(b);
	strbuf_free(&saved);
}

static void test_load_garbage(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "", "not json at all", "[", "{\"version\":1}", "42", "\"text\"", "[1,2", "null",
	};
	struct notify_event ev[EV_MAX];
	struct issue high = redis_down(SEVERITY_HIGH);
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		struct notify_tracker *t = notify_tracker_new();
		assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0, ev), 1);
		char err[256] = "";
		if (notify_tracker_load(t, bad[k], err, sizeof(err)) != -1)
			fail_msg("load of '%s' did not fail", bad[k]);
		assert_true(err[0] != '\0');
		/* t is empty after it: the open issue is told again */
		assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0 + MIN, ev), 1);
		assert_int_equal(ev[0].kind, NOTIFY_ISSUE_OPENED);
		notify_tracker_free(t);
	}
}

static void test_dirty(void **state)
{
	(void)state;
	struct notify_tracker *t = notify_tracker_new();
	struct notify_event ev[EV_MAX];
	struct issue high = redis_down(SEVERITY_HIGH);
	struct strbuf saved;
	strbuf_init(&saved, 0);
	assert_false(notify_tracker_dirty(t));
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_MEDIUM, FLAP, T0, ev), 0);
	assert_false(notify_tracker_dirty(t));
	/* an opening is a change */
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0 + MIN, ev), 1);
	assert_true(notify_tracker_dirty(t));
	notify_tracker_save(t, &saved);
	assert_false(notify_tracker_dirty(t));
	/* nothing new: stays clean */
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0 + 2 * MIN, ev), 0);
	assert_false(notify_tracker_dirty(t));
	/* a clearing is a change */
	assert_int_equal(update_at(t, NULL, 0, SEVERITY_MEDIUM, FLAP, T0 + 30 * MIN, ev), 1);
	assert_true(notify_tracker_dirty(t));
	strbuf_reset(&saved);
	notify_tracker_save(t, &saved);
	assert_false(notify_tracker_dirty(t));
	/* an escalation is a change */
	struct issue medium = redis_down(SEVERITY_MEDIUM);
	assert_int_equal(update_at(t, &medium, 1, SEVERITY_MEDIUM, FLAP, T0 + 60 * MIN, ev), 1);
	strbuf_reset(&saved);
	notify_tracker_save(t, &saved);
	assert_false(notify_tracker_dirty(t));
	assert_int_equal(update_at(t, &high, 1, SEVERITY_MEDIUM, FLAP, T0 + 90 * MIN, ev), 1);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_ESCALATED);
	assert_true(notify_tracker_dirty(t));
	/* a load leaves it clean */
	char err[256] = "";
	assert_int_equal(notify_tracker_load(t, strbuf_str(&saved), err, sizeof(err)), 0);
	assert_false(notify_tracker_dirty(t));
	strbuf_free(&saved);
	notify_tracker_free(t);
}

static void test_max_bounds_events(void **state)
{
	(void)state;
	struct issue issues[5];
	for (int k = 0; k < 5; k++) {
		char id[32];
		snprintf(id, sizeof(id), "storage_full:/d%d", k);
		issues[k] = make_issue(ISSUE_STORAGE_FULL, id, SEVERITY_HIGH, "99% used");
	}
	struct notify_event ev[EV_MAX];
	struct notify_tracker *t = notify_tracker_new();
	memset(ev, 0x5a, sizeof(ev));
	assert_int_equal(notify_tracker_update(t, issues, 5, SEVERITY_MEDIUM, FLAP, T0, ev, 2), 2);
	assert_int_equal(ev[0].kind, NOTIFY_ISSUE_OPENED);
	assert_int_equal(ev[1].kind, NOTIFY_ISSUE_OPENED);
	assert_string_not_equal(ev[0].issue_id, ev[1].issue_id);
	/* nothing written past max */
	unsigned char pattern[sizeof(struct notify_event)];
	memset(pattern, 0x5a, sizeof(pattern));
	assert_memory_equal(&ev[2], pattern, sizeof(pattern));
	notify_tracker_free(t);

	t = notify_tracker_new();
	assert_int_equal(notify_tracker_update(t, issues, 5, SEVERITY_MEDIUM, FLAP, T0, ev, 0), 0);
	notify_tracker_free(t);

	t = notify_tracker_new();
	assert_int_equal(update_at(t, issues, 5, SEVERITY_MEDIUM, FLAP, T0, ev), 5);
	for (int k = 0; k < 5; k++)
		assert_non_null(find(ev, 5, issues[k].id));
	notify_tracker_free(t);
}

static void test_tracked_max(void **state)
{
	(void)state;
	const int count = NOTIFY_TRACKED_MAX + 10;
	const int room = NOTIFY_TRACKED_MAX + 20;
	struct issue *issues = calloc((size_t)count, sizeof(*issues));
	struct notify_event *ev = calloc((size_t)room, sizeof(*ev));
	assert_non_null(issues);
	assert_non_null(ev);
	for (int k = 0; k < count; k++) {
		char id[32];
		snprintf(id, sizeof(id), "storage_full:/d%d", k);
		issues[k] = make_issue(ISSUE_STORAGE_FULL, id, SEVERITY_HIGH, "99% used");
	}
	struct notify_tracker *t = notify_tracker_new();
	int n = notify_tracker_update(t, issues, count, SEVERITY_MEDIUM, FLAP, T0, ev, room);
	assert_int_equal(n, NOTIFY_TRACKED_MAX);
	for (int k = 0; k < n; k++)
		assert_int_equal(ev[k].kind, NOTIFY_ISSUE_OPENED);
	assert_int_equal(
	    notify_tracker_update(t, issues, count, SEVERITY_MEDIUM, FLAP, T0 + MIN, ev, room), 0);
	notify_tracker_free(t);
	free(issues);
	free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_first_poll_opens),
	    cmocka_unit_test(test_nothing_wrong_tells_nothing),
	    cmocka_unit_test(test_at_min_severity_opens),
	    cmocka_unit_test(test_gone_is_cleared),
	    cmocka_unit_test(test_others_stay_open),
	    cmocka_unit_test(test_below_min_never_told),
	    cmocka_unit_test(test_falling_below_min_clears),
	    cmocka_unit_test(test_rise_escalates),
	    cmocka_unit_test(test_fall_not_told),
	    cmocka_unit_test(test_flap_settles_open),
	    cmocka_unit_test(test_flap_settles_where_it_was),
	    cmocka_unit_test(test_flap_held_escalation),
	    cmocka_unit_test(test_flap_is_per_issue),
	    cmocka_unit_test(test_flap_counts_the_last_window),
	    cmocka_unit_test(test_held_changes_survive_a_full_out),
	    cmocka_unit_test(test_no_flap_window_sends_every_change),
	    cmocka_unit_test(test_save_load_round_trip),
	    cmocka_unit_test(test_save_load_empty),
	    cmocka_unit_test(test_load_garbage),
	    cmocka_unit_test(test_dirty),
	    cmocka_unit_test(test_max_bounds_events),
	    cmocka_unit_test(test_tracked_max),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
