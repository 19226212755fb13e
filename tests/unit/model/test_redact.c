/* test_redact.c - URL masking and the registry of secrets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "model/redact.h"

static int clear_registry(void **state)
{
	(void)state;
	redact_clear();
	return 0;
}

static void check_url_redact(const char *in, const char *expect)
{
	char out[512];
	url_redact(out, sizeof(out), in);
	assert_string_equal(out, expect);
}

static void test_url_password_masked(void **state)
{
	(void)state;
	check_url_redact("postgres://app:hunter2@host:5432/shop",
	                 "postgres://app:***@host:5432/shop");
	check_url_redact("postgresql://johndoe:randompassword@localhost:5432/mydb?schema=public",
	                 "postgresql://johndoe:***@localhost:5432/mydb?schema=public");
	check_url_redact("redis://default:pw@cache:6379/0", "redis://default:***@cache:6379/0");
	check_url_redact("https://user:tok@example.com/x", "https://user:***@example.com/x");
}

static void test_url_without_password_unchanged(void **state)
{
	(void)state;
	check_url_redact("postgres://app@host/shop", "postgres://app@host/shop");
	check_url_redact("http://127.0.0.1:3000/api/health", "http://127.0.0.1:3000/api/health");
	check_url_redact("s3://bucket/prefix", "s3://bucket/prefix");
	check_url_redact("just some text: no url", "just some text: no url");
	check_url_redact("", "");
	check_url_redact("https://host/users/@me", "https://host/users/@me");
}

static void test_urls_inside_text(void **state)
{
	(void)state;
	check_url_redact("could not connect to postgres://u:pw1234@h/db: refused",
	                 "could not connect to postgres://u:***@h/db: refused");
	check_url_redact("a=redis://:x1@h b=postgres://u:y2@h/d",
	                 "a=redis://:***@h b=postgres://u:***@h/d");
	check_url_redact("\"postgres://u:quoted@h/d\"", "\"postgres://u:***@h/d\"");
}

static void test_unencoded_specials_in_password(void **state)
{
	(void)state;
	/* '@' in the password: the last '@' of the authority ends it. */
	check_url_redact("postgres://u:p@ss@h/db", "postgres://u:***@h/db");
	/* '/' in the password: everything up to the '@' goes. */
	char out[256];
	url_redact(out, sizeof(out), "postgres://u:pa/ss@h/db");
	assert_null(strstr(out, "pa/ss"));
	assert_null(strstr(out, "ss@"));
	url_redact(out, sizeof(out), "postgres://u:pa?ss@h/db");
	assert_null(strstr(out, "pa?ss"));
}

/* A password holding '@' and then '/', ':', '?' or '#': everything up to the
 * last '@' is masked, not just up to the first. */
static void test_password_with_at_then_reserved(void **state)
{
	(void)state;
	check_url_redact("postgresql://app:hunter2@SECRETPART/xyz@127.0.0.1:5432/shop",
	                 "postgresql://app:***@127.0.0.1:5432/shop");
	check_url_redact("postgresql://app:ab@cd:TOPSECRET99/x@127.0.0.1:5432/shop",
	                 "postgresql://app:***@127.0.0.1:5432/shop");
	check_url_redact("redis://:ab@cd:SECRETX/y@127.0.0.1:6379/0",
	                 "redis://:***@127.0.0.1:6379/0");
	check_url_redact("redis://ab@cd/SECRETX@cache", "redis://***@cache");
	check_url_redact("postgres://u:a@b?c#d:e/f@h/db?sslmode=require",
	                 "postgres://u:***@h/db?sslmode=require");
	check_url_redact("postgres://u:a@b#SECRETX@h/db", "postgres://u:***@h/db");
	check_url_redact("failed: postgresql://app:hunter2@SECRETPART/xyz@127.0.0.1/shop: refused",
	                 "failed: postgresql://app:***@127.0.0.1/shop: refused");
	/* An '@' in the query string: masked up to it (the parsers refuse such
	 * a URL as ambiguous). */
	check_url_redact("postgres://u:p@SECRETX/db?application_name=a@b", "postgres://u:***@b");
}

static void test_userinfo_end(void **state)
{
	(void)state;
	const char *query_at;
	const char *rest = "app:hunter2@SECRETPART/xyz@127.0.0.1:5432/shop";
	assert_ptr_equal(url_userinfo_end(rest, &query_at), strstr(rest, "@127"));
	assert_null(query_at);
	rest = "u:p?x@h/db?sslmode=require";
	assert_ptr_equal(url_userinfo_end(rest, &query_at), strchr(rest, '@'));
	assert_null(query_at);
	rest = "u:p@h/db?application_name=me@there";
	assert_ptr_equal(url_userinfo_end(rest, &query_at), strchr(rest, '@'));
	assert_ptr_equal(query_at, strrchr(rest, '@'));
	rest = "h/db?application_name=me@there";
	assert_null(url_userinfo_end(rest, &query_at));
	assert_ptr_equal(query_at, strchr(rest, '@'));
	rest = "h:5432/db";
	assert_null(url_userinfo_end(rest, &query_at));
	assert_null(query_at);
	rest = "u:p?=x?&y@h";
	assert_ptr_equal(url_userinfo_end(rest, &query_at), strchr(rest, '@'));
	assert_null(query_at);
}

static void test_redis_password_only_form(void **state)
{
	(void)state;
	check_url_redact("redis://s3cret@cache:6379", "redis://***@cache:6379");
	check_url_redact("rediss://s3cret@cache:6379", "rediss://***@cache:6379");
	/* redisurl.c reads unix://secret@/path the same way. */
	check_url_redact("unix://s3cret@/tmp/r.sock?db=1", "unix://***@/tmp/r.sock?db=1");
	/* Elsewhere a lone user name is not a secret. */
	check_url_redact("ftp://anonymous@host/", "ftp://anonymous@host/");
}

static void test_conninfo_password(void **state)
{
	(void)state;
	check_url_redact("host=db password=secret dbname=shop", "host=db password=*** dbname=shop");
	check_url_redact("host=db password = 'sec ret' dbname=shop",
	                 "host=db password = '***' dbname=shop");
	check_url_redact("PGPASSWORD=abc123 pg_dump", "PGPASSWORD=*** pg_dump");
	check_url_redact("sslpassword=k3y", "sslpassword=***");
	check_url_redact("the password is fine", "the password is fine");
	check_url_redact("password=", "password=");
}

static void test_query_parameter_secrets(void **state)
{
	(void)state;
	check_url_redact("http://127.0.0.1:3000/api/health?token=abc123",
	                 "http://127.0.0.1:3000/api/health?token=***");
	check_url_redact("https://h/v?x=1&access_token=t0k&y=2#frag",
	                 "https://h/v?x=1&access_token=***&y=2#frag");
	check_url_redact("GET https://h/p?API_KEY=k3y&Secret=s3c failed",
	                 "GET https://h/p?API_KEY=***&Secret=*** failed");
	check_url_redact("https://h/o?X-Amz-Signature=f00d", "https://h/o?X-Amz-Signature=***");
	/* Other parameters and empty values stay. */
	check_url_redact("http://h/api/health?verbose=1&token=",
	                 "http://h/api/health?verbose=1&token=");
	check_url_redact("http://h/a?schema=public", "http://h/a?schema=public");
	/* A credential-like parameter before a URL's password (here inside its
	 * user name) is masked, and so is the password after it. */
	check_url_redact("postgresql://u&api_token=x&v:pw123@h/db",
	                 "postgresql://u&api_token=***&v:***@h/db");
	check_url_redact("password=one postgres://a:two@h", "password=*** postgres://a:***@h");
}

static void test_text_has_credential(void **state)
{
	(void)state;
	assert_true(text_has_credential("postgres://u:pw@h/db"));
	assert_true(text_has_credential("host=h password=pw"));
	assert_true(text_has_credential("http://h/api/health?token=t0k"));
	assert_true(text_has_credential("http://h/v?x=1&api_key=k"));
	assert_false(text_has_credential("http://h/api/health?verbose=1"));
	assert_false(text_has_credential("postgres://u@h/db?schema=public"));
	assert_false(text_has_credential(""));
	assert_false(text_has_credential(NULL));
}

static void test_registry_masks_every_occurrence(void **state)
{
	(void)state;
	redact_register("hunter22");
	char text[128] = "login failed for hunter22 (hunter22)";
	redact_text(text, sizeof(text));
	assert_string_equal(text, "login failed for *** (***)");
}

static void test_registry_longest_first(void **state)
{
	(void)state;
	redact_register("abc");
	redact_register("abcdef");
	redact_register("xabcdefx");
	char text[128] = "1 abc 2 abcdef 3 xabcdefx";
	redact_text(text, sizeof(text));
	assert_string_equal(text, "1 *** 2 *** 3 ***");
}

static void test_registry_ignores_short_and_null(void **state)
{
	(void)state;
	redact_register("ab");
	redact_register("");
	redact_register(NULL);
	char text[64] = "ab abc";
	redact_text(text, sizeof(text));
	assert_string_equal(text, "ab abc");
}

static void test_registry_duplicates_and_clear(void **state)
{
	(void)state;
	redact_register("dup-secret");
	redact_register("dup-secret");
	char text[64] = "dup-secret";
	redact_text(text, sizeof(text));
	assert_string_equal(text, "***");
	redact_clear();
	strcpy(text, "dup-secret");
	redact_text(text, sizeof(text));
	assert_string_equal(text, "dup-secret");
}

static void test_redact_text_never_overflows(void **state)
{
	(void)state;
	redact_register("zzz");
	/* Not terminated within `size`: the last byte becomes the NUL. */
	char text[8];
	memset(text, 'z', sizeof(text));
	redact_text(text, sizeof(text));
	assert_int_equal(strlen(text), 7);
	assert_string_equal(text, "******z");
	redact_text(NULL, 10);
	char empty[1] = "";
	redact_text(empty, 1);
	assert_string_equal(empty, "");
	redact_text(text, 0);
}

static void test_url_redact_truncates_after_masking(void **state)
{
	(void)state;
	redact_register("supersecretvalue");
	char small[10];
	url_redact(small, sizeof(small), "x supersecretvalue y");
	assert_string_equal(small, "x *** y");
	char tiny[5];
	url_redact(tiny, sizeof(tiny), "ab supersecretvalue");
	assert_string_equal(tiny, "ab *");
	url_redact(tiny, sizeof(tiny), "postgres://u:longpassword@h");
	assert_string_equal(tiny, "post");
	/* registered secrets are masked in plain text too */
	char out[64];
	url_redact(out, sizeof(out), NULL);
	assert_string_equal(out, "");
}

static void test_url_has_password(void **state)
{
	(void)state;
	assert_true(url_has_password("postgres://u:p@h/db"));
	assert_true(url_has_password("x = postgresql://app:pw@db:5432/shop?schema=public"));
	assert_true(url_has_password("redis://:pw@h"));
	assert_true(url_has_password("redis://pw@h"));
	assert_true(url_has_password("unix://pw@/run/redis.sock"));
	assert_false(url_has_password("postgres://u@h/db"));
	assert_false(url_has_password("postgres://u:@h/db"));
	assert_false(url_has_password("http://127.0.0.1:3000/api/health"));
	assert_false(url_has_password("no url"));
	assert_false(url_has_password(""));
	assert_false(url_has_password(NULL));
}

struct worker_arg {
	int id;
	int failures;
};

static void *worker(void *p)
{
	struct worker_arg *arg = p;
	char secret[32];
	snprintf(secret, sizeof(secret), "thread-secret-%d", arg->id);
	for (int i = 0; i < 200; i++) {
		redact_register(secret);
		char text[128];
		snprintf(text, sizeof(text), "error: %s happened", secret);
		redact_text(text, sizeof(text));
		if (strcmp(text, "error: *** happened") != 0)
			arg->failures++;
	}
	return NULL;
}

static void test_registry_is_thread_safe(void **state)
{
	(void)state;
	pthread_t threads[8];
	struct worker_arg args[8];
	for (int i = 0; i < 8; i++) {
		args[i].id = i;
		args[i].failures = 0;
		assert_int_equal(pthread_create(&threads[i], NULL, worker, &args[i]), 0);
	}
	for (int i = 0; i < 8; i++) {
		assert_int_equal(pthread_join(threads[i], NULL), 0);
		assert_int_equal(args[i].failures, 0);
	}
	char all[512] = "";
	for (int i = 0; i < 8; i++) {
		char piece[40];
		snprintf(piece, sizeof(piece), "thread-secret-%d;", i);
		strcat(all, piece);
	}
	redact_text(all, sizeof(all));
	assert_string_equal(all, "***;***;***;***;***;***;***;***;");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_url_password_masked),
	    cmocka_unit_test(test_url_without_password_unchanged),
	    cmocka_unit_test(test_urls_inside_text),
	    cmocka_unit_test(test_unencoded_specials_in_password),
	    cmocka_unit_test(test_password_with_at_then_reserved),
	    cmocka_unit_test(test_userinfo_end),
	    cmocka_unit_test(test_redis_password_only_form),
	    cmocka_unit_test(test_conninfo_password),
	    cmocka_unit_test(test_query_parameter_secrets),
	    cmocka_unit_test(test_text_has_credential),
	    cmocka_unit_test_teardown(test_registry_masks_every_occurrence, clear_registry),
	    cmocka_unit_test_teardown(test_registry_longest_first, clear_registry),
	    cmocka_unit_test_teardown(test_registry_ignores_short_and_null, clear_registry),
	    cmocka_unit_test_teardown(test_registry_duplicates_and_clear, clear_registry),
	    cmocka_unit_test_teardown(test_redact_text_never_overflows, clear_registry),
	    cmocka_unit_test_teardown(test_url_redact_truncates_after_masking, clear_registry),
	    cmocka_unit_test(test_url_has_password),
	    cmocka_unit_test_teardown(test_registry_is_thread_safe, clear_registry),
	};
	return cmocka_run_group_tests(tests, NULL, clear_registry);
}
