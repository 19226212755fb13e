/* Unit tests for serve/listen.c: "ADDR:PORT" split, and a socket on a
 * port the kernel chooses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "serve/listen.h"

static void test_split_accepts_the_forms(void **state)
{
	(void)state;
	char host[LISTEN_ADDRESS_TEXT], err[256];
	unsigned port = 1;
	assert_int_equal(
	    listen_split("127.0.0.1:9877", host, sizeof(host), &port, err, sizeof(err)), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 9877);
	assert_int_equal(listen_split("[::1]:0", host, sizeof(host), &port, err, sizeof(err)), 0);
	assert_string_equal(host, "::1");
	assert_int_equal(port, 0);
	assert_int_equal(
	    listen_split("localhost:65535", host, sizeof(host), &port, err, sizeof(err)), 0);
	assert_string_equal(host, "localhost");
	assert_int_equal(port, 65535);
}

static void test_split_refuses_with_why(void **state)
{
	(void)state;
	char host[LISTEN_ADDRESS_TEXT], err[256];
	unsigned port;
	static const struct {
		const char *spec;
		const char *why;
	} cases[] = {
	    {"127.0.0.1", "want ADDRESS:PORT"}, {":9877", "no address"},
	    {"127.0.0.1:", "not a number"},     {"127.0.0.1:65536", "not a number from 0 to 65535"},
	    {"127.0.0.1:-1", "not a number"},   {"127.0.0.1:+80", "not a number"},
	    {"127.0.0.1:80x", "not a number"},  {"::1:9877", "in brackets"},
	    {"[::1]9877", "[ADDRESS]:PORT"},    {"[::1", "[ADDRESS]:PORT"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		assert_int_equal(
		    listen_split(cases[i].spec, host, sizeof(host), &port, err, sizeof(err)), -1);
		if (strstr(err, cases[i].why) == NULL)
			fail_msg("%s: '%s' does not say '%s'", cases[i].spec, err, cases[i].why);
	}
	char tiny[4];
	assert_int_equal(listen_split("localhost:1", tiny, sizeof(tiny), &port, err, sizeof(err)),
	                 -1);
}

static void test_open_any_port_on_loopback(void **state)
{
	(void)state;
	char bound[LISTEN_ADDRESS_TEXT], err[256];
	int fd = listen_open("127.0.0.1:0", bound, sizeof(bound), err, sizeof(err));
	assert_true(fd >= 0);
	assert_true(strncmp(bound, "127.0.0.1:", 10) == 0);
	assert_string_not_equal(bound, "127.0.0.1:0");
	/* the same port again is taken */
	int again = listen_open(bound, bound, sizeof(bound), err, sizeof(err));
	assert_int_equal(again, -1);
	assert_non_null(strstr(err, "Address already in use"));
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split_accepts_the_forms),
	    cmocka_unit_test(test_split_refuses_with_why),
	    cmocka_unit_test(test_open_any_port_on_loopback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
