/* test_s3_url.c - S3 targets, endpoints and key encoding (src/s3/url.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "config/backup_target.h"
#include "s3/url.h"

static void check_encode(const char *in, bool keep_slash, const char *expect)
{
	struct strbuf b;
	strbuf_init(&b, 0);
	s3_uri_encode(&b, in, strlen(in), keep_slash);
	assert_string_equal(strbuf_str(&b), expect);
	strbuf_free(&b);
}

static void test_encode_keys(void **state)
{
	(void)state;
	check_encode("shop/db_20240101T000000Z.sql.gz", true, "shop/db_20240101T000000Z.sql.gz");
	check_encode("a b+c%d&e=f?g#h", true, "a%20b%2Bc%25d%26e%3Df%3Fg%23h");
	check_encode("-._~AZaz09", true, "-._~AZaz09");
	check_encode("dir/sub dir/", true, "dir/sub%20dir/");
	check_encode("a/b", false, "a%2Fb");
	check_encode("\xE2\x98\x83", true, "%E2%98%83"); /* a snowman, UTF-8 */
	check_encode("*'()!$,;:@", true, "%2A%27%28%29%21%24%2C%3B%3A%40");
	check_encode("", true, "");
	char nul_byte[] = {'a', '\0', 'b'};
	struct strbuf b;
	strbuf_init(&b, 0);
	s3_uri_encode(&b, nul_byte, 3, true);
	assert_string_equal(strbuf_str(&b), "a%00b");
	strbuf_free(&b);
}

static void check_decode(const char *in, const char *expect)
{
	struct strbuf b;
	strbuf_init(&b, 0);
	s3_uri_decode(&b, in, strlen(in));
	assert_string_equal(strbuf_str(&b), expect);
	strbuf_free(&b);
}

static void test_decode(void **state)
{
	(void)state;
	check_decode("a%20b%2fc", "a b/c");
	check_decode("a+b", "a+b");
	check_decode("100%", "100%");
	check_decode("%zz%4", "%zz%4");
	check_decode("%E2%98%83", "\xE2\x98\x83");
}

static void test_target_parse(void **state)
{
	(void)state;
	struct backup_target_s3 t;
	char err[256];
	assert_int_equal(backup_target_parse_s3("s3://shop-backups/prod/db", &t, err, sizeof(err)),
	                 0);
	assert_string_equal(t.bucket, "shop-backups");
	assert_string_equal(t.prefix, "prod/db");
	backup_target_s3_free(&t);

	assert_int_equal(backup_target_parse_s3("s3://shop-backups", &t, err, sizeof(err)), 0);
	assert_string_equal(t.prefix, "");
	backup_target_s3_free(&t);

	assert_int_equal(backup_target_parse_s3("s3://my.bucket.name//a/b/", &t, err, sizeof(err)),
	                 0);
	assert_string_equal(t.bucket, "my.bucket.name");
	assert_string_equal(t.prefix, "a/b/");
	backup_target_s3_free(&t);
	backup_target_s3_free(NULL);
}

static void test_target_rejects(void **state)
{
	(void)state;
	struct backup_target_s3 t;
	char err[256];
	assert_int_equal(backup_target_parse_s3("file:///var/backups", &t, err, sizeof(err)), -1);
	assert_int_equal(backup_target_parse_s3("s3://", &t, err, sizeof(err)), -1);
	assert_int_equal(backup_target_parse_s3("s3://ab/x", &t, err, sizeof(err)), -1);
	assert_int_equal(backup_target_parse_s3("s3://Upper/x", &t, err, sizeof(err)), -1);
	assert_int_equal(backup_target_parse_s3("s3://-bucket/x", &t, err, sizeof(err)), -1);
	assert_int_equal(backup_target_parse_s3("s3://bucket_/x", &t, err, sizeof(err)), -1);
	assert_int_equal(backup_target_parse_s3("s3://bucket/x?y", &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'?'"));
	assert_null(t.bucket);
}

static void test_bucket_names(void **state)
{
	(void)state;
	assert_true(backup_target_bucket_valid("abc"));
	assert_true(backup_target_bucket_valid("shop-backups.2024"));
	assert_false(backup_target_bucket_valid("ab"));
	assert_false(backup_target_bucket_valid(
	    "a234567890123456789012345678901234567890123456789012345678901234"));
	assert_false(backup_target_bucket_valid("bucket."));
	assert_false(backup_target_bucket_valid("buc ket"));
}

static void test_endpoint_parse(void **state)
{
	(void)state;
	struct s3_endpoint ep;
	char err[256];
	assert_int_equal(s3_endpoint_parse("http://127.0.0.1:9000", &ep, err, sizeof(err)), 0);
	assert_false(ep.https);
	assert_string_equal(ep.host_port, "127.0.0.1:9000");
	assert_string_equal(ep.base, "http://127.0.0.1:9000");
	s3_endpoint_free(&ep);

	assert_int_equal(s3_endpoint_parse("https://minio.example.com:443/", &ep, err, sizeof(err)),
	                 0);
	assert_true(ep.https);
	assert_string_equal(ep.host_port, "minio.example.com");
	assert_string_equal(ep.base, "https://minio.example.com");
	s3_endpoint_free(&ep);

	assert_int_equal(s3_endpoint_parse("http://[::1]:9000", &ep, err, sizeof(err)), 0);
	assert_string_equal(ep.host_port, "[::1]:9000");
	s3_endpoint_free(&ep);

	assert_int_equal(s3_endpoint_parse("http://host:80", &ep, err, sizeof(err)), 0);
	assert_string_equal(ep.host_port, "host");
	s3_endpoint_free(&ep);
	s3_endpoint_free(NULL);
}

static void test_endpoint_rejects(void **state)
{
	(void)state;
	struct s3_endpoint ep;
	char err[256];
	assert_int_equal(s3_endpoint_parse("127.0.0.1:9000", &ep, err, sizeof(err)), -1);
	assert_int_equal(s3_endpoint_parse("ftp://host", &ep, err, sizeof(err)), -1);
	assert_int_equal(s3_endpoint_parse("http://", &ep, err, sizeof(err)), -1);
	assert_int_equal(s3_endpoint_parse("http://host/path", &ep, err, sizeof(err)), -1);
	assert_int_equal(s3_endpoint_parse("http://host?x=1", &ep, err, sizeof(err)), -1);
	assert_int_equal(s3_endpoint_parse("http://host:99999", &ep, err, sizeof(err)), -1);
	assert_int_equal(s3_endpoint_parse("http://host:", &ep, err, sizeof(err)), -1);
	assert_int_equal(s3_endpoint_parse("http://user:secret@host", &ep, err, sizeof(err)), -1);
	/* Only a name, an IPv4 address or a bracketed IPv6 address before the port. */
	assert_int_equal(
	    s3_endpoint_parse("https://s3.example\xa1:-x.com:443/", &ep, err, sizeof(err)), -1);
	assert_int_equal(s3_endpoint_parse("http://a:b:9000", &ep, err, sizeof(err)), -1);
	assert_int_equal(s3_endpoint_parse("http://ho st", &ep, err, sizeof(err)), -1);
	assert_int_equal(s3_endpoint_parse("http://[::1", &ep, err, sizeof(err)), -1);
	assert_int_equal(s3_endpoint_parse("http://:9000", &ep, err, sizeof(err)), -1);
	assert_null(strstr(err, "secret"));
	assert_null(ep.base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_encode_keys),      cmocka_unit_test(test_decode),
	    cmocka_unit_test(test_target_parse),     cmocka_unit_test(test_target_rejects),
	    cmocka_unit_test(test_bucket_names),     cmocka_unit_test(test_endpoint_parse),
	    cmocka_unit_test(test_endpoint_rejects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
