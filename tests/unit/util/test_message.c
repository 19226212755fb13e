/* Unit tests for util/message.c */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/message.h"

/* While queued, notes wait for message_queue_take, oldest first, and each
 * wakes the poll loop. */
static void test_queue_keeps_notes_in_order(void **state)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	message_queue_start(fds[1]);
	message_emit("first %d", 1);
	message_emit("second");
	char lines[4][MESSAGE_LINE_MAX];
	size_t dropped = 99;
	assert_int_equal(message_queue_take(lines, 4, &dropped), 2);
	assert_string_equal(lines[0], "first 1");
	assert_string_equal(lines[1], "second");
	assert_int_equal(dropped, 0);
	char wake[4];
	assert_int_equal(read(fds[0], wake, sizeof(wake)), 2);
	assert_int_equal(message_queue_take(lines, 4, NULL), 0);
	message_queue_stop();
	close(fds[0]);
	close(fds[1]);
}

/* The queue is bounded: the oldest go, and how many is reported once. */
static void test_queue_drops_the_oldest(void **state)
{
	message_queue_start(-1);
	for (int i = 0; i < MESSAGE_QUEUE_MAX + 3; i++)
		message_emit("note %d", i);
	char lines[MESSAGE_QUEUE_MAX][MESSAGE_LINE_MAX];
	size_t dropped = 0;
	assert_int_equal(message_queue_take(lines, MESSAGE_QUEUE_MAX, &dropped), MESSAGE_QUEUE_MAX);
	assert_int_equal(dropped, 3);
	assert_string_equal(lines[0], "note 3");
	message_emit("late");
	assert_int_equal(message_queue_take(lines, MESSAGE_QUEUE_MAX, &dropped), 1);
	assert_int_equal(dropped, 0);
	message_queue_stop();
}

/* Stopping writes what was not taken to stderr, then notes go there. */
static void test_stop_flushes_to_stderr(void **state)
{
	char path[] = "/tmp/test_message_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	fflush(stderr);
	int saved = dup(2);
	assert_true(saved >= 0);
	assert_int_equal(dup2(fd, 2), 2);
	message_queue_start(-1);
	message_emit("queued %s", "note");
	message_queue_stop();
	message_emit("direct");
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	char buf[256] = "";
	assert_true(pread(fd, buf, sizeof(buf) - 1, 0) > 0);
	assert_string_equal(buf, "opsdeck: queued note\nopsdeck: direct\n");
	close(fd);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_queue_keeps_notes_in_order),
	    cmocka_unit_test(test_queue_drops_the_oldest),
	    cmocka_unit_test(test_stop_flushes_to_stderr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
