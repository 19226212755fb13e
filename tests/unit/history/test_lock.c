/* Unit tests for history/lock: the holder's pid and role as the lock file
 * says them, a recorder's claim on a directory a dashboard writes (let go:
 * taken; kept: refused after the wait, and no record.wanted left), and a
 * record.wanted whose recorder is gone. flock(2) locks belong to an open
 * file, so one process holds and claims through two descriptors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include "history/lock.h"
#include "store_fixture.h"

static bool exists(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static void test_holder_pid_and_role(void **state)
{
	(void)state;
	char *dir = store_fixture_dir(), err[512];
	int fd = -1;
	struct history_lock_holder holder;
	assert_int_equal(history_lock_probe(dir, HISTORY_RECORD_LOCK, &holder, err, sizeof(err)),
	                 0);
	assert_int_equal(history_lock_acquire(dir, HISTORY_RECORD_LOCK, HISTORY_ROLE_DASHBOARD, &fd,
	                                      &holder, err, sizeof(err)),
	                 0);
	assert_int_equal(history_lock_probe(dir, HISTORY_RECORD_LOCK, &holder, err, sizeof(err)),
	                 1);
	assert_int_equal(holder.pid, getpid());
	assert_string_equal(holder.role, "dashboard");
	int other = -1;
	assert_int_equal(history_lock_acquire(dir, HISTORY_RECORD_LOCK, HISTORY_ROLE_RECORDER,
	                                      &other, &holder, err, sizeof(err)),
	                 1);
	assert_int_equal(other, -1);
	assert_string_equal(holder.role, "dashboard");
	history_lock_release(fd);
	assert_int_equal(history_lock_probe(dir, HISTORY_RECORD_LOCK, &holder, err, sizeof(err)),
	                 0);
	store_fixture_remove(dir);
	free(dir);
}

struct yielding {
	const char *dir;
	int fd;
};

/* A dashboard's writer: lets go once a recorder wants the directory. */
static void *dashboard_yields(void *arg)
{
	struct yielding *y = arg;
	while (!history_lock_wanted(y->dir))
		usleep(10 * 1000);
	history_lock_release(y->fd);
	return NULL;
}

static void test_claim_from_a_dashboard_that_lets_go(void **state)
{
	(void)state;
	char *dir = store_fixture_dir(), err[512];
	struct yielding y = {.dir = dir, .fd = -1};
	struct history_lock_holder holder;
	assert_int_equal(history_lock_acquire(dir, HISTORY_RECORD_LOCK, HISTORY_ROLE_DASHBOARD,
	                                      &y.fd, &holder, err, sizeof(err)),
	                 0);
	pthread_t thread;
	assert_int_equal(pthread_create(&thread, NULL, dashboard_yields, &y), 0);
	int fd = -1;
	assert_int_equal(history_lock_claim(dir, 5000, &fd, &holder, err, sizeof(err)), 0);
	pthread_join(thread, NULL);
	assert_true(fd >= 0);
	assert_false(exists(dir, HISTORY_WANTED_FILE));
	assert_int_equal(history_lock_probe(dir, HISTORY_RECORD_LOCK, &holder, err, sizeof(err)),
	                 1);
	assert_string_equal(holder.role, "record");
	/* a dashboard does not take it back while the recorder holds it */
	int again = -1;
	assert_int_equal(history_lock_acquire(dir, HISTORY_RECORD_LOCK, HISTORY_ROLE_DASHBOARD,
	                                      &again, &holder, err, sizeof(err)),
	                 1);
	history_lock_release(fd);
	store_fixture_remove(dir);
	free(dir);
}

static void test_claim_refused_when_kept(void **state)
{
	(void)state;
	char *dir = store_fixture_dir(), err[512];
	int kept = -1, fd = -1;
	struct history_lock_holder holder;
	assert_int_equal(history_lock_acquire(dir, HISTORY_RECORD_LOCK, HISTORY_ROLE_DASHBOARD,
	                                      &kept, &holder, err, sizeof(err)),
	                 0);
	assert_int_equal(history_lock_claim(dir, 300, &fd, &holder, err, sizeof(err)), 1);
	assert_int_equal(fd, -1);
	assert_string_equal(holder.role, "dashboard");
	assert_false(exists(dir, HISTORY_WANTED_FILE));
	history_lock_release(kept);
	store_fixture_remove(dir);
	free(dir);
}

static void test_claim_does_not_wait_for_a_recorder(void **state)
{
	(void)state;
	char *dir = store_fixture_dir(), err[512];
	int kept = -1, fd = -1;
	struct history_lock_holder holder;
	assert_int_equal(history_lock_acquire(dir, HISTORY_RECORD_LOCK, HISTORY_ROLE_RECORDER,
	                                      &kept, &holder, err, sizeof(err)),
	                 0);
	assert_int_equal(history_lock_claim(dir, 60000, &fd, &holder, err, sizeof(err)), 1);
	assert_string_equal(holder.role, "record");
	assert_false(exists(dir, HISTORY_WANTED_FILE));
	history_lock_release(kept);
	store_fixture_remove(dir);
	free(dir);
}

static void test_wanted_by_a_dead_recorder_is_removed(void **state)
{
	(void)state;
	char *dir = store_fixture_dir(), path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, HISTORY_WANTED_FILE);
	assert_false(history_lock_wanted(dir));
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
	assert_true(history_lock_wanted(dir));
	pid_t child = fork();
	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%ld\n", (long)child);
	fclose(f);
	assert_false(history_lock_wanted(dir));
	assert_false(exists(dir, HISTORY_WANTED_FILE));
	store_fixture_remove(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_holder_pid_and_role),
	    cmocka_unit_test(test_claim_from_a_dashboard_that_lets_go),
	    cmocka_unit_test(test_claim_refused_when_kept),
	    cmocka_unit_test(test_claim_does_not_wait_for_a_recorder),
	    cmocka_unit_test(test_wanted_by_a_dead_recorder_is_removed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
