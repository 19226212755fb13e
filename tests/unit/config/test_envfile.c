/* test_envfile.c - reading the app's .env file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/envfile.h"

static struct envfile *parse_ok(const char *text)
{
	char err[512] = "";
	struct envfile *env = envfile_parse(".env", text, err, sizeof(err));
	if (!env)
		fail_msg("envfile_parse failed: %s", err);
	return env;
}

static void check_error(const char *text, const char *expect)
{
	char err[512] = "";
	assert_null(envfile_parse(".env", text, err, sizeof(err)));
	assert_string_equal(err, expect);
}

static void test_fixture_file(void **state)
{
	(void)state;
	char err[512] = "";
	struct envfile *env = envfile_load(FIXTURES "/config/app.env", err, sizeof(err));
	if (!env)
		fail_msg("%s", err);
	assert_string_equal(
	    envfile_get(env, "DATABASE_URL"),
	    "postgresql://johndoe:randompassword@localhost:5432/mydb?schema=public");
	assert_string_equal(envfile_get(env, "REDIS_URL"), "redis://:cachepw@127.0.0.1:6379/0");
	assert_string_equal(envfile_get(env, "AWS_REGION"), "eu-west-1");
	assert_string_equal(envfile_get(env, "AWS_SECRET_ACCESS_KEY"),
	                    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
	assert_string_equal(envfile_get(env, "NEXT_PUBLIC_SITE_NAME"), "My shop");
	assert_string_equal(envfile_get(env, "PRIVATE_KEY"),
	                    "-----BEGIN KEY-----\nline two\n-----END KEY-----");
	assert_string_equal(envfile_get(env, "LAST"), "done");
	assert_null(envfile_get(env, "NOT_THERE"));
	/* The first secret is the database URL with its password, on line 2. */
	assert_int_equal(envfile_holds_secret(env), 2);
	envfile_free(env);
}

static void test_bare_values(void **state)
{
	(void)state;
	struct envfile *env = parse_ok("A=plain\n"
	                               "B = spaced around  \n"
	                               "C=value # comment\n"
	                               "D=pass#word\n"
	                               "E=\n"
	                               "F=#only a comment\n"
	                               "G=a 'b' \"c\"\n"
	                               "H=x=y\n"
	                               "\t export   I=exported\n");
	assert_string_equal(envfile_get(env, "A"), "plain");
	assert_string_equal(envfile_get(env, "B"), "spaced around");
	assert_string_equal(envfile_get(env, "C"), "value");
	assert_string_equal(envfile_get(env, "D"), "pass#word");
	assert_string_equal(envfile_get(env, "E"), "");
	assert_string_equal(envfile_get(env, "F"), "");
	assert_string_equal(envfile_get(env, "G"), "a 'b' \"c\"");
	assert_string_equal(envfile_get(env, "H"), "x=y");
	assert_string_equal(envfile_get(env, "I"), "exported");
	envfile_free(env);
}

static void test_quoted_values(void **state)
{
	(void)state;
	struct envfile *env = parse_ok("A=\"line\\nbreak \\\"q\\\" \\\\ \\t tab \\x\"\n"
	                               "B='literal \\n $X \"q\"' # comment\n"
	                               "C=`back ' \" tick`\n"
	                               "D=\"  kept  \"\n"
	                               "E=\"hash # inside\"\n");
	assert_string_equal(envfile_get(env, "A"), "line\nbreak \"q\" \\ \t tab \\x");
	assert_string_equal(envfile_get(env, "B"), "literal \\n $X \"q\"");
	assert_string_equal(envfile_get(env, "C"), "back ' \" tick");
	assert_string_equal(envfile_get(env, "D"), "  kept  ");
	assert_string_equal(envfile_get(env, "E"), "hash # inside");
	envfile_free(env);
}

static void test_multiline_values_keep_line_numbers(void **state)
{
	(void)state;
	struct envfile *env = parse_ok("KEY=\"one\r\ntwo\r\nthree\"\r\nNEXT=1\r\n");
	assert_string_equal(envfile_get(env, "KEY"), "one\ntwo\nthree");
	assert_string_equal(envfile_get(env, "NEXT"), "1");
	envfile_free(env);
	/* An error after a multi-line value names the right line. */
	check_error("A='x\ny\nz'\nB=1\n???\n", ".env:5: expected NAME=value");
}

static void test_last_assignment_wins(void **state)
{
	(void)state;
	struct envfile *env = parse_ok("A=1\nA=2\n");
	assert_string_equal(envfile_get(env, "A"), "2");
	envfile_free(env);
	assert_null(envfile_get(NULL, "A"));
}

static void test_crlf_bom_and_names(void **state)
{
	(void)state;
	struct envfile *env = parse_ok("\xEF\xBB\xBF"
	                               "A=1\r\n"
	                               "B=\"2\"\r\n"
	                               "_x.y-z=3\r\n"
	                               "lower_case=4");
	assert_string_equal(envfile_get(env, "A"), "1");
	assert_string_equal(envfile_get(env, "B"), "2");
	assert_string_equal(envfile_get(env, "_x.y-z"), "3");
	assert_string_equal(envfile_get(env, "lower_case"), "4");
	envfile_free(env);
	env = parse_ok("");
	assert_null(envfile_get(env, "A"));
	assert_int_equal(envfile_holds_secret(env), 0);
	envfile_free(env);
}

static void test_errors(void **state)
{
	(void)state;
	check_error("A=1\nB=\"open\nC=2\n", ".env:2: unterminated double quote in the value of B");
	check_error("A='open", ".env:1: unterminated single quote in the value of A");
	check_error("A=`open", ".env:1: unterminated back quote in the value of A");
	check_error("A=\"x\" y\n", ".env:1: unexpected text after the closing quote of A");
	check_error("A=1\n\nB 2\n", ".env:3: expected NAME=value");
	/* A line without '=' is not quoted back, even when it looks like a
	 * name: it might be a stray secret (a token pasted on its own line). */
	check_error("A=1\nsk_live_51HxQf2eZvKYlo2C0a9b8c7d\n", ".env:2: expected NAME=value");
	check_error("1A=x\n", ".env:1: expected NAME=value");
	check_error("=x\n", ".env:1: expected NAME=value");
	check_error("A=a\001b\n", ".env:1: control character (byte 0x01) in the line");
	check_error("A=a\rb\n", ".env:1: control character (byte 0x0d) in the line");
}

static void test_stray_secret_is_not_quoted_back(void **state)
{
	(void)state;
	char err[256];
	assert_null(envfile_parse(".env", "postgres://u:Hunter2Pw@h/db\n", err, sizeof(err)));
	assert_null(strstr(err, "Hunter2Pw"));
	assert_null(envfile_parse(".env", "A=\"x\" Hunter2Pw\n", err, sizeof(err)));
	assert_null(strstr(err, "Hunter2Pw"));
}

static void test_line_length_cap(void **state)
{
	(void)state;
	size_t n = 65536;
	char *text = malloc(n + 16);
	memcpy(text, "A=", 2);
	memset(text + 2, 'x', n - 2);
	text[n] = '\0';
	struct envfile *env = parse_ok(text);
	assert_int_equal(strlen(envfile_get(env, "A")), n - 2);
	envfile_free(env);
	strcat(text, "x");
	check_error(text, ".env:1: line is longer than 65536 bytes");
	free(text);
}

static void test_holds_secret(void **state)
{
	(void)state;
	struct {
		const char *text;
		int line;
	} cases[] = {
	    {"NODE_ENV=production\nPORT=3000\n", 0},
	    {"A=1\nDB_PASSWORD=x\n", 2},
	    {"DB_PASSWORD=\n", 0}, /* empty: nothing to protect */
	    {"A=1\nB=2\nstripe_secret=sk\n", 3},
	    {"GITHUB_TOKEN=t\n", 1},
	    {"API_KEY=k\n", 1},
	    {"X=postgres://u:p@h/db\n", 1},
	    {"X=postgres://u@h/db\n", 0},
	    {"DATABASE_URL=${OTHER}\n", 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct envfile *env = parse_ok(cases[i].text);
		if (envfile_holds_secret(env) != cases[i].line)
			fail_msg("case %zu: holds_secret %d, expected %d", i,
			         envfile_holds_secret(env), cases[i].line);
		envfile_free(env);
	}
	assert_int_equal(envfile_holds_secret(NULL), 0);
}

static void test_load_errors(void **state)
{
	(void)state;
	char err[512];
	assert_null(envfile_load("/nonexistent/opsdeck/.env", err, sizeof(err)));
	assert_string_equal(err, "/nonexistent/opsdeck/.env: No such file or directory");
	assert_null(envfile_load("/tmp", err, sizeof(err)));
	assert_string_equal(err, "/tmp: not a regular file");

	char path[] = "/tmp/opsdeck-envfile-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	static const char text[] = "A=1\nB=2\0\nC=3\n";
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	assert_int_equal(close(fd), 0);
	assert_null(envfile_load(path, err, sizeof(err)));
	char expect[512];
	snprintf(expect, sizeof(expect), "%s:2: NUL byte in the file (is it a text file?)", path);
	assert_string_equal(err, expect);

	/* A syntax error names the file and line. */
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("A=1\nB='x\n", f);
	assert_int_equal(fclose(f), 0);
	assert_null(envfile_load(path, err, sizeof(err)));
	snprintf(expect, sizeof(expect), "%s:2: unterminated single quote in the value of B", path);
	assert_string_equal(err, expect);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixture_file),
	    cmocka_unit_test(test_bare_values),
	    cmocka_unit_test(test_quoted_values),
	    cmocka_unit_test(test_multiline_values_keep_line_numbers),
	    cmocka_unit_test(test_last_assignment_wins),
	    cmocka_unit_test(test_crlf_bom_and_names),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_stray_secret_is_not_quoted_back),
	    cmocka_unit_test(test_line_length_cap),
	    cmocka_unit_test(test_holds_secret),
	    cmocka_unit_test(test_load_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
