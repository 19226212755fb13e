/* Unit tests for util/spawn.c: programs run without a shell, bounded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdatomic.h>
#include <string.h>

#include <cmocka.h>

#include "util/spawn.h"

static void test_captures_stdout_and_exit_status(void **state)
{
	char *argv[] = {"printf", "%s|", "a b", "$(reboot)", NULL};
	struct strbuf out;
	strbuf_init(&out, 0);
	struct spawn_result res;
	char err[256];
	assert_int_equal(spawn_capture(argv, NULL, 5000, NULL, &out, NULL, &res, err, sizeof(err)),
	                 0);
	assert_int_equal(res.exit_status, 0);
	/* arguments arrive verbatim: no shell expanded anything */
	assert_string_equal(strbuf_str(&out), "a b|$(reboot)|");
	strbuf_free(&out);
}

static void test_nonzero_exit_and_stderr(void **state)
{
	char *argv[] = {"ls", "/nonexistent-opsdeck-path", NULL};
	struct strbuf err_out;
	strbuf_init(&err_out, 0);
	struct spawn_result res;
	char err[256];
	assert_int_equal(
	    spawn_capture(argv, "/", 5000, NULL, NULL, &err_out, &res, err, sizeof(err)), 0);
	assert_true(res.exit_status > 0);
	assert_non_null(strstr(strbuf_str(&err_out), "nonexistent-opsdeck-path"));
	strbuf_free(&err_out);
}

static void test_missing_program(void **state)
{
	char *argv[] = {"opsdeck-no-such-program", NULL};
	struct spawn_result res;
	char err[256] = "";
	assert_int_equal(spawn_capture(argv, NULL, 5000, NULL, NULL, NULL, &res, err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "opsdeck-no-such-program"));
}

static void test_timeout_kills(void **state)
{
	char *argv[] = {"sleep", "10", NULL};
	struct spawn_result res;
	char err[256];
	assert_int_equal(spawn_capture(argv, NULL, 200, NULL, NULL, NULL, &res, err, sizeof(err)),
	                 0);
	assert_true(res.timed_out);
	assert_int_equal(res.exit_status, -1);
	assert_true(res.signal != 0);
	assert_true(res.duration_ms < 5000);
}

static void test_output_is_capped(void **state)
{
	char *argv[] = {"head", "-c", "100000", "/dev/zero", NULL};
	struct strbuf out;
	strbuf_init(&out, 1000);
	struct spawn_result res;
	char err[256];
	assert_int_equal(spawn_capture(argv, NULL, 5000, NULL, &out, NULL, &res, err, sizeof(err)),
	                 0);
	assert_int_equal(res.exit_status, 0);
	assert_int_equal(out.len, 1000);
	assert_true(out.truncated);
	strbuf_free(&out);
}

static void test_returns_when_the_command_exits(void **state)
{
	/* The command exits at once but leaves a process holding its stdout:
	 * the wait must end with the command, not with the leftover. */
	char *argv[] = {"sh", "-c", "echo started; sleep 30 & exit 0", NULL};
	struct strbuf out;
	strbuf_init(&out, 0);
	struct spawn_result res;
	char err[256];
	assert_int_equal(spawn_capture(argv, NULL, 10000, NULL, &out, NULL, &res, err, sizeof(err)),
	                 0);
	assert_int_equal(res.exit_status, 0);
	assert_false(res.timed_out);
	assert_true(res.duration_ms < 3000);
	assert_non_null(strstr(strbuf_str(&out), "started"));
	strbuf_free(&out);
}

static void test_cancel_stops_the_group(void **state)
{
	char *argv[] = {"sleep", "30", NULL};
	atomic_int cancel = 1;
	struct spawn_result res;
	char err[256];
	assert_int_equal(
	    spawn_capture(argv, NULL, 10000, &cancel, NULL, NULL, &res, err, sizeof(err)), 0);
	assert_true(res.cancelled);
	assert_false(res.timed_out);
	assert_true(res.signal != 0);
	assert_true(res.duration_ms < 3000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_captures_stdout_and_exit_status),
	    cmocka_unit_test(test_nonzero_exit_and_stderr),
	    cmocka_unit_test(test_missing_program),
	    cmocka_unit_test(test_timeout_kills),
	    cmocka_unit_test(test_output_is_capped),
	    cmocka_unit_test(test_returns_when_the_command_exits),
	    cmocka_unit_test(test_cancel_stops_the_group),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
