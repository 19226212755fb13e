/* test_runner.c - jobs: outcome states, progress copies, cancellation,
 * sanitised lines and the wake-up byte. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "job/runner.h"

static int work_ok(struct job *job, void *arg)
{
	(void)arg;
	job_report(job, 1, 2, "step %d of %d", 1, 2);
	job_report(job, 2, 2, "step %d of %d", 2, 2);
	job_set_result(job, "removed %d keys", 42);
	return 0;
}

static int work_fail(struct job *job, void *arg)
{
	(void)job;
	(void)arg;
	return -1;
}

static int work_until_cancelled(struct job *job, void *arg)
{
	(void)arg;
	for (int i = 0; i < 5000; i++) {
		if (job_cancelled(job))
			return -1;
		usleep(1000);
	}
	return 0;
}

static int work_dirty_line(struct job *job, void *arg)
{
	(void)arg;
	job_report(job, 0, 0, "evil \033]0;title\007 line\nnext");
	return 0;
}

static int freed;
static void count_free(void *arg)
{
	free(arg);
	freed++;
}

static void wait_done(struct job *job, struct job_progress *p)
{
	for (int i = 0; i < 5000; i++) {
		job_progress(job, p);
		if (p->state != JOB_RUNNING)
			return;
		usleep(1000);
	}
	fail_msg("job did not finish");
}

static void test_ok_with_result(void **state)
{
	(void)state;
	freed = 0;
	struct job *job = job_start("clear-cache", work_ok, malloc(8), count_free, -1);
	assert_non_null(job);
	struct job_progress p;
	wait_done(job, &p);
	assert_int_equal(p.state, JOB_OK);
	assert_string_equal(p.title, "clear-cache");
	assert_string_equal(p.line, "step 2 of 2");
	assert_int_equal(p.done, 2);
	assert_int_equal(p.total, 2);
	assert_string_equal(p.result, "removed 42 keys");
	assert_true(p.started_ms > 0);
	assert_true(p.finished_ms >= p.started_ms);
	job_free(job);
	assert_int_equal(freed, 1);
}

static void test_failure_default_result(void **state)
{
	(void)state;
	struct job *job = job_start("x", work_fail, NULL, NULL, -1);
	struct job_progress p;
	wait_done(job, &p);
	assert_int_equal(p.state, JOB_FAILED);
	assert_string_equal(p.result, "failed");
	job_free(job);
}

static void test_cancel(void **state)
{
	(void)state;
	struct job *job = job_start("long", work_until_cancelled, NULL, NULL, -1);
	struct job_progress p;
	job_progress(job, &p);
	assert_int_equal(p.state, JOB_RUNNING);
	assert_int_equal(p.finished_ms, 0);
	job_cancel(job);
	wait_done(job, &p);
	assert_int_equal(p.state, JOB_CANCELLED);
	assert_string_equal(p.result, "cancelled");
	job_free(job);
}

static void test_lines_sanitised(void **state)
{
	(void)state;
	struct job *job = job_start("t\033[2J", work_dirty_line, NULL, NULL, -1);
	struct job_progress p;
	wait_done(job, &p);
	assert_null(strchr(p.line, '\033'));
	assert_null(strchr(p.line, '\n'));
	assert_null(strchr(p.title, '\033'));
	job_free(job);
}

static void test_wake_fd(void **state)
{
	(void)state;
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(fcntl(fds[1], F_SETFL, O_NONBLOCK), 0);
	struct job *job = job_start("w", work_ok, NULL, NULL, fds[1]);
	struct job_progress p;
	wait_done(job, &p);
	job_free(job);
	struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
	assert_int_equal(poll(&pfd, 1, 1000), 1);
	char buf[16];
	/* two reports and the end */
	assert_int_equal(read(fds[0], buf, sizeof(buf)), 3);
	close(fds[0]);
	close(fds[1]);
}

static void test_free_null(void **state)
{
	(void)state;
	job_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ok_with_result), cmocka_unit_test(test_failure_default_result),
	    cmocka_unit_test(test_cancel),         cmocka_unit_test(test_lines_sanitised),
	    cmocka_unit_test(test_wake_fd),        cmocka_unit_test(test_free_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
