/* test_redisurl.c - Redis URLs in the forms the common clients accept. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "config/redisurl.h"

#define SECRET "S3cr3tPW"

static void parse_ok(const char *url, struct redisurl *u)
{
	char err[512] = "";
	if (redisurl_parse(url, u, err, sizeof(err)) != 0)
		fail_msg("redisurl_parse(%s) failed: %s", url, err);
}

static void parse_fails(const char *url, char *err, size_t errlen)
{
	struct redisurl u;
	err[0] = '\0';
	assert_int_equal(redisurl_parse(url, &u, err, errlen), -1);
	assert_true(err[0] != '\0');
	assert_null(u.host); /* freed on error */
	assert_null(u.redacted);
}

static void test_plain_host(void **state)
{
	(void)state;
	struct redisurl u;
	parse_ok("redis://localhost", &u);
	assert_string_equal(u.host, "localhost");
	assert_int_equal(u.port, 6379);
	assert_int_equal(u.db, 0);
	assert_string_equal(u.username, "");
	assert_string_equal(u.password, "");
	assert_string_equal(u.socket, "");
	assert_false(u.tls);
	assert_string_equal(u.redacted, "redis://localhost");
	redisurl_free(&u);
}

static void test_acl_user_and_password(void **state)
{
	(void)state;
	struct redisurl u;
	parse_ok("redis://app:" SECRET "@127.0.0.1:6380/2", &u);
	assert_string_equal(u.host, "127.0.0.1");
	assert_int_equal(u.port, 6380);
	assert_string_equal(u.username, "app");
	assert_string_equal(u.password, SECRET);
	assert_int_equal(u.db, 2);
	assert_string_equal(u.redacted, "redis://app:***@127.0.0.1:6380/2");
	redisurl_free(&u);
}

static void test_password_only_forms(void **state)
{
	(void)state;
	struct redisurl u;
	parse_ok("redis://:" SECRET "@cache:6379/0", &u);
	assert_string_equal(u.username, "");
	assert_string_equal(u.password, SECRET);
	assert_string_equal(u.redacted, "redis://:***@cache:6379/0");
	redisurl_free(&u);

	/* No ':' at all: the user part is the password. */
	parse_ok("redis://" SECRET "@cache", &u);
	assert_string_equal(u.username, "");
	assert_string_equal(u.password, SECRET);
	assert_string_equal(u.redacted, "redis://***@cache");
	redisurl_free(&u);

	/* A user with an empty password. */
	parse_ok("redis://app:@cache", &u);
	assert_string_equal(u.username, "app");
	assert_string_equal(u.password, "");
	assert_string_equal(u.redacted, "redis://app:@cache");
	redisurl_free(&u);
}

static void test_percent_encoded_password(void **state)
{
	(void)state;
	struct redisurl u;
	parse_ok("redis://:p%40ss%2Fw@cache", &u);
	assert_string_equal(u.password, "p@ss/w");
	assert_string_equal(u.redacted, "redis://:***@cache");
	redisurl_free(&u);
	parse_ok("redis://:p@ss@cache", &u); /* unencoded '@': the last one splits */
	assert_string_equal(u.password, "p@ss");
	assert_string_equal(u.host, "cache");
	redisurl_free(&u);
}

static void test_db_from_path_or_query(void **state)
{
	(void)state;
	struct redisurl u;
	parse_ok("redis://h/15", &u);
	assert_int_equal(u.db, 15);
	redisurl_free(&u);
	parse_ok("redis://h/", &u);
	assert_int_equal(u.db, 0);
	redisurl_free(&u);
	parse_ok("redis://h?db=3", &u);
	assert_int_equal(u.db, 3);
	redisurl_free(&u);
	parse_ok("redis://h:7000/?db=4", &u);
	assert_int_equal(u.db, 4);
	assert_int_equal(u.port, 7000);
	redisurl_free(&u);
}

static void test_ipv6(void **state)
{
	(void)state;
	struct redisurl u;
	parse_ok("redis://[::1]:6380/1", &u);
	assert_string_equal(u.host, "::1");
	assert_int_equal(u.port, 6380);
	assert_int_equal(u.db, 1);
	redisurl_free(&u);
	parse_ok("redis://:pw1@[2001:db8::1]", &u);
	assert_string_equal(u.host, "2001:db8::1");
	assert_int_equal(u.port, 6379);
	redisurl_free(&u);
}

static void test_unix_socket(void **state)
{
	(void)state;
	struct redisurl u;
	parse_ok("unix:///run/redis/redis.sock?db=1", &u);
	assert_string_equal(u.socket, "/run/redis/redis.sock");
	assert_string_equal(u.host, "");
	assert_int_equal(u.db, 1);
	redisurl_free(&u);
	parse_ok("unix://:" SECRET "@/tmp/r.sock", &u);
	assert_string_equal(u.socket, "/tmp/r.sock");
	assert_string_equal(u.password, SECRET);
	assert_string_equal(u.redacted, "unix://:***@/tmp/r.sock");
	redisurl_free(&u);
	parse_ok("unix:///tmp/r.sock?password=" SECRET "&username=app", &u);
	assert_string_equal(u.password, SECRET);
	assert_string_equal(u.username, "app");
	assert_string_equal(u.redacted, "unix:///tmp/r.sock?password=***&username=app");
	redisurl_free(&u);
}

static void test_rediss(void **state)
{
	(void)state;
	char err[512];
	struct redisurl u;
	/* TLS: the same URL, tls set; the port defaults as for redis:// */
	assert_int_equal(
	    redisurl_parse("rediss://app:" SECRET "@cache.internal:6380/2", &u, err, sizeof(err)),
	    0);
	assert_true(u.tls);
	assert_string_equal(u.host, "cache.internal");
	assert_int_equal(u.port, 6380);
	assert_int_equal(u.db, 2);
	assert_string_equal(u.username, "app");
	assert_string_equal(u.redacted, "rediss://app:***@cache.internal:6380/2");
	redisurl_free(&u);
	assert_int_equal(redisurl_parse("REDISS://h", &u, err, sizeof(err)), 0);
	assert_true(u.tls);
	assert_int_equal(u.port, 6379);
	redisurl_free(&u);
	assert_int_equal(redisurl_parse("redis://h", &u, err, sizeof(err)), 0);
	assert_false(u.tls);
	redisurl_free(&u);
}

static void test_error_messages(void **state)
{
	(void)state;
	char err[512];
	parse_fails("redis://h:63a79", err, sizeof(err));
	assert_string_equal(err, "invalid port in the Redis URL (use 1 to 65535)");
	parse_fails("redis://h/x", err, sizeof(err));
	assert_string_equal(err, "invalid database number in the Redis URL (use e.g. /0 or ?db=0)");
	parse_fails("redis://h?timeout=3", err, sizeof(err));
	assert_string_equal(err, "unknown query parameter 'timeout' in the Redis URL (known: db, "
	                         "username, password)");
	parse_fails("http://h", err, sizeof(err));
	assert_string_equal(err,
	                    "not a Redis URL (it must start with redis://, rediss:// or unix://)");
	parse_fails("redis://:pw@", err, sizeof(err));
	assert_string_equal(err, "no host in the Redis URL (e.g. redis://127.0.0.1:6379)");
	parse_fails("redis://:pw@h?username=me@there", err, sizeof(err));
	assert_string_equal(err, "the Redis URL has an '@' in its query string, so where its "
	                         "password ends is ambiguous (percent-encode '@' as %40 in the "
	                         "password and in query values)");
	/* More than one '@': nothing from the URL is quoted. */
	parse_fails("redis://:a@b@h?colour=blue", err, sizeof(err));
	assert_non_null(strstr(err, "(not shown)"));
	assert_null(strstr(err, "colour"));
}

/* Passwords holding every reserved character, unencoded: the user
 * information ends at the last '@' before the query string. */
static void test_reserved_characters_in_password(void **state)
{
	(void)state;
	static const char *const passwords[] = {
	    "ab@cd:SECRETX/y",
	    "hunter2@SECRETPART/xyz",
	    "p@ss",
	    "pa/ss",
	    "pa:ss",
	    "pa?ss",
	    "pa#ss",
	    "/@:?#",
	    "a/b?c#d:e@f",
	    "x@y?z@w",
	    "@@@",
	    "6379/0",
	};
	for (size_t i = 0; i < sizeof(passwords) / sizeof(passwords[0]); i++) {
		char url[256];
		struct redisurl u;
		snprintf(url, sizeof(url), "redis://app:%s@127.0.0.1:6380/2?db=3", passwords[i]);
		parse_ok(url, &u);
		assert_string_equal(u.username, "app");
		assert_string_equal(u.password, passwords[i]);
		assert_string_equal(u.host, "127.0.0.1");
		assert_int_equal(u.port, 6380);
		assert_int_equal(u.db, 3);
		assert_string_equal(u.redacted, "redis://app:***@127.0.0.1:6380/2?db=3");
		redisurl_free(&u);
		/* the password-only form (where a ':' would end a user name
		 * instead), and a unix socket */
		if (!strchr(passwords[i], ':')) {
			snprintf(url, sizeof(url), "redis://%s@cache", passwords[i]);
			parse_ok(url, &u);
			assert_string_equal(u.password, passwords[i]);
			assert_string_equal(u.host, "cache");
			assert_int_equal(u.port, 6379);
			assert_string_equal(u.redacted, "redis://***@cache");
			redisurl_free(&u);
		}
		snprintf(url, sizeof(url), "unix://:%s@/run/redis.sock?db=1", passwords[i]);
		parse_ok(url, &u);
		assert_string_equal(u.password, passwords[i]);
		assert_string_equal(u.socket, "/run/redis.sock");
		assert_string_equal(u.redacted, "unix://:***@/run/redis.sock?db=1");
		redisurl_free(&u);
	}
}

static void test_bad_urls_never_show_the_password(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "redis://:" SECRET "@h:0",
	    "redis://:" SECRET "@h:65536",
	    "redis://:" SECRET "@h:",
	    "redis://:" SECRET "@h/-1",
	    "redis://:" SECRET "@h/99999999999",
	    "redis://:" SECRET "@h/1x",
	    "redis://:" SECRET "@h?db",
	    "redis://:" SECRET "@h?db=x",
	    "redis://:" SECRET "%zz@h",
	    "redis://:" SECRET "%00@h",
	    "redis://:" SECRET "@[::1",
	    "redis://:" SECRET "@[::1]x",
	    "redis://:" SECRET "@",
	    "redis://:" SECRET " @h",
	    /* a port or a db number may be a misplaced password */
	    "redis://:S3cr3tPW",
	    "redis://u:S3cr3tPW/0",
	    "redis://:ab@cd:S3cr3tPW/y",
	    "redis://:ab@cd/S3cr3tPW",
	    /* an '@' in the query: the password may run on into it */
	    "redis://:S3cr?db=3tPW@h",
	    "redis://:S3cr@h?password=3tPW@x",
	    "unix://h/tmp/s.sock",
	    "unix://",
	    "unix:///tmp/s.sock?password=" SECRET "%zz",
	    "ftp://:" SECRET "@h",
	    "",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[512] = "";
		struct redisurl u;
		if (redisurl_parse(bad[i], &u, err, sizeof(err)) == 0)
			fail_msg("accepted bad URL #%zu", i);
		assert_true(strlen(err) > 10);
		if (strstr(err, SECRET) || strstr(err, "S3cr") || strstr(err, "3tPW"))
			fail_msg("error for URL #%zu shows the password: %s", i, err);
	}
}

static void test_free_is_safe(void **state)
{
	(void)state;
	struct redisurl u;
	parse_ok("redis://h", &u);
	redisurl_free(&u);
	redisurl_free(&u);
	redisurl_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_host),
	    cmocka_unit_test(test_acl_user_and_password),
	    cmocka_unit_test(test_password_only_forms),
	    cmocka_unit_test(test_percent_encoded_password),
	    cmocka_unit_test(test_db_from_path_or_query),
	    cmocka_unit_test(test_ipv6),
	    cmocka_unit_test(test_unix_socket),
	    cmocka_unit_test(test_rediss),
	    cmocka_unit_test(test_error_messages),
	    cmocka_unit_test(test_reserved_characters_in_password),
	    cmocka_unit_test(test_bad_urls_never_show_the_password),
	    cmocka_unit_test(test_free_is_safe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
