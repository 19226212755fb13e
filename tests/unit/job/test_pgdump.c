/* test_pgdump.c - pg_dump as a stream (src/job/pgdump.c), through the real
 * posix_spawn path with a stand-in program (tests/fixtures/pg_dump/
 * fake_pg_dump, chosen by OPSDECK_PG_DUMP): the dump's bytes arrive whole,
 * the password goes in the environment and never in argv, a failing
 * pg_dump is reported with its stderr, a hung one is stopped by
 * pgdump_free, a missing one cannot start. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/pgurl.h"
#include "job/pgdump.h"
#include "util/clock.h"
#include "util/strbuf.h"

#define FAKE FIXTURES "/pg_dump/fake_pg_dump"
#define URL  "postgresql://backup:s3cret-pw@127.0.0.1:5432/shop"

static struct pgdump *start(const char *mode, bool custom, struct pgurl *url, char *err,
                            size_t errlen)
{
	assert_int_equal(setenv("OPSDECK_PG_DUMP", FAKE, 1), 0);
	assert_int_equal(setenv("FAKE_PG_DUMP", mode, 1), 0);
	assert_int_equal(pgurl_parse(URL, 3000, url, err, errlen), 0);
	return pgdump_start(url, custom, err, errlen);
}

/* Everything pg_dump writes, until the end of the dump. */
static int read_all(struct pgdump *d, struct strbuf *out, char *err, size_t errlen)
{
	char buf[4096];
	for (;;) {
		ssize_t n = pgdump_read(d, buf, sizeof(buf), 1000, err, errlen);
		if (n == PGDUMP_AGAIN)
			continue;
		if (n <= 0)
			return (int)n;
		strbuf_append(out, buf, (size_t)n);
	}
}

/* Runs the stand-in in mode to its end: its output into out (initialised
 * here), pgdump_wait's result returned, its reason in err. */
static int run_to_end(const char *mode, bool custom, struct strbuf *out, char *err, size_t errlen)
{
	struct pgurl url;
	struct pgdump *d = start(mode, custom, &url, err, errlen);
	assert_non_null(d);
	strbuf_init(out, 0);
	assert_int_equal(read_all(d, out, err, errlen), 0);
	int rc = pgdump_wait(d, err, errlen);
	pgdump_free(d);
	pgurl_free(&url);
	return rc;
}

static void test_dump_streams_whole(void **state)
{
	(void)state;
	char err[512] = "";
	struct strbuf out;
	assert_int_equal(run_to_end("dump", true, &out, err, sizeof(err)), 0);
	const char *text = strbuf_str(&out);
	assert_non_null(strstr(text, "arg --no-password\n"));
	assert_non_null(strstr(text, "arg --format=custom\narg --compress=0\narg --dbname\n"));
	assert_non_null(strstr(text, "dbname='shop'"));
	assert_non_null(strstr(text, "user='backup'"));
	/* the password only in the child's environment */
	assert_non_null(strstr(text, "env PGPASSWORD=s3cret-pw\n"));
	const char *env_line = strstr(text, "env PGPASSWORD=");
	const char *in_argv = strstr(text, "s3cret-pw");
	assert_ptr_equal(in_argv, env_line + strlen("env PGPASSWORD="));
	/* every byte, in order */
	const char *body = strchr(env_line, '\n') + 1;
	assert_int_equal(strspn(body, "x"), 100000);
	assert_string_equal(body + 100000, "\n-- end of dump\n");
	strbuf_free(&out);
}

static void test_plain_has_no_format(void **state)
{
	(void)state;
	char err[512] = "";
	struct strbuf out;
	assert_int_equal(run_to_end("dump", false, &out, err, sizeof(err)), 0);
	assert_null(strstr(strbuf_str(&out), "--format"));
	assert_null(strstr(strbuf_str(&out), "--compress"));
	strbuf_free(&out);
}

static void test_failure_says_why(void **state)
{
	(void)state;
	char err[512] = "";
	struct strbuf out;
	assert_int_equal(run_to_end("fail", false, &out, err, sizeof(err)), -1);
	assert_int_equal(out.len, 0);
	/* the exit status and stderr, on one line */
	assert_non_null(strstr(err, "pg_dump exited with status 3: "));
	assert_non_null(strstr(err, "connection to server failed"));
	assert_non_null(strstr(err, "does not exist"));
	assert_null(strchr(err, '\n'));
	strbuf_free(&out);
}

static void test_hung_dump_is_stopped(void **state)
{
	(void)state;
	char err[512] = "";
	struct pgurl url;
	struct pgdump *d = start("hang", false, &url, err, sizeof(err));
	assert_non_null(d);
	char buf[256];
	ssize_t n;
	while ((n = pgdump_read(d, buf, sizeof(buf), 1000, err, sizeof(err))) == PGDUMP_AGAIN)
		;
	assert_true(n > 0);
	/* then nothing more: the caller gets the chance to look at cancellation */
	assert_int_equal(pgdump_read(d, buf, sizeof(buf), 100, err, sizeof(err)), PGDUMP_AGAIN);
	int64_t t0 = clock_monotonic_ms();
	pgdump_free(d);
	/* SIGTERM ends it; SIGKILL would come after 2 s */
	assert_true(clock_monotonic_ms() - t0 < 2000);
	pgurl_free(&url);
}

static void test_missing_program(void **state)
{
	(void)state;
	char err[512] = "";
	struct pgurl url;
	assert_int_equal(setenv("OPSDECK_PG_DUMP", "/nonexistent/opsdeck-pg_dump", 1), 0);
	assert_int_equal(pgurl_parse(URL, 3000, &url, err, sizeof(err)), 0);
	struct pgdump *d = pgdump_start(&url, false, err, sizeof(err));
	if (d) {
		/* spawn may report a missing program only as the child's exit */
		struct strbuf out;
		strbuf_init(&out, 0);
		assert_int_equal(read_all(d, &out, err, sizeof(err)), 0);
		assert_int_equal(pgdump_wait(d, err, sizeof(err)), -1);
		pgdump_free(d);
		strbuf_free(&out);
	}
	assert_true(err[0] != '\0');
	assert_null(strstr(err, "s3cret-pw"));
	pgurl_free(&url);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dump_streams_whole), cmocka_unit_test(test_plain_has_no_format),
	    cmocka_unit_test(test_failure_says_why),   cmocka_unit_test(test_hung_dump_is_stopped),
	    cmocka_unit_test(test_missing_program),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
